package io.podfleet.fleet;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Map;

/** Changes to hosts and drives by operators and provisioning tools (OPERATOR or ADMIN); each one audited. */
@RestController
@RequestMapping("/api/v1")
@PreAuthorize("hasRole('OPERATOR')")
class HostAdministrationController {

    private final HostAdministration administration;

    HostAdministrationController(HostAdministration administration) {
        this.administration = administration;
    }

    record AdminStateChange(HostAdministration.AdminState state, Instant until, String reason) {
    }

    record DriveRemoval(String reason) {
    }

    @PostMapping("/hosts")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Long> register(@RequestBody HostAdministration.Registration registration) {
        return Map.of("id", administration.register(registration));
    }

    @PutMapping("/hosts/{id}/admin-state")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void adminState(@PathVariable long id, @RequestBody AdminStateChange change) {
        if (change.state() == null) {
            throw new FleetProblems.InvalidField("state", "is required: IN_SERVICE, DRAINING, MAINTENANCE or DECOMMISSIONED");
        }
        administration.setAdminState(id, change.state(), change.until(), change.reason());
    }

    @PostMapping("/drives/{id}/remove")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeDrive(@PathVariable long id, @RequestBody(required = false) DriveRemoval removal) {
        administration.removeDrive(id, removal == null ? null : removal.reason());
    }
}
