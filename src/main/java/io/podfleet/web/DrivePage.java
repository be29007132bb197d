package io.podfleet.web;

import io.podfleet.fleet.FleetQueries;
import io.podfleet.fleet.HostAdministration;
import io.podfleet.platform.problem.DomainProblem;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One drive: identity, verdict and reasons, SMART history charts over a chosen range, events; mark it removed. */
@Controller
class DrivePage {

    static final Map<String, Duration> RANGES = new LinkedHashMap<>();

    static {
        RANGES.put("1d", Duration.ofDays(1));
        RANGES.put("7d", Duration.ofDays(7));
        RANGES.put("30d", Duration.ofDays(30));
        RANGES.put("365d", Duration.ofDays(365));
    }

    private final FleetQueries fleet;
    private final io.podfleet.fleet.HostInventory inventory;
    private final HostAdministration administration;
    private final Clock clock;

    DrivePage(FleetQueries fleet, io.podfleet.fleet.HostInventory inventory, HostAdministration administration, Clock clock) {
        this.fleet = fleet;
        this.inventory = inventory;
        this.administration = administration;
        this.clock = clock;
    }

    @GetMapping("/drives/{id}")
    String drive(@PathVariable long id, @RequestParam(defaultValue = "7d") String range, Model model) {
        FleetQueries.DriveDetail detail = fleet.drive(id);
        Duration span = RANGES.getOrDefault(range, RANGES.get("7d"));
        Instant now = clock.instant();
        List<FleetQueries.HistoryPoint> points = fleet.history(id, now.minus(span), now.plusSeconds(1));
        List<String> x = points.stream().map(p -> p.at().toString().substring(0, 16).replace('T', ' ')).toList();
        model.addAttribute("d", detail.drive());
        model.addAttribute("hostname", detail.drive().hostId() == null ? null : inventory.hosts(List.of(detail.drive().hostId()))
                .stream().findFirst().map(io.podfleet.fleet.HostInventory.Host::hostname).orElse(null));
        model.addAttribute("detail", detail);
        model.addAttribute("range", RANGES.containsKey(range) ? range : "7d");
        model.addAttribute("ranges", RANGES.keySet());
        model.addAttribute("points", points);
        Map<String, List<? extends Number>> five = new LinkedHashMap<>(); // in attribute order, for a legend that reads so
        five.put("5 reallocated", series(points, FleetQueries.HistoryPoint::reallocated));
        five.put("187 reported uncorrectable", series(points, FleetQueries.HistoryPoint::reportedUncorrect));
        five.put("188 command timeout", series(points, FleetQueries.HistoryPoint::commandTimeout));
        five.put("197 pending", series(points, FleetQueries.HistoryPoint::pending));
        five.put("198 offline uncorrectable", series(points, FleetQueries.HistoryPoint::offlineUncorrectable));
        model.addAttribute("backblazeChart", Charts.line(new Charts.Line("The Backblaze five (raw)", "count", x, five)));
        model.addAttribute("temperatureChart", Charts.line(new Charts.Line("Temperature", "°C", x,
                Map.of("temperature", series(points, FleetQueries.HistoryPoint::temperatureC)))));
        Map<String, List<? extends Number>> counters = new LinkedHashMap<>();
        counters.put("NVMe media errors", series(points, FleetQueries.HistoryPoint::nvmeMediaErrors));
        counters.put("NVMe % used", series(points, FleetQueries.HistoryPoint::nvmePercentageUsed));
        counters.put("SAS grown defects", series(points, FleetQueries.HistoryPoint::scsiGrownDefects));
        counters.put("SAS uncorrected", series(points, FleetQueries.HistoryPoint::scsiUncorrected));
        model.addAttribute("otherChart", Charts.line(new Charts.Line("NVMe and SAS counters", "count", x, counters)));
        return "drive";
    }

    private static List<Number> series(List<FleetQueries.HistoryPoint> points, Function<FleetQueries.HistoryPoint, ? extends Number> f) {
        return points.stream().map(p -> (Number) f.apply(p)).toList();
    }

    @PostMapping("/drives/{id}/remove")
    @PreAuthorize("hasRole('OPERATOR')")
    String remove(@PathVariable long id, @RequestParam(required = false) String reason, @RequestParam(required = false) String confirm,
                  Model model, RedirectAttributes flash) {
        if (!Confirmation.given(confirm)) {
            FleetQueries.DriveView d = fleet.drive(id).drive();
            return Confirmation.ask(model, "Mark drive " + d.serial() + " (" + d.state() + ", slot " + d.slot()
                            + ") as REMOVED? Its shard counts as lost until a drive takes the slot.",
                    "/drives/" + id + "/remove", Map.of("reason", reason == null ? "" : reason), "/drives/" + id);
        }
        try {
            administration.removeDrive(id, reason == null || reason.isBlank() ? "removed in the dashboard" : reason);
            flash.addFlashAttribute("done", "Drive marked REMOVED.");
        } catch (DomainProblem refused) {
            flash.addFlashAttribute("error", refused.getMessage());
        }
        return "redirect:/drives/" + id;
    }
}
