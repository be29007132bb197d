package io.podfleet.accounting;

import org.springframework.http.HttpStatus;
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
import java.time.LocalDate;
import java.util.List;

/** Drive Stats: import of public CSV files (OPERATOR, audited) and annualized failure rates (VIEWER). */
@RestController
class DriveStatsController {

    private final DriveStatsImport importer;
    private final DriveStatsExport exporter;
    private final AccountingReports reports;

    DriveStatsController(DriveStatsImport importer, DriveStatsExport exporter, AccountingReports reports) {
        this.importer = importer;
        this.exporter = exporter;
        this.reports = reports;
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

    /**
     * Files as the parts named {@code file} of a form upload, each in its own transaction, in order. A bad file stops
     * there: the refusal names it and its line, and says which files before it were imported.
     */
    @PostMapping(value = "/api/v1/drive-stats/import", consumes = "multipart/form-data")
    @PreAuthorize("hasRole('OPERATOR')")
    @ResponseStatus(HttpStatus.OK)
    List<DriveStatsImport.Imported> importForm(@RequestParam("file") List<org.springframework.web.multipart.MultipartFile> files)
            throws IOException {
        List<DriveStatsImport.Imported> done = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        for (org.springframework.web.multipart.MultipartFile file : files) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
                done.add(importer.importCsv(in, file.getOriginalFilename()));
                names.add(file.getOriginalFilename());
            } catch (DriveStatsImport.BadDriveStatsFile bad) {
                throw new DriveStatsImport.BadDriveStatsFile(file.getOriginalFilename() + ": " + bad.getMessage()
                        + (names.isEmpty() ? "" : "; imported before it: " + String.join(", ", names)),
                        file.getOriginalFilename() + " " + bad.field());
            }
        }
        return done;
    }

    @GetMapping("/api/v1/drive-stats/afr")
    AccountingReports.AfrAnswer afr(@RequestParam LocalDate from, @RequestParam LocalDate to,
                                    @RequestParam(defaultValue = "0") long minDriveDays, @RequestParam(defaultValue = "model") String by) {
        return reports.afr(from, to, minDriveDays, by);
    }
}
