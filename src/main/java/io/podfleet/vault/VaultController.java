package io.podfleet.vault;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/** Vaults for provisioning tools and the dashboard: reads for VIEWER, changes for OPERATOR (each one audited). */
@RestController
@RequestMapping("/api/v1/vaults")
class VaultController {

    record MemberChange(Long hostId, String reason) {
    }

    record Reason(String reason) {
    }

    private final Vaults vaults;
    private final VaultQueries queries;
    private final VaultEvents events;

    VaultController(Vaults vaults, VaultQueries queries, VaultEvents events) {
        this.vaults = vaults;
        this.queries = queries;
        this.events = events;
    }

    @GetMapping
    List<VaultQueries.VaultSummary> list(@RequestParam(required = false) String datacenter,
                                         @RequestParam(required = false) VaultState state) {
        return queries.list(datacenter, state);
    }

    @GetMapping("/{id}")
    VaultQueries.VaultDetail one(@PathVariable int id) {
        return queries.one(id);
    }

    @GetMapping("/{id}/tomes")
    VaultQueries.Matrix tomes(@PathVariable int id) {
        return queries.matrix(id);
    }

    @GetMapping("/{id}/events")
    List<VaultEvents.Event> events(@PathVariable int id, @RequestParam(required = false) Long before,
                                   @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new VaultProblems.InvalidField("limit", "must be between 1 and 1000");
        }
        queries.one(id); // 404 for an unknown vault
        return events.of(id, before, limit);
    }

    @PostMapping
    @PreAuthorize("hasRole('OPERATOR')")
    ResponseEntity<VaultQueries.VaultDetail> form(@RequestBody Vaults.Formation formation) {
        int id = vaults.form(formation);
        return ResponseEntity.created(URI.create("/api/v1/vaults/" + id)).body(queries.one(id));
    }

    @PutMapping("/{id}/members/{position}")
    @PreAuthorize("hasRole('OPERATOR')")
    VaultQueries.VaultDetail replace(@PathVariable int id, @PathVariable int position, @RequestBody MemberChange change) {
        vaults.replace(id, position, change.hostId(), change.reason());
        return queries.one(id);
    }

    @PostMapping("/{id}/members/{position}/rebuilt")
    @PreAuthorize("hasRole('OPERATOR')")
    VaultQueries.VaultDetail rebuilt(@PathVariable int id, @PathVariable int position) {
        vaults.rebuilt(id, position);
        return queries.one(id);
    }

    @PostMapping("/{id}/drain")
    @PreAuthorize("hasRole('OPERATOR')")
    VaultQueries.VaultDetail drain(@PathVariable int id, @RequestBody(required = false) Reason reason) {
        vaults.drain(id, reason == null ? null : reason.reason());
        return queries.one(id);
    }

    @PostMapping("/{id}/retire")
    @PreAuthorize("hasRole('OPERATOR')")
    @ResponseStatus(HttpStatus.OK)
    VaultQueries.VaultDetail retire(@PathVariable int id, @RequestBody(required = false) Reason reason) {
        vaults.retire(id, reason == null ? null : reason.reason());
        return queries.one(id);
    }
}
