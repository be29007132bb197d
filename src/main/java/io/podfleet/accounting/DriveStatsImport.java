package io.podfleet.accounting;

import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.security.AuditLog;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.io.BufferedReader;
import java.io.IOException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Imports a public Drive Stats CSV file, streamed, in one transaction: every day the file holds replaces what was
 * imported for that day before, and a bad row fails the whole file with its line number, leaving nothing of it.
 */
@Service
class DriveStatsImport {

    /** What a file brought: rows, the days it covered, drives per model. */
    record Imported(long rows, List<LocalDate> days, Map<String, Long> drivesByModel) {
    }

    static final class BadDriveStatsFile extends DomainProblem {
        BadDriveStatsFile(String detail, String field) {
            super(HttpStatus.BAD_REQUEST, field, detail);
        }
    }

    private static final int BATCH = 1000;
    private static final String INSERT = """
            INSERT INTO drive_day (day, serial, model, capacity_bytes, failure, datacenter, cluster_id, vault_id, pod_id,
              pod_slot_num, smart, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'import')""";

    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    DriveStatsImport(JdbcTemplate jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Transactional
    Imported importCsv(BufferedReader in, String name) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new BadDriveStatsFile("the file is empty; expected a header with " + DriveStatsCsv.required(), "line 1");
        }
        try {
            DriveStatsCsv csv = new DriveStatsCsv(header.startsWith("\uFEFF") ? header.substring(1) : header);
            Set<LocalDate> days = new HashSet<>();
            Set<String> seen = new HashSet<>();
            Map<String, Long> models = new TreeMap<>();
            List<Object[]> batch = new ArrayList<>(BATCH);
            long rows = 0;
            long number = 1;
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                DriveStatsCsv.DriveDay d = csv.row(line, number);
                if (days.add(d.day())) {
                    jdbc.update("DELETE FROM drive_day WHERE day = ? AND source = 'import'", Date.valueOf(d.day()));
                }
                if (!seen.add(d.day() + "/" + d.serial())) {
                    throw new DriveStatsCsv.BadRow(number, "serial_number", "drive " + d.serial() + " appears twice on " + d.day());
                }
                models.merge(d.model(), 1L, Long::sum);
                batch.add(new Object[]{Date.valueOf(d.day()), d.serial(), d.model(), d.capacityBytes(), d.failure(), d.datacenter(),
                        d.clusterId(), d.vaultId(), d.podId(), d.podSlot(), smartJson(d.smart())});
                rows++;
                if (batch.size() == BATCH) {
                    jdbc.batchUpdate(INSERT, batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                jdbc.batchUpdate(INSERT, batch);
            }
            List<LocalDate> sorted = days.stream().sorted().toList();
            audit.record("drive-stats.import", "drive-stats:" + (sorted.isEmpty() ? "none" : sorted.get(0)), null,
                    Map.of("file", name == null ? "" : name, "rows", rows, "days", sorted.stream().map(LocalDate::toString).toList()));
            return new Imported(rows, sorted, models);
        } catch (DriveStatsCsv.BadRow bad) {
            throw new BadDriveStatsFile(bad.getMessage() + "; nothing of this file was imported", "line " + bad.line);
        }
    }

    private static String smartJson(Map<Integer, Long[]> smart) {
        if (smart.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder("{");
        smart.forEach((id, pair) -> b.append(b.length() > 1 ? "," : "").append('"').append(id).append("\":[")
                .append(pair[0]).append(',').append(pair[1]).append(']'));
        return b.append('}').toString();
    }
}
