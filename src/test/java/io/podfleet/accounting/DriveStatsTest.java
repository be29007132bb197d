package io.podfleet.accounting;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Importing a real public Drive Stats file over HTTP, refusing a bad one whole, and AFR from constructed days. */
class DriveStatsTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SAMPLE = Path.of("src/test/resources/drivestats/2013-04-12_head200.csv");

    @Test
    void importsThe2013FileWithItsPerModelCountsAndReimportingReplacesTheDay() throws Exception {
        List<String> lines = Files.readAllLines(SAMPLE);
        Map<String, Long> expected = new TreeMap<>();
        int model = List.of(lines.get(0).split(",")).indexOf("model");
        lines.stream().skip(1).forEach(l -> expected.merge(l.split(",", -1)[model], 1L, Long::sum));

        HttpResponse<String> r = importCsv(Files.readString(SAMPLE), token("OPERATOR"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("rows").asLong()).isEqualTo(200);
        assertThat(body.path("days").get(0).asString()).isEqualTo("2013-04-12");
        Map<String, Long> counted = new TreeMap<>();
        jdbc.sql("SELECT model, count(*) FROM drive_day WHERE day = '2013-04-12' GROUP BY model").query(rs -> {
            counted.put(rs.getString(1), rs.getLong(2));
        });
        assertThat(counted).isEqualTo(expected);
        assertThat(jdbc.sql("SELECT smart->'9'->>1 FROM drive_day WHERE serial = ?").param(lines.get(1).split(",")[1])
                .query(String.class).single()).as("power-on hours raw kept").isEqualTo(lines.get(1).split(",", -1)[
                List.of(lines.get(0).split(",")).indexOf("smart_9_raw")]);

        assertThat(importCsv(Files.readString(SAMPLE), ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM drive_day WHERE day = '2013-04-12'").query(Long.class).single())
                .as("re-importing a day replaces it").isEqualTo(200);
    }

    @Test
    void aBadRowFailsTheWholeFileWithItsLineNumber() throws Exception {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(SAMPLE));
        String[] f = lines.get(56).split(",", -1);
        f[0] = "2013-04-13"; // a second day in the file, so a partial import would show
        lines.set(56, String.join(",", f));
        String[] bad = lines.get(120).split(",", -1);
        bad[4] = "yes";
        lines.set(120, String.join(",", bad));
        long before = jdbc.sql("SELECT count(*) FROM drive_day").query(Long.class).single();
        HttpResponse<String> r = importCsv(String.join("\n", lines), token("OPERATOR"));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("field").asString()).isEqualTo("line 121");
        assertThat(problem.path("detail").asString()).contains("failure", "'yes'", "nothing of this file was imported");
        assertThat(jdbc.sql("SELECT count(*) FROM drive_day").query(Long.class).single()).isEqualTo(before);
        String[] nul = lines.get(120).split(",", -1);
        nul[1] = "MJ03\0X"; // PostgreSQL cannot store a NUL: refused by line and column, not a 500
        lines.set(120, String.join(",", nul));
        HttpResponse<String> withNul = importCsv(String.join("\n", lines), token("OPERATOR"));
        assertThat(withNul.statusCode()).as(withNul.body()).isEqualTo(400);
        assertThat(JSON.readTree(withNul.body()).path("detail").asString()).contains("serial_number", "NUL");
        assertThat(jdbc.sql("SELECT count(*) FROM drive_day").query(Long.class).single()).isEqualTo(before);
        // what the table cannot hold, by line and column (these were 500s)
        String header = "date,serial_number,model,capacity_bytes,failure,vault_id\n";
        HttpResponse<String> longModel = importCsv(header + "2013-04-20,S1," + "M".repeat(101) + ",1000,0,\n", token("OPERATOR"));
        assertThat(longModel.statusCode()).as(longModel.body()).isEqualTo(400);
        assertThat(JSON.readTree(longModel.body()).path("detail").asString()).contains("model", "longer than 100");
        HttpResponse<String> bigVault = importCsv(header + "2013-04-20,S1,M,1000,0,99999999999\n", token("OPERATOR"));
        assertThat(bigVault.statusCode()).as(bigVault.body()).isEqualTo(400);
        assertThat(JSON.readTree(bigVault.body()).path("detail").asString()).contains("vault_id", "out of range");
        assertThat(jdbc.sql("SELECT count(*) FROM drive_day").query(Long.class).single()).isEqualTo(before);
        assertThat(importCsv("date,serial\n", ADMIN_TOKEN).statusCode()).as("a header without required columns").isEqualTo(400);
        assertThat(importCsv(Files.readString(SAMPLE), token("VIEWER")).statusCode()).isEqualTo(403);
    }

    @Test
    void afrByModelFromConstructedDriveDaysAndTheMinimumDriveDaysFilter() throws Exception {
        jdbc.sql("DELETE FROM drive_day").update();
        // model A: 20 drives x 365 days, 2 failures -> 10 %; model B: 2 drives x 10 days, 1 failure
        jdbc.sql("""
                INSERT INTO drive_day (day, serial, model, capacity_bytes, failure, source)
                SELECT DATE '2025-01-01' + d, 'A' || s, 'MODEL A', 4000000000000, (s < 2 AND d = 364), 'import'
                FROM generate_series(0, 364) d, generate_series(0, 19) s""").update();
        jdbc.sql("""
                INSERT INTO drive_day (day, serial, model, capacity_bytes, failure, source)
                SELECT DATE '2025-03-01' + d, 'B' || s, 'MODEL B', 8000000000000, (s = 0 AND d = 9), 'import'
                FROM generate_series(0, 9) d, generate_series(0, 1) s""").update();
        JsonNode all = JSON.readTree(get("/api/v1/drive-stats/afr?from=2025-01-01&to=2025-12-31", ADMIN_TOKEN).body());
        JsonNode a = all.path("items").get(0);
        assertThat(a.path("model").asString()).isEqualTo("MODEL A");
        assertThat(a.path("driveCount").asLong()).isEqualTo(20);
        assertThat(a.path("driveDays").asLong()).isEqualTo(7300);
        assertThat(a.path("failures").asLong()).isEqualTo(2);
        assertThat(a.path("afr").asDouble()).isCloseTo(10.0, within(1e-9));
        assertThat(all.path("items")).hasSize(2);
        JsonNode filtered = JSON.readTree(get("/api/v1/drive-stats/afr?from=2025-01-01&to=2025-12-31&minDriveDays=100", ADMIN_TOKEN).body());
        assertThat(filtered.path("items")).hasSize(1);
        JsonNode bySize = JSON.readTree(get("/api/v1/drive-stats/afr?from=2025-01-01&to=2025-12-31&by=capacity", ADMIN_TOKEN).body());
        assertThat(bySize.path("items").get(1).path("capacityBytes").asLong()).isEqualTo(8000000000000L);
        assertThat(get("/api/v1/drive-stats/afr?from=2025-02-01&to=2025-01-01", ADMIN_TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void exportingAnImportedDayGivesBackTheColumnsBothSchemasShare() throws Exception {
        assertThat(importCsv(Files.readString(SAMPLE), ADMIN_TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> export = get("/api/v1/drive-stats/export?day=2013-04-12", ADMIN_TOKEN);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        Map<String, Map<String, String>> original = bySerial(Files.readAllLines(SAMPLE));
        Map<String, Map<String, String>> exported = bySerial(export.body().lines().toList());
        assertThat(exported.keySet()).isEqualTo(original.keySet());
        List<String> exportedHeader = List.of(export.body().lines().findFirst().orElseThrow().split(","));
        assertThat(exportedHeader).startsWith("date", "serial_number", "model", "capacity_bytes", "failure", "datacenter",
                "cluster_id", "vault_id", "pod_id", "pod_slot_num", "is_legacy_format");
        int compared = 0;
        for (String column : original.values().iterator().next().keySet()) {
            if (!exportedHeader.contains(column)) {
                continue;
            }
            for (String serial : original.keySet()) {
                String want = original.get(serial).get(column);
                String got = exported.get(serial).get(column);
                assertThat(same(want, got)).as(serial + " " + column + ": " + want + " -> " + got).isTrue();
            }
            compared++;
        }
        assertThat(compared).as("every column of the 2013 file exists in the export: " + exportedHeader + " vs " + original.values().iterator().next().keySet()).isEqualTo(original.values().iterator().next().size());

        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url("/api/v1/drive-stats/export?from=2013-04-12&to=2013-04-13"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        List<String> entries = new java.util.ArrayList<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName());
            }
        }
        assertThat(entries).containsExactly("2013-04-12.csv", "2013-04-13.csv");
    }

    @Test
    void aFormUploadImportsEachFileInItsOwnTransactionAndNamesTheBadOne() throws Exception {
        jdbc.sql("DELETE FROM drive_day").update();
        List<String> lines = Files.readAllLines(SAMPLE);
        String day12 = String.join("\n", lines);
        String day13 = day12.replace("2013-04-12", "2013-04-13");
        String broken = day12.replace("2013-04-12", "2013-04-14").replaceFirst("(?m)^(2013-04-14,[^,]*,[^,]*,)[^,]*", "$1many");
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("2013-04-12.csv", day12);
        files.put("2013-04-13.csv", day13);
        files.put("2013-04-14.csv", broken);
        HttpResponse<String> r = upload("/api/v1/drive-stats/import", token("OPERATOR"), "file", files);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("field").asString()).isEqualTo("2013-04-14.csv line 2");
        assertThat(problem.path("detail").asString()).contains("capacity_bytes", "2013-04-12.csv, 2013-04-13.csv");
        assertThat(jdbc.sql("SELECT day::text, count(*) FROM drive_day GROUP BY day ORDER BY day").query().listOfRows())
                .as("the files before the bad one are in, the bad one not at all")
                .extracting(row -> row.get("day") + "=" + row.get("count")).containsExactly("2013-04-12=200", "2013-04-13=200");

        files.remove("2013-04-14.csv");
        HttpResponse<String> again = upload("/api/v1/drive-stats/import", token("OPERATOR"), "file", files);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body())).hasSize(2);
        // the per-day groups AFR reads stay equal to the drive days themselves through replace and delete
        jdbc.sql("DELETE FROM drive_day WHERE day = '2013-04-13' AND model LIKE 'Hitachi%'").update();
        assertThat(jdbc.sql("SELECT day, model, capacity_bytes, drives, failures FROM drive_day_group ORDER BY 1, 2, 3").query().listOfRows())
                .isEqualTo(jdbc.sql("""
                        SELECT day, model, COALESCE(capacity_bytes, -1) AS capacity_bytes, count(*) AS drives,
                          count(*) FILTER (WHERE failure) AS failures FROM drive_day GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""").query().listOfRows());
        assertThat(upload("/api/v1/drive-stats/import", token("VIEWER"), "file", files).statusCode()).isEqualTo(403);
    }

    /** Equal as text, or as numbers (the export writes 100 where a file may say 100.0). */
    private static boolean same(String want, String got) {
        if (want.equals(got)) {
            return true;
        }
        try {
            return Double.parseDouble(want) == Double.parseDouble(got);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, Map<String, String>> bySerial(List<String> lines) {
        String[] header = lines.get(0).split(",", -1);
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], f[i]);
            }
            rows.put(row.get("serial_number"), row);
        }
        return rows;
    }

    private HttpResponse<String> importCsv(String csv, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url("/api/v1/drive-stats/import?name=test.csv"))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
