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

    private static final int CHUNK = 64 * 1024;
    private static final String COPY = "COPY drive_day (day, serial, model, capacity_bytes, failure, datacenter, cluster_id,"
            + " vault_id, pod_id, pod_slot_num, smart, source) FROM STDIN";

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final javax.sql.DataSource dataSource;

    DriveStatsImport(JdbcTemplate jdbc, AuditLog audit, javax.sql.DataSource dataSource) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.dataSource = dataSource;
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
            long rows = 0;
            long number = 1;
            String line;
            // rows go to PostgreSQL by COPY (this transaction's connection), in chunks as they are read; a bad row
            // cancels the COPY and the transaction rolls back with everything before it
            org.postgresql.copy.CopyIn copy = null;
            StringBuilder chunk = new StringBuilder(CHUNK + 4096);
            try {
                while ((line = in.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    DriveStatsCsv.DriveDay d = csv.row(line, number);
                    if (days.add(d.day())) {
                        if (copy != null) { // a new day: its old rows go before more of its rows arrive
                            flush(copy, chunk);
                            copy.endCopy();
                            copy = null;
                        }
                        jdbc.update("DELETE FROM drive_day WHERE day = ? AND source = 'import'", Date.valueOf(d.day()));
                    }
                    if (!seen.add(d.day() + "/" + d.serial())) {
                        throw new DriveStatsCsv.BadRow(number, "serial_number", "drive " + d.serial() + " appears twice on " + d.day());
                    }
                    models.merge(d.model(), 1L, Long::sum);
                    append(chunk, d);
                    rows++;
                    if (chunk.length() >= CHUNK) {
                        if (copy == null) {
                            copy = copyIn();
                        }
                        flush(copy, chunk);
                    }
                }
                if (chunk.length() > 0) {
                    if (copy == null) {
                        copy = copyIn();
                    }
                    flush(copy, chunk);
                }
                if (copy != null) {
                    copy.endCopy();
                    copy = null;
                }
            } catch (java.sql.SQLException e) {
                throw new org.springframework.dao.DataIntegrityViolationException("copying Drive Stats rows: " + e.getMessage(), e);
            } finally {
                if (copy != null && copy.isActive()) {
                    try {
                        copy.cancelCopy();
                    } catch (java.sql.SQLException ignored) {
                        // the transaction rolls back anyway
                    }
                }
            }
            List<LocalDate> sorted = days.stream().sorted().toList();
            audit.record("drive-stats.import", "drive-stats:" + (sorted.isEmpty() ? "none" : sorted.get(0)), null,
                    Map.of("file", name == null ? "" : name, "rows", rows, "days", sorted.stream().map(LocalDate::toString).toList()));
            return new Imported(rows, sorted, models);
        } catch (DriveStatsCsv.BadRow bad) {
            throw new BadDriveStatsFile(bad.getMessage() + "; nothing of this file was imported", "line " + bad.line);
        }
    }

    private org.postgresql.copy.CopyIn copyIn() throws java.sql.SQLException {
        java.sql.Connection c = org.springframework.jdbc.datasource.DataSourceUtils.getConnection(dataSource);
        return c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(COPY);
    }

    private static void flush(org.postgresql.copy.CopyIn copy, StringBuilder chunk) throws java.sql.SQLException {
        byte[] bytes = chunk.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }

    /** One row in COPY's text format: tab-separated, \\N for null, tabs, newlines and backslashes escaped. */
    private static void append(StringBuilder b, DriveStatsCsv.DriveDay d) {
        b.append(d.day()).append('\t');
        text(b, d.serial()).append('\t');
        text(b, d.model()).append('\t');
        value(b, d.capacityBytes()).append('\t').append(d.failure() ? 't' : 'f').append('\t');
        text(b, d.datacenter()).append('\t');
        value(b, d.clusterId()).append('\t');
        value(b, d.vaultId()).append('\t');
        value(b, d.podId()).append('\t');
        value(b, d.podSlot()).append('\t');
        text(b, smartJson(d.smart())).append("\timport\n");
    }

    private static StringBuilder value(StringBuilder b, Object v) {
        return v == null ? b.append("\\N") : b.append(v);
    }

    private static StringBuilder text(StringBuilder b, String v) {
        if (v == null) {
            return b.append("\\N");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b;
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
