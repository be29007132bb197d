package io.podfleet.accounting;

import io.podfleet.security.AuditLog;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Daily ingestion per vault, as JSON or CSV (VIEWER), and re-running a day's roll-up (OPERATOR, audited). */
@RestController
class IngestionController {

    /** One vault's day; {@code storedBytesGrowth} against the vault's previous day with stored bytes, or null. */
    record IngestionDay(int vaultId, LocalDate day, long bytes, long files, int completed, int failed, int abandoned,
                        int peakConnections, Long storedBytes, Long storedBytesGrowth) {
    }

    private final JdbcClient jdbc;
    private final IngestionRollup rollup;
    private final AuditLog audit;

    IngestionController(JdbcClient jdbc, IngestionRollup rollup, AuditLog audit) {
        this.jdbc = jdbc;
        this.rollup = rollup;
        this.audit = audit;
    }

    @GetMapping(value = "/api/v1/ingestion", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<?> ingestion(@RequestParam(required = false) List<Integer> vaults, @RequestParam LocalDate from,
                                @RequestParam LocalDate to, @RequestParam(defaultValue = "json") String format) {
        if (to.isBefore(from)) {
            throw new AccountingProblems.InvalidField("to", "must not be before from");
        }
        if (!format.equals("json") && !format.equals("csv")) {
            throw new AccountingProblems.InvalidField("format", "must be json or csv");
        }
        Integer[] ids = vaults == null || vaults.isEmpty() ? null : vaults.toArray(Integer[]::new);
        List<IngestionDay> days = jdbc.sql("""
                        SELECT vault_id, day, bytes, files, completed, failed, abandoned, peak_connections, stored_bytes,
                          stored_bytes - lag(stored_bytes) OVER (PARTITION BY vault_id ORDER BY day)
                        FROM ingestion_day WHERE (?::int[] IS NULL OR vault_id = ANY(?::int[])) AND day BETWEEN ?::date - 1 AND ?::date
                        ORDER BY vault_id, day""")
                .params(ids, ids, Date.valueOf(from), Date.valueOf(to))
                .query((rs, i) -> new IngestionDay(rs.getInt(1), rs.getDate(2).toLocalDate(), rs.getLong(3), rs.getLong(4),
                        rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8), (Long) rs.getObject(9), (Long) rs.getObject(10)))
                .list().stream().filter(d -> !d.day().isBefore(from)).toList();
        if (format.equals("json")) {
            return ResponseEntity.ok(days);
        }
        StringBuilder csv = new StringBuilder("vault_id,day,bytes,files,completed,failed,abandoned,peak_connections,stored_bytes,stored_bytes_growth\n");
        for (IngestionDay d : days) {
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
