package io.podfleet.fleet;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Read API over hosts and drives for provisioning tools and the dashboard (VIEWER). */
@RestController
@RequestMapping("/api/v1")
class FleetController {

    private final FleetQueries queries;

    FleetController(FleetQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/hosts")
    FleetQueries.Page<FleetQueries.HostSummary> hosts(@RequestParam(required = false) String datacenter,
                                                      @RequestParam(required = false) String profile,
                                                      @RequestParam(required = false) HostLiveness.Health health,
                                                      @RequestParam(required = false) HostAdministration.AdminState adminState,
                                                      @RequestParam(required = false) Integer vault,
                                                      @RequestParam(defaultValue = "0") int page,
                                                      @RequestParam(defaultValue = "100") int size) {
        if (page < 0) {
            throw new FleetProblems.InvalidField("page", "must be 0 or more");
        }
        if (size < 1 || size > 1000) {
            throw new FleetProblems.InvalidField("size", "must be between 1 and 1000");
        }
        return queries.hosts(datacenter, profile, health == null ? null : health.name(),
                adminState == null ? null : adminState.name(), vault, page, size);
    }

    @GetMapping("/hosts/{id}")
    FleetQueries.HostDetail host(@PathVariable long id) {
        return queries.host(id);
    }

    @GetMapping("/drives/{id}")
    FleetQueries.DriveDetail drive(@PathVariable long id) {
        return queries.drive(id);
    }

    @GetMapping("/drives/{id}/history")
    List<FleetQueries.HistoryPoint> history(@PathVariable long id, @RequestParam(required = false) Instant from,
                                            @RequestParam(required = false) Instant to) {
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(7)) : from;
        if (!start.isBefore(end)) {
            throw new FleetProblems.InvalidField("from", "must be before to");
        }
        queries.drive(id); // 404 for an unknown drive
        return queries.history(id, start, end);
    }

    @GetMapping("/fleet/counts")
    Map<String, Object> counts() {
        return queries.counts();
    }
}
