package io.podfleet.accounting;

import io.podfleet.security.AuditLog;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Daily ingestion per vault, as JSON or CSV (VIEWER), and re-running a day's roll-up (OPERATOR, audited). */
@RestController
class IngestionController {

    private final AccountingReports reports;
    private final IngestionRollup rollup;
    private final AuditLog audit;

    IngestionController(AccountingReports reports, IngestionRollup rollup, AuditLog audit) {
        this.reports = reports;
        this.rollup = rollup;
        this.audit = audit;
    }

    @GetMapping(value = "/api/v1/ingestion", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<?> ingestion(@RequestParam(required = false) List<Integer> vaults, @RequestParam LocalDate from,
                                @RequestParam LocalDate to, @RequestParam(defaultValue = "json") String format) {
        if (!format.equals("json") && !format.equals("csv")) {
            throw new AccountingProblems.InvalidField("format", "must be json or csv");
        }
        List<AccountingReports.IngestionDay> days = reports.ingestion(vaults, from, to);
        if (format.equals("json")) {
            return ResponseEntity.ok(days);
        }
        StringBuilder csv = new StringBuilder("vault_id,day,bytes,files,completed,failed,abandoned,peak_connections,stored_bytes,stored_bytes_growth\n");
        for (AccountingReports.IngestionDay d : days) {
            csv.append(d.vaultId()).append(',').append(d.day()).append(',').append(d.bytes()).append(',').append(d.files()).append(',')
                    .append(d.completed()).append(',').append(d.failed()).append(',').append(d.abandoned()).append(',')
                    .append(d.peakConnections()).append(',').append(d.storedBytes() == null ? "" : d.storedBytes()).append(',')
                    .append(d.storedBytesGrowth() == null ? "" : d.storedBytesGrowth()).append('\n');
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv")).body(csv.toString());
    }

    @PostMapping("/api/v1/ingestion/rollup")
    @PreAuthorize("hasRole('OPERATOR')")
    @Transactional
    Map<String, Object> rollUp(@RequestParam LocalDate day) {
        int vaults = rollup.rollUp(day);
        audit.record("ingestion.rollup", "ingestion:" + day, null, Map.of("vaults", vaults));
        return Map.of("day", day, "vaults", vaults);
    }
}
