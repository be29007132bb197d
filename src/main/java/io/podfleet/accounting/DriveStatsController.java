package io.podfleet.accounting;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

/** Drive Stats: import of public CSV files (OPERATOR, audited) and annualized failure rates (VIEWER). */
@RestController
class DriveStatsController {

    /** One group's failure figures over the range; {@code afr} in percent. */
    record AfrItem(String model, Long capacityBytes, long driveCount, long driveDays, long failures, double afr) {
    }

    record AfrAnswer(LocalDate from, LocalDate to, long minDriveDays, String by, List<AfrItem> items) {
    }

    private final DriveStatsImport importer;
    private final DriveStatsExport exporter;
    private final JdbcClient jdbc;

    DriveStatsController(DriveStatsImport importer, DriveStatsExport exporter, JdbcClient jdbc) {
        this.importer = importer;
        this.exporter = exporter;
        this.jdbc = jdbc;
    }

    /**
     * One day as a Drive Stats CSV ({@code day=}), or a range ({@code from=}, {@code to=}) as a zip of daily files
     * named {@code YYYY-MM-DD.csv}, as the public archives are.
     */
    @GetMapping("/api/v1/drive-stats/export")
    void export(@RequestParam(required = false) LocalDate day, @RequestParam(required = false) LocalDate from,
                @RequestParam(required = false) LocalDate to, jakarta.servlet.http.HttpServletResponse response) throws IOException {
        if (day != null) {
            response.setContentType("text/csv;charset=UTF-8");
            response.setHeader("Content-Disposition", "attachment; filename=\"" + day + ".csv\"");
            exporter.write(day, response.getWriter());
            return;
        }
        if (from == null || to == null) {
            throw new AccountingProblems.InvalidField("day", "give day, or from and to");
        }
        if (to.isBefore(from) || from.plusDays(366).isBefore(to)) {
            throw new AccountingProblems.InvalidField("to", "must be from 0 to 366 days after from");
        }
        response.setContentType("application/zip");
        response.setHeader("Content-Disposition", "attachment; filename=\"drive-stats-" + from + "-" + to + ".zip\"");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(response.getOutputStream())) {
            java.io.Writer writer = new java.io.OutputStreamWriter(zip, StandardCharsets.UTF_8);
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                zip.putNextEntry(new java.util.zip.ZipEntry(d + ".csv"));
                exporter.write(d, writer);
                zip.closeEntry();
            }
        }
    }

    /** The raw CSV as the body ({@code text/csv}); streamed, so a full daily file of the fleet fits. */
    @PostMapping(value = "/api/v1/drive-stats/import", consumes = {"text/csv", "text/plain", "application/octet-stream"})
    @PreAuthorize("hasRole('OPERATOR')")
    @ResponseStatus(HttpStatus.OK)
    DriveStatsImport.Imported importCsv(HttpServletRequest request, @RequestParam(required = false) String name) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            return importer.importCsv(in, name);
        }
    }

    @GetMapping("/api/v1/drive-stats/afr")
    AfrAnswer afr(@RequestParam LocalDate from, @RequestParam LocalDate to,
                  @RequestParam(defaultValue = "0") long minDriveDays, @RequestParam(defaultValue = "model") String by) {
        if (to.isBefore(from)) {
            throw new AccountingProblems.InvalidField("to", "must not be before from");
        }
        if (!by.equals("model") && !by.equals("capacity")) {
            throw new AccountingProblems.InvalidField("by", "must be model or capacity");
        }
        String group = by.equals("model") ? "model" : "capacity_bytes";
        List<AfrItem> items = jdbc.sql("SELECT " + group + ", count(DISTINCT serial), count(*), count(*) FILTER (WHERE failure)"
                        + " FROM drive_day WHERE day BETWEEN ? AND ? GROUP BY " + group + " HAVING count(*) >= ? ORDER BY 1")
                .params(Date.valueOf(from), Date.valueOf(to), minDriveDays)
                .query((rs, i) -> {
                    long days = rs.getLong(3);
                    long failures = rs.getLong(4);
                    return by.equals("model")
                            ? new AfrItem(rs.getString(1), null, rs.getLong(2), days, failures, Afr.percent(failures, days))
                            : new AfrItem(null, (Long) rs.getObject(1), rs.getLong(2), days, failures, Afr.percent(failures, days));
                })
                .list();
        return new AfrAnswer(from, to, minDriveDays, by, items);
    }
}
