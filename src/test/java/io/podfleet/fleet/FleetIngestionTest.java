package io.podfleet.fleet;

import io.podfleet.agent.AgentMain;
import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the server on a random port, a real agent process enrolled with a token, a stand-in smartctl printing
 * real drive outputs. The host and its drives appear with their verdicts; a pulled drive goes MISSING then FAILED; a
 * new serial in its slot marks it REPLACED.
 */
@TestPropertySource(properties = "podfleet.fleet.missing-grace=0s")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIngestionTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SAMPLES = Path.of("src/test/resources/smart-samples").toAbsolutePath();
    private static final Path STANDIN = Path.of("src/test/resources/standin/smartctl").toAbsolutePath();
    private static Path dir;
    private static String enrollmentToken;

    @BeforeAll
    static void host() throws Exception {
        dir = Files.createTempDirectory("podfleet-e2e");
        Path host = Files.createDirectories(dir.resolve("host"));
        Path byPath = Files.createDirectories(dir.resolve("dev/disk/by-path"));
        String[][] drives = {
                {"sda", "sat ATA", "prometheus-community__smartctl_exporter__testdata__sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json"},
                {"sdb", "sat ATA", "prometheus-community__smartctl_exporter__testdata__sat-null-ST18000NM000J-2TV103-sda.json"},
                {"sdc", "sat ATA", "prometheus-community__smartctl_exporter__testdata__sat-Western_Digital_Ultrastar_DC_HC550-WDC__WUH721816ALE6L4-sdx.json"},
                {"sdd", "sat ATA", "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-megaraid0.json"},
                {"sde", "sat ATA", "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-fail2.json"},
                {"sdf", "nvme NVMe", "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-nvme-failed.json"}};
        StringBuilder devices = new StringBuilder();
        for (int i = 0; i < drives.length; i++) {
            devices.append(drives[i][0]).append(' ').append(drives[i][1]).append('\n');
            Files.copy(SAMPLES.resolve(drives[i][2]), host.resolve(drives[i][0] + ".json"));
            Files.createSymbolicLink(byPath.resolve("pci-0000:01:00.0-sas-phy" + i + "-lun-0"), Path.of("../../" + drives[i][0]));
        }
        Files.writeString(host.resolve("devices"), devices);
        Files.writeString(host.resolve("serial-prefix"), "E2E");
        Files.writeString(dir.resolve("smartctl"), "#!/bin/sh\nSMARTCTL_STANDIN='" + host + "' exec '" + STANDIN + "' \"$@\"\n");
        dir.resolve("smartctl").toFile().setExecutable(true);
    }

    @org.junit.jupiter.api.AfterAll
    static void removeHost() {
        org.springframework.util.FileSystemUtils.deleteRecursively(dir.toFile());
    }

    @Test
    @Order(1)
    void anEnrolledAgentsHostAndDrivesAppearWithTheirVerdicts() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/enrollment-tokens", ADMIN_TOKEN, "{\"ttl\":\"PT1H\",\"hostname\":\"pod-e2e-01\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        enrollmentToken = JSON.readTree(created.body()).path("token").asString();

        assertThat(runAgentOnce()).isZero();

        JsonNode hosts = JSON.readTree(get("/api/v1/hosts", ADMIN_TOKEN).body());
        assertThat(hosts.path("total").asLong()).isEqualTo(1);
        long hostId = hosts.path("items").get(0).path("id").asLong();
        assertThat(hosts.path("items").get(0).path("hostname").asString()).isEqualTo("pod-e2e-01");
        Map<Integer, JsonNode> bySlot = drivesBySlot(hostId);
        assertThat(bySlot).hasSize(6);
        assertThat(bySlot.get(0).path("serial").asString()).isEqualTo("E2E-sda");
        assertThat(bySlot.get(0).path("state").asString()).isEqualTo("IN_SERVICE");
        assertThat(bySlot.get(4).path("state").asString()).isEqualTo("FAILED");
        assertThat(bySlot.get(4).path("reasons").get(0).path("field").asString()).isEqualTo("smart_status.passed");
        assertThat(bySlot.get(5).path("state").asString()).isEqualTo("WARNING");

        JsonNode drive = JSON.readTree(get("/api/v1/drives/" + bySlot.get(0).path("id").asLong(), ADMIN_TOKEN).body());
        assertThat(drive.path("reading").path("model").asString()).isEqualTo("ST16000NM001G-2KK103");
        assertThat(drive.path("events").get(0).path("kind").asString()).isEqualTo("appeared");
        JsonNode history = JSON.readTree(get("/api/v1/drives/" + bySlot.get(0).path("id").asLong() + "/history", ADMIN_TOKEN).body());
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("commandTimeout").asLong()).as("Seagate 188 unpacked").isEqualTo(12);
        assertThat(audit("host:" + hostId)).contains("host.enroll");
    }

    @Test
    @Order(2)
    void aPulledDriveGoesMissingThenFailedAndItsReplacementIsSeen() throws Exception {
        long hostId = JSON.readTree(get("/api/v1/hosts", ADMIN_TOKEN).body()).path("items").get(0).path("id").asLong();
        long pulled = drivesBySlot(hostId).get(1).path("id").asLong();
        Path host = dir.resolve("host");
        Files.writeString(host.resolve("devices"), Files.readString(host.resolve("devices")).replace("sdb sat ATA\n", ""));
        String lastReportWithIt = lastReportAt(hostId);

        assertThat(runAgentOnce()).isZero();
        assertThat(state(pulled)).isEqualTo("MISSING");
        assertThat(lastSeenAt(pulled)).as("last seen in the report before it went missing").isEqualTo(lastReportWithIt);
        long stayed = drivesBySlot(hostId).get(0).path("id").asLong();
        assertThat(lastSeenAt(stayed)).as("a drive still reported was seen in the latest report")
                .isEqualTo(lastReportAt(hostId)).isNotEqualTo(lastReportWithIt);
        assertThat(runAgentOnce()).isZero();
        assertThat(state(pulled)).as("missing past the grace (0 s here)").isEqualTo("FAILED");

        Files.writeString(host.resolve("devices"), Files.readString(host.resolve("devices")) + "sdb sat ATA\n");
        Files.copy(SAMPLES.resolve("AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-ata.json"),
                host.resolve("sdb.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(host.resolve("sdb.keep-serial"), "");
        assertThat(runAgentOnce()).isZero();

        assertThat(state(pulled)).isEqualTo("REPLACED");
        JsonNode newcomer = drivesBySlot(hostId).get(1);
        assertThat(newcomer.path("serial").asString()).isEqualTo("9RK1XXXX");
        assertThat(newcomer.path("state").asString()).isEqualTo("IN_SERVICE");
        JsonNode events = JSON.readTree(get("/api/v1/drives/" + pulled, ADMIN_TOKEN).body()).path("events");
        List<String> kinds = new ArrayList<>();
        events.forEach(e -> kinds.add(e.path("toState").asString()));
        assertThat(kinds).containsExactly("REPLACED", "FAILED", "MISSING", "IN_SERVICE");
        assertThat(events.get(0).path("reason").asString()).isEqualTo("replaced by 9RK1XXXX in slot 1");
    }

    @Test
    @Order(3)
    void aReplayedReportIsAcknowledgedAndNotStoredTwice() throws Exception {
        String credential = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("credential").asString();
        String hostId = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("hostId").asString();
        String report = report(hostId, "11111111-2222-3333-4444-555555555555");
        HttpResponse<String> first = send("POST", "/api/v1/agent/reports", credential, report);
        HttpResponse<String> again = send("POST", "/api/v1/agent/reports", credential, report);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).path("duplicate").asBoolean()).isFalse();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("duplicate").asBoolean()).isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM smart_sample s JOIN drive d ON d.id = s.drive_id WHERE d.serial = 'REPLAY-1'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void badCallsGetTheirErrorAndWriteNothing() throws Exception {
        String credential = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("credential").asString();
        String hostId = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("hostId").asString();
        long drivesBefore = jdbc.sql("SELECT count(*) FROM drive").query(Long.class).single();

        HttpResponse<String> otherHost = send("POST", "/api/v1/agent/reports", credential,
                report("999999", java.util.UUID.randomUUID().toString()));
        assertThat(otherHost.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(otherHost.body()).path("field").asString()).isEqualTo("hostId");

        HttpResponse<String> malformed = send("POST", "/api/v1/agent/reports", credential, "{\"reportId\":");
        assertThat(malformed.statusCode()).isEqualTo(400);

        HttpResponse<String> badSlot = send("POST", "/api/v1/agent/reports", credential,
                report(hostId, java.util.UUID.randomUUID().toString()).replace("\"slot\":40", "\"slot\":-4"));
        assertThat(badSlot.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badSlot.body()).path("field").asString()).isEqualTo("drives[0].slot");

        // PostgreSQL cannot store a NUL: refused with the field named, not a 500 from the database
        HttpResponse<String> nul = send("POST", "/api/v1/agent/reports", credential,
                report(hostId, java.util.UUID.randomUUID().toString()).replace("REPLAY-1", "REPLAY-\\u0000"));
        assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);
        assertThat(JSON.readTree(nul.body()).path("field").asString()).isEqualTo("drives[0].reading.serial");
        long tokensBefore = jdbc.sql("SELECT count(*) FROM enrollment_token").query(Long.class).single();
        HttpResponse<String> nulToken = send("POST", "/api/v1/enrollment-tokens", ADMIN_TOKEN, "{\"hostname\":\"pod\\u0000x\"}");
        assertThat(nulToken.statusCode()).as(nulToken.body()).isEqualTo(400);
        assertThat(JSON.readTree(nulToken.body()).path("field").asString()).isEqualTo("hostname");
        assertThat(jdbc.sql("SELECT count(*) FROM enrollment_token").query(Long.class).single()).isEqualTo(tokensBefore);

        HttpResponse<String> longToken = send("POST", "/api/v1/enrollment-tokens", ADMIN_TOKEN, "{\"systemSerial\":\"" + "s".repeat(101) + "\"}");
        assertThat(longToken.statusCode()).as(longToken.body()).isEqualTo(400);
        assertThat(JSON.readTree(longToken.body()).path("field").asString()).isEqualTo("systemSerial");
        assertThat(jdbc.sql("SELECT count(*) FROM enrollment_token").query(Long.class).single()).isEqualTo(tokensBefore);

        String huge = "{\"reportId\":\"" + java.util.UUID.randomUUID() + "\",\"pad\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}";
        assertThat(send("POST", "/api/v1/agent/reports", credential, huge).statusCode()).isEqualTo(413);

        assertThat(send("POST", "/api/v1/agent/reports", ADMIN_TOKEN, report(hostId, java.util.UUID.randomUUID().toString()))
                .statusCode()).as("an API token is not an agent").isEqualTo(403);
        assertThat(get("/api/v1/hosts", credential).statusCode()).as("an agent cannot read the API").isEqualTo(403);
        assertThat(jdbc.sql("SELECT count(*) FROM drive").query(Long.class).single()).isEqualTo(drivesBefore);
    }

    /**
     * Trend rules judge a drive by its newest samples, which ingestion keeps on the drive's row; a row without them
     * (a drive stored before they were kept there) is judged from the stored samples instead.
     */
    /**
     * Two paths to one dual-ported drive make an agent list it twice; a slot map gone wrong gives two drives one slot.
     * The report is stored (refusing it would lose its other drives for good), each drive once, and the host says so.
     */
    @Test
    @Order(5)
    void aDriveListedTwiceOrTwoDrivesInOneSlotAreStoredOnceAndTheHostSaysSo() throws Exception {
        String credential = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("credential").asString();
        String hostId = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("hostId").asString();
        String drive = "{\"slot\":%s,\"slotSource\":\"by-path\",\"reading\":{\"serial\":\"%s\",\"model\":\"X\","
                + "\"driveInterface\":\"ATA\",\"smartPassed\":true,\"exitStatus\":{\"value\":0}}}";
        String report = "{\"reportId\":\"" + java.util.UUID.randomUUID() + "\",\"hostId\":\"" + hostId + "\",\"takenAt\":\""
                + java.time.Instant.now() + "\",\"agentVersion\":\"test\",\"drives\":[" + drive.formatted("45", "DUP-A") + ","
                + drive.formatted("45", "DUP-B") + "," + drive.formatted("null", "DUP-A") + "]}";
        HttpResponse<String> r = send("POST", "/api/v1/agent/reports", credential, report);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM drive WHERE serial = 'DUP-A'").query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT slot FROM drive WHERE serial = 'DUP-A'").query(Integer.class).single()).isEqualTo(45);
        assertThat(jdbc.sql("SELECT slot FROM drive WHERE serial = 'DUP-B'").query(Integer.class).optional()).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM drive WHERE serial = 'DUP-B' AND slot IS NULL").query(Long.class).single()).isEqualTo(1);
        assertThat(JSON.readTree(get("/api/v1/hosts/" + hostId, ADMIN_TOKEN).body()).path("host").path("profileMismatch").asString())
                .contains("drives reported twice (kept once): DUP-A", "slots claimed by two drives (the later stored without a slot): [45]");

        // what the columns cannot hold is stored as far as they allow, never refused: a refused report is lost for
        // good, and these were 500s an agent retries for ever
        String odd = ("{\"reportId\":\"%s\",\"hostId\":\"%s\",\"takenAt\":\"%s\",\"agentVersion\":\"%s\",\"drives\":["
                + "{\"slot\":46,\"reading\":{\"serial\":\"LONG-1\",\"model\":\"%s\",\"wwn\":\"%s\",\"temperatureC\":40000,"
                + "\"driveInterface\":\"ATA\",\"smartPassed\":true,\"exitStatus\":{\"value\":0}}},"
                + "{\"slot\":47,\"reading\":{\"serial\":\"%s\",\"smartPassed\":true,\"exitStatus\":{\"value\":0}}}],"
                + "\"shards\":[{\"slot\":46,\"mountPoint\":\"/%s\",\"mounted\":true}]}").formatted(java.util.UUID.randomUUID(), hostId,
                java.time.Instant.now(), "v".repeat(50), "M".repeat(150), "5".repeat(40), "S".repeat(101), "m".repeat(400));
        HttpResponse<String> stored = send("POST", "/api/v1/agent/reports", credential, odd);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT length(model) || ' ' || COALESCE(wwn, 'none') FROM drive WHERE serial = 'LONG-1'").query(String.class)
                .single()).isEqualTo("100 none");
        assertThat(jdbc.sql("SELECT count(*) FROM smart_sample s JOIN drive d ON d.id = s.drive_id WHERE d.serial = 'LONG-1'"
                + " AND s.temperature_c IS NULL").query(Long.class).single()).as("no temperature, not a wrapped one").isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM drive WHERE length(serial) > 100").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT length(agent_version) FROM host WHERE id = ?").param(Long.parseLong(hostId)).query(Integer.class)
                .single()).isEqualTo(40);
        assertThat(jdbc.sql("SELECT length(mount_points[array_position(slots, 46)]) FROM shard_filesystems WHERE host_id = ?").param(Long.parseLong(hostId))
                .query(Integer.class).single()).isEqualTo(300);
        assertThat(JSON.readTree(get("/api/v1/hosts/" + hostId, ADMIN_TOKEN).body()).path("host").path("profileMismatch").asString())
                .contains("serials longer than 100 characters (drives not stored): slot 47");
    }

    @Test
    @Order(5)
    void aReallocatedCountRisingOverReportsIsJudgedFromTheDrivesHistory() throws Exception {
        String credential = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("credential").asString();
        String hostId = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("hostId").asString();
        long[] reallocated = {1, 2, 3, 4, 4, 4, 4, 4};
        for (int i = 0; i < reallocated.length; i++) {
            String report = """
                    {"reportId":"%s","hostId":"%s","takenAt":"%s","agentVersion":"test",
                     "drives":[{"slot":41,"slotSource":"by-path","reading":{"serial":"TREND-1","model":"X","driveInterface":"ATA",
                       "smartPassed":true,"exitStatus":{"value":0},"ataAttributes":[{"id":5,"name":"Reallocated_Sector_Ct",
                       "value":100,"worst":100,"threshold":10,"raw":%d,"rawString":"%d","prefailure":true}]}}]}
                    """.formatted(java.util.UUID.randomUUID(), hostId, java.time.Instant.now(), reallocated[i], reallocated[i]);
            assertThat(send("POST", "/api/v1/agent/reports", credential, report).statusCode()).isEqualTo(200);
            if (i == 0) {
                assertThat(verdictOf("TREND-1")).as("one reading of 1: no trend yet").doesNotContain("growing");
            }
            if (i == 1) {
                jdbc.sql("UPDATE drive SET recent_counters = NULL WHERE serial = 'TREND-1'").update();
            }
            if (i == 3) {
                assertThat(verdictOf("TREND-1")).as("1 -> 4 in three successive rises, the third from samples read back")
                        .startsWith("FAILING").contains("growing");
            }
        }
        assertThat(verdictOf("TREND-1")).as("the six stored readings and this one: 2 -> 4, growth but no longer a run of rises")
                .contains("2 -> 4 over 7 readings", "grew")
                .doesNotContain("growing");
        assertThat(jdbc.sql("SELECT array_length(recent_counters, 1) FROM drive WHERE serial = 'TREND-1'").query(Integer.class)
                .single()).as("six points of four counters").isEqualTo(24);
    }

    private String verdictOf(String serial) {
        return jdbc.sql("SELECT verdict || ' ' || reasons::text FROM drive WHERE serial = ?").param(serial).query(String.class).single();
    }

    @Test
    @Order(6)
    void aSecondEnrollmentOfTheHostRevokesTheFirstCredential() throws Exception {
        String old = JSON.readTree(Files.readString(dir.resolve("credential.json"))).path("credential").asString();
        HttpResponse<String> reuse = send("POST", "/api/v1/agent/enroll", null,
                "{\"enrollmentToken\":\"" + enrollmentToken + "\",\"hostname\":\"pod-e2e-01\"}");
        assertThat(reuse.statusCode()).as("a token works once").isEqualTo(401);

        String token = JSON.readTree(send("POST", "/api/v1/enrollment-tokens", ADMIN_TOKEN, "{}").body()).path("token").asString();
        HttpResponse<String> unknownProfile = send("POST", "/api/v1/agent/enroll", null,
                "{\"enrollmentToken\":\"" + token + "\",\"hostname\":\"pod-e2e-01\",\"profileId\":\"pod-9000\"}");
        assertThat(unknownProfile.statusCode()).as(unknownProfile.body()).isEqualTo(400);
        assertThat(JSON.readTree(unknownProfile.body()).path("field").asString()).isEqualTo("profileId");
        assertThat(JSON.readTree(unknownProfile.body()).path("detail").asString()).contains("pod-9000", "backblaze-pod-6.0");
        HttpResponse<String> second = send("POST", "/api/v1/agent/enroll", null,
                "{\"enrollmentToken\":\"" + token + "\",\"hostname\":\"pod-e2e-01\"}");
        assertThat(second.statusCode()).isEqualTo(201);
        HttpResponse<String> withOld = send("POST", "/api/v1/agent/heartbeat", old, "{\"hostId\":\"1\",\"sequence\":1}");
        assertThat(withOld.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(withOld.body()).path("detail").asString()).contains("revoked");
        assertThat(JSON.readTree(get("/api/v1/hosts", ADMIN_TOKEN).body()).path("total").asLong()).isEqualTo(1);
    }

    /** A host enrolled without a profile takes the one its first report names, and keeps it. */
    @Test
    @Order(7)
    void aHostWithoutAProfileTakesTheOneItsReportNames() throws Exception {
        Enrolled enrolled = enroll("pod-profile-01");
        String hostId = enrolled.hostId();
        String credential = enrolled.credential();
        assertThat(hostSummary(hostId).path("profileId").isNull()).as("enrolled without one").isTrue();
        for (String profile : List.of("backblaze-pod-5.0", "dell-r740xd2")) {
            String body = report(hostId, java.util.UUID.randomUUID().toString())
                    .replace("\"agentVersion\":\"test\"", "\"agentVersion\":\"test\",\"profileId\":\"" + profile + "\"")
                    .replace("REPLAY-1", "PROFILE-1");
            HttpResponse<String> r = send("POST", "/api/v1/agent/reports", credential, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(hostSummary(hostId).path("profileId").asString()).as("after a report naming " + profile)
                    .isEqualTo("backblaze-pod-5.0");
        }
    }

    private JsonNode hostSummary(String hostId) throws Exception {
        return JSON.readTree(get("/api/v1/hosts/" + hostId, ADMIN_TOKEN).body()).path("host");
    }

    private static String report(String hostId, String reportId) {
        return """
                {"reportId":"%s","hostId":"%s","takenAt":"%s","agentVersion":"test",
                 "drives":[{"slot":40,"slotSource":"by-path","reading":{"serial":"REPLAY-1","model":"X","driveInterface":"ATA",
                   "smartPassed":true,"exitStatus":{"value":0}}}]}
                """.formatted(reportId, hostId, java.time.Instant.now());
    }

    private int runAgentOnce() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "--once",
                "--server", "http://localhost:" + port, "--enrollment-token", enrollmentToken, "--hostname", "pod-e2e-01",
                "--credential-file", dir.resolve("credential.json").toString(), "--spool", dir.resolve("spool").toString(),
                "--smartctl", dir.resolve("smartctl").toString(), "--dev-root", dir.resolve("dev").toString(),
                "--sysfs-root", dir.resolve("sys").toString(), "--profile", "backblaze-pod-6.0");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile())).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private Map<Integer, JsonNode> drivesBySlot(long hostId) throws Exception {
        Map<Integer, JsonNode> bySlot = new HashMap<>();
        JSON.readTree(get("/api/v1/hosts/" + hostId, ADMIN_TOKEN).body()).path("drives")
                .forEach(d -> bySlot.put(d.path("slot").asInt(), d));
        return bySlot;
    }

    private String lastReportAt(long hostId) throws Exception {
        return JSON.readTree(get("/api/v1/hosts/" + hostId, ADMIN_TOKEN).body()).path("host").path("lastReportAt").asString();
    }

    private String lastSeenAt(long driveId) throws Exception {
        return JSON.readTree(get("/api/v1/drives/" + driveId, ADMIN_TOKEN).body()).path("drive").path("lastSeenAt").asString();
    }

    private String state(long driveId) throws Exception {
        return JSON.readTree(get("/api/v1/drives/" + driveId, ADMIN_TOKEN).body()).path("drive").path("state").asString();
    }

    private List<String> audit(String target) {
        return jdbc.sql("SELECT action FROM audit_event WHERE target = ?").param(target).query(String.class).list();
    }
}
