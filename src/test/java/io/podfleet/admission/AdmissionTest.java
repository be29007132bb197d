package io.podfleet.admission;

import io.podfleet.simulate.Simulator;
import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Upload leases over HTTP against a real 2 + 1 vault: grant, renew, end, limits, writability, expiry, roles. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private LeaseExpiry expiry;
    @Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;
    @Autowired
    private Admission admission;
    @Autowired
    private java.time.Clock clock;

    private String operator;
    private String dispatcher;
    private String viewer;
    private Simulator hosts;

    @BeforeAll
    void vault() throws Exception {
        operator = token("OPERATOR");
        dispatcher = token("DISPATCHER");
        viewer = token("VIEWER");
        hosts = simulatedHosts(operator, "ad", 3, 4);
        HttpResponse<String> formed = send("POST", "/api/v1/vaults", operator, "{\"id\":1013,\"cluster\":1,\"dataShards\":2,"
                + "\"parityShards\":1,\"hosts\":[" + hosts.hostId(0) + "," + hosts.hostId(1) + "," + hosts.hostId(2) + "]}");
        assertThat(formed.statusCode()).as(formed.body()).isEqualTo(201);
        admission.forgetCandidates();
    }

    @Test
    @Order(1)
    void aLeaseNamesVaultPodAndTomeAndSpreadsOverThePods() throws Exception {
        Map<Integer, Integer> perPod = new HashMap<>();
        List<String> leases = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = acquire("client-" + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode lease = JSON.readTree(r.body());
            assertThat(lease.path("vaultId").asInt()).isEqualTo(1013);
            assertThat(lease.path("uploadUrl").asString()).matches(
                    "https://pod-001-1013-0[0-2]\\.backup\\.example\\.com/upload/c001_v0001013_t000[0-3]");
            assertThat(lease.path("hostname").asString()).startsWith("ad-sac1-");
            assertThat(lease.path("expiresAt").asString()).isNotEmpty();
            perPod.merge(lease.path("pod").asInt(), 1, Integer::sum);
            leases.add(lease.path("leaseId").asString());
            assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/uploads/" + lease.path("leaseId").asString());
            assertThat(r.headers().firstValue("Content-Length")).as("one write, not chunked").hasValue(
                    Integer.toString(r.body().getBytes(StandardCharsets.UTF_8).length));
        }
        assertThat(perPod).as("fewest active leases first: 2 per pod").containsOnly(Map.entry(0, 2), Map.entry(1, 2), Map.entry(2, 2));
        assertThat(activeInDatabase()).isEqualTo(6);
        for (String lease : leases) {
            HttpResponse<String> ended = send("DELETE", "/api/v1/uploads/" + lease, dispatcher,
                    "{\"bytes\":1048576,\"files\":3,\"outcome\":\"COMPLETED\"}");
            assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
            assertThat(JSON.readTree(ended.body()).path("alreadyEnded").asBoolean()).isFalse();
        }
        HttpResponse<String> again = send("DELETE", "/api/v1/uploads/" + leases.get(0), dispatcher, "{\"outcome\":\"FAILED\"}");
        assertThat(again.statusCode()).as("ending twice is harmless").isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("alreadyEnded").asBoolean()).isTrue();
        assertThat(JSON.readTree(again.body()).path("outcome").asString()).isEqualTo("COMPLETED");
        assertThat(activeInDatabase()).isZero();
        assertThat(jdbc.sql("SELECT sum(bytes) FROM upload_lease WHERE outcome = 'COMPLETED'").query(Long.class).single()).isEqualTo(6 * 1048576L);
    }

    @Test
    @Order(2)
    void anEndIsAnsweredAfterItsCommitAndItsRefusalsAreProblemsNamingTheField() throws Exception {
        String id = JSON.readTree(acquire("ender").body()).path("leaseId").asString();
        HttpResponse<String> badOutcome = send("DELETE", "/api/v1/uploads/" + id, dispatcher, "{\"outcome\":\"ABANDONED\"}");
        assertThat(badOutcome.statusCode()).as(badOutcome.body()).isEqualTo(400);
        assertThat(JSON.readTree(badOutcome.body()).path("field").asString()).isEqualTo("outcome");
        HttpResponse<String> ended = send("DELETE", "/api/v1/uploads/" + id, dispatcher, "{\"outcome\":\"COMPLETED\",\"bytes\":7,\"files\":1}");
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(ended.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(ended.body()).path("leaseId").asString()).isEqualTo(id);
        assertThat(JSON.readTree(ended.body()).path("outcome").asString()).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("SELECT bytes FROM upload_lease WHERE id = ?::uuid").param(id).query(Long.class).single())
                .as("answered after the commit: the row says so already").isEqualTo(7L);

        HttpResponse<String> unknown = send("DELETE", "/api/v1/uploads/8b0c3a52-1d51-4b5f-9c62-0e0b1e5a7f00", dispatcher,
                "{\"outcome\":\"COMPLETED\"}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(unknown.body()).path("instance").asString()).isEqualTo("/api/v1/uploads/8b0c3a52-1d51-4b5f-9c62-0e0b1e5a7f00");
        // an id made just now may be a lease another instance granted from its block and has not written yet: the
        // answer waits up to two seconds for its row before it says 404
        UUID fresh = new LeaseIds(clock).next();
        long started = System.nanoTime();
        HttpResponse<String> notYet = send("DELETE", "/api/v1/uploads/" + fresh, dispatcher, "{\"outcome\":\"COMPLETED\"}");
        assertThat(notYet.statusCode()).as(notYet.body()).isEqualTo(404);
        assertThat(System.nanoTime() - started).as("waited for the row").isGreaterThan(1_500_000_000L);
    }

    @Test
    @Order(2)
    void endsWhoseClientsLeftBeforeTheirAnswerAreStillWrittenAndLaterEndsAnswered() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = JSON.readTree(acquire("leaver").body()).path("leaseId").asString();
            ids.add(id);
            String body = "{\"outcome\":\"FAILED\",\"bytes\":5}";
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(("DELETE /api/v1/uploads/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + dispatcher + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } // closed at once: the answer finds its client gone
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        int ended;
        do {
            Thread.sleep(50);
            ended = jdbc.sql("SELECT count(*) FROM upload_lease WHERE id = ANY(?::uuid[]) AND outcome = 'FAILED' AND bytes = 5")
                    .param(ids.toArray(String[]::new)).query(Integer.class).single();
        } while (ended < ids.size() && System.nanoTime() < deadline);
        assertThat(ended).as("every end asked for is written, its client gone or not").isEqualTo(ids.size());
        String next = JSON.readTree(acquire("leaver").body()).path("leaseId").asString();
        assertThat(JSON.readTree(end(next)).path("outcome").asString()).isEqualTo("COMPLETED");
        HttpResponse<String> again = send("DELETE", "/api/v1/uploads/" + ids.get(0), dispatcher, "{\"outcome\":\"COMPLETED\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("alreadyEnded").asBoolean()).as("asking again is harmless").isTrue();
        assertThat(JSON.readTree(again.body()).path("outcome").asString()).isEqualTo("FAILED");
    }

    @Test
    @Order(2)
    void bodiesThatAreNotTheJsonAskedForAreProblemsNamingWhatIsWrong() throws Exception {
        HttpResponse<String> wrongForm = send("POST", "/api/v1/uploads", dispatcher, "{\"clientId\":\"form\",\"sizeHint\":\"lots\"}");
        assertThat(wrongForm.statusCode()).as(wrongForm.body()).isEqualTo(400);
        assertThat(wrongForm.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(wrongForm.body()).contains("sizeHint").contains("must be a number");
        HttpResponse<String> notJson = send("POST", "/api/v1/uploads", dispatcher, "clientId=form");
        assertThat(notJson.statusCode()).as(notJson.body()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).path("detail").asString()).contains("not well-formed JSON");
        HttpResponse<String> none = send("POST", "/api/v1/uploads", dispatcher, null);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(400);
        HttpResponse<String> text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(url("/api/v1/uploads"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"clientId\":\"form\"}"))
                .header("Content-Type", "text/plain").header("Authorization", "Bearer " + dispatcher).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(text.statusCode()).as(text.body()).isEqualTo(415);

        String id = JSON.readTree(acquire("form").body()).path("leaseId").asString();
        HttpResponse<String> badOutcome = send("DELETE", "/api/v1/uploads/" + id, dispatcher, "{\"outcome\":\"DONE\"}");
        assertThat(badOutcome.statusCode()).as(badOutcome.body()).isEqualTo(400);
        assertThat(badOutcome.body()).contains("outcome").contains("COMPLETED");
        HttpResponse<String> noBody = send("DELETE", "/api/v1/uploads/" + id, dispatcher, null);
        assertThat(noBody.statusCode()).as("an end without a body has no outcome: " + noBody.body()).isEqualTo(400);
        assertThat(JSON.readTree(noBody.body()).path("field").asString()).isEqualTo("outcome");
        assertThat(JSON.readTree(end(id)).path("outcome").asString()).as("nothing was ended by the refusals").isEqualTo("COMPLETED");

        var paths = JSON.readTree(get("/v3/api-docs", ADMIN_TOKEN).body()).path("paths");
        assertThat(paths.path("/api/v1/uploads").path("post").path("requestBody").path("content").path("application/json")
                .path("schema").path("$ref").asString()).as("the API docs describe the ask's body").endsWith("UploadRequest");
        assertThat(paths.path("/api/v1/uploads").path("post").path("parameters").isMissingNode()
                || paths.path("/api/v1/uploads").path("post").path("parameters").isEmpty()).as("and no query parameters").isTrue();
        assertThat(paths.path("/api/v1/uploads/{lease}").path("delete").path("requestBody").path("content").path("application/json")
                .path("schema").path("$ref").asString()).endsWith("UploadEnd");
    }

    @Test
    @Order(2)
    void manyEndsAtOnceAreEachAnsweredAndUnknownLeasesRefusedAsProblems() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ids.add(JSON.readTree(acquire("burst").body()).path("leaseId").asString());
        }
        var pool = Executors.newFixedThreadPool(ids.size() + 8);
        var start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> ends = new ArrayList<>();
            List<Future<HttpResponse<String>>> unknown = new ArrayList<>();
            for (String id : ids) {
                ends.add(pool.submit(() -> {
                    start.await();
                    return send("DELETE", "/api/v1/uploads/" + id, dispatcher, "{\"outcome\":\"COMPLETED\",\"bytes\":3}");
                }));
                if (unknown.size() < 8) { // refusals in the same groups: each is its own end's
                    String none = new UUID(0x0123_4567_89ab_7cdeL + unknown.size(), 0x8000_0000_0000_0001L).toString();
                    unknown.add(pool.submit(() -> {
                        start.await();
                        return send("DELETE", "/api/v1/uploads/" + none, dispatcher, "{\"outcome\":\"COMPLETED\"}");
                    }));
                }
            }
            start.countDown();
            for (var refused : unknown) {
                HttpResponse<String> r = refused.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(JSON.readTree(r.body()).path("detail").asString()).contains("Lease");
            }
            for (int i = 0; i < ids.size(); i++) {
                HttpResponse<String> r = ends.get(i).get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(JSON.readTree(r.body()).path("leaseId").asString()).isEqualTo(ids.get(i));
                assertThat(JSON.readTree(r.body()).path("alreadyEnded").asBoolean()).isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM upload_lease WHERE client_id = 'burst' AND outcome = 'COMPLETED' AND bytes = 3")
                .query(Integer.class).single()).isEqualTo(ids.size());
    }

    @Test
    @Order(2)
    void renewingExtendsALeaseAndAnEndedOneCannotBeRenewed() throws Exception {
        JsonNode lease = JSON.readTree(acquire("renewer").body());
        String id = lease.path("leaseId").asString();
        HttpResponse<String> renewed = send("POST", "/api/v1/uploads/" + id + "/renew", dispatcher, null);
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(Instant.parse(JSON.readTree(renewed.body()).path("expiresAt").asString()))
                .isAfterOrEqualTo(Instant.parse(lease.path("expiresAt").asString()));
        send("DELETE", "/api/v1/uploads/" + id, dispatcher, "{\"outcome\":\"COMPLETED\",\"bytes\":1}");
        assertThat(send("POST", "/api/v1/uploads/" + id + "/renew", dispatcher, null).statusCode()).isEqualTo(409);
        assertThat(send("POST", "/api/v1/uploads/8b0c3a52-1d51-4b5f-9c62-0e0b1e5a7f00/renew", dispatcher, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void spareConnectionsReservedAheadAreGrantedAtOnceAndWrittenBehind() throws Exception {
        // the first ask on the vault is decided by the database and asks for a block (limit 2,500: 32 spare)
        end(JSON.readTree(acquire("first").body()).path("leaseId").asString());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (admission.spare(1013) < 32 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(admission.spare(1013)).as("spare connections held by this instance").isEqualTo(32);
        admission.awaitWritten();
        assertThat(reserved(1013)).as("reserved in the database: no other instance can grant them").isEqualTo(32);
        double fromBlocks = meters.counter("podfleet.admission.block.grants").count();

        List<String> leases = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = acquire("spare-" + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            leases.add(JSON.readTree(r.body()).path("leaseId").asString());
        }
        assertThat(meters.counter("podfleet.admission.block.grants").count() - fromBlocks).as("granted from the block").isEqualTo(10);
        admission.awaitWritten();
        for (String id : leases) {
            assertThat(jdbc.sql("SELECT count(*) FROM upload_lease WHERE id = ?::uuid AND ended_at IS NULL AND vault_id = 1013")
                    .param(id).query(Long.class).single()).as("lease row written behind").isEqualTo(1);
        }
        assertThat(activeInDatabase()).isEqualTo(10);
        assertThat(reserved(1013)).as("the block topped up again, the counters exact").isEqualTo(admission.spare(1013));
        JsonNode view = JSON.readTree(get("/api/v1/admission", viewer).body());
        JsonNode v1013 = null;
        for (JsonNode v : view) {
            if (v.path("vaultId").asInt() == 1013) {
                v1013 = v;
            }
        }
        assertThat(v1013).isNotNull();
        assertThat(v1013.path("active").asInt()).isEqualTo(10);
        assertThat(v1013.path("reserved").asInt()).isEqualTo(reserved(1013));
        // ended through the same instance right away: a row written behind is found (or waited for)
        for (String id : leases) {
            assertThat(JSON.readTree(end(id)).path("alreadyEnded").asBoolean()).isFalse();
        }
        assertThat(activeInDatabase()).isZero();
    }

    private int reserved(int vault) {
        return jdbc.sql("SELECT reserved FROM vault_admission WHERE vault_id = ?").param(vault).query(Integer.class).single();
    }

    @Test
    @Order(3)
    void atTheLimitTheAnswerIs503NoTomesAvailableWithRetryAfter() throws Exception {
        HttpResponse<String> set = send("PUT", "/api/v1/vaults/1013/connection-limit", operator, "{\"limit\":2}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).path("source").asString()).isEqualTo("OVERRIDE");
        String first = JSON.readTree(acquire("a").body()).path("leaseId").asString();
        assertThat(acquire("b").statusCode()).isEqualTo(201);
        HttpResponse<String> refused = acquire("c");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(JSON.readTree(refused.body()).path("detail").asString()).startsWith("no tomes available");
        send("DELETE", "/api/v1/uploads/" + first, dispatcher, "{\"outcome\":\"FAILED\"}");
        assertThat(acquire("c").statusCode()).as("a freed connection is granted again").isEqualTo(201);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'vault.connection-limit'").query(Long.class).single()).isEqualTo(1);
        assertThat(send("PUT", "/api/v1/vaults/1013/connection-limit", dispatcher, "{\"limit\":9}").statusCode()).isEqualTo(403);
        assertThat(send("PUT", "/api/v1/vaults/1013/connection-limit", operator, "{\"limit\":-1}").statusCode()).isEqualTo(400);
        send("PUT", "/api/v1/vaults/1013/connection-limit", operator, "{\"limit\":null}");
    }

    @Test
    @Order(4)
    void leasesNobodyRenewsExpireAsAbandonedAndGiveTheirConnectionBack() throws Exception {
        long before = activeInDatabase();
        String id = JSON.readTree(acquire("vanishing").body()).path("leaseId").asString();
        assertThat(activeInDatabase()).isEqualTo(before + 1);
        jdbc.sql("UPDATE upload_lease SET expires_at = ? WHERE id = ?::uuid")
                .params(Timestamp.from(Instant.now().minusSeconds(1)), id).update();
        assertThat(expiry.expire()).isEqualTo(1);
        assertThat(activeInDatabase()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT outcome FROM upload_lease WHERE id = ?::uuid").param(id).query(String.class).single()).isEqualTo("ABANDONED");
        assertThat(expiry.expire()).as("idempotent").isZero();
    }

    @Test
    @Order(4)
    void theBlockOfAnInstanceThatStoppedRenewingIsTakenBackAfterOneAndAHalfLeaseTtls() {
        admission.awaitWritten();
        int before = reserved(1013);
        // an instance that crashed holding 5 spare connections: its block renewed 16 minutes ago (TTL 10 min), and
        // one that renewed 14 minutes ago, whose unwritten leases could still be in use
        jdbc.sql("UPDATE vault_admission SET reserved = reserved + 12 WHERE vault_id = 1013").update();
        jdbc.sql("INSERT INTO admission_block (instance_id, vault_id, slots, renewed_at) VALUES"
                + " (gen_random_uuid(), 1013, 5, now() - interval '16 minutes'), (gen_random_uuid(), 1013, 7, now() - interval '14 minutes')").update();
        assertThat(expiry.takeBackStaleBlocks()).isEqualTo(5);
        assertThat(reserved(1013)).isEqualTo(before + 7);
        assertThat(expiry.takeBackStaleBlocks()).as("idempotent").isZero();
        jdbc.sql("UPDATE admission_block SET renewed_at = now() - interval '16 minutes' WHERE slots = 7").update();
        assertThat(expiry.takeBackStaleBlocks()).isEqualTo(7);
        assertThat(reserved(1013)).isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM admission_block WHERE renewed_at < now() - interval '10 minutes'").query(Long.class).single()).isZero();
    }

    @Test
    @Order(4)
    void aPodCounterThatWentWrongDoesNotStopExpiry() throws Exception {
        JsonNode lease = JSON.readTree(acquire("miscounted").body());
        String id = lease.path("leaseId").asString();
        admission.awaitWritten();
        // its pod's counter lost it (pod counters only spread load; the vault's counter is the limit)
        jdbc.sql("UPDATE pod_admission SET active = 0 WHERE vault_id = ? AND position = ?")
                .params(lease.path("vaultId").asInt(), lease.path("pod").asInt()).update();
        jdbc.sql("UPDATE upload_lease SET expires_at = ? WHERE id = ?::uuid")
                .params(Timestamp.from(Instant.now().minusSeconds(1)), id).update();
        assertThat(expiry.expire()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT active FROM pod_admission WHERE vault_id = ? AND position = ?")
                .params(lease.path("vaultId").asInt(), lease.path("pod").asInt()).query(Integer.class).single()).isZero();
        activeInDatabase();
    }

    @Test
    @Order(5)
    void anUnwritableVaultGrantsNothingButOpenLeasesMayFinish() throws Exception {
        String open = JSON.readTree(acquire("finishing").body()).path("leaseId").asString();
        assertThat(send("POST", "/api/v1/vaults/1013/drain", operator, null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = acquire("late");
        assertThat(refused.statusCode()).as("the database re-checks writability even while the candidate list is cached").isEqualTo(503);
        // retiring frees the hosts: not while an upload still holds a lease there
        HttpResponse<String> early = send("POST", "/api/v1/vaults/1013/retire", operator, null);
        assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
        assertThat(JSON.readTree(early.body()).path("rule").asString()).isEqualTo("uploads-open");
        long openThere = jdbc.sql("SELECT count(*) FROM upload_lease WHERE vault_id = 1013 AND ended_at IS NULL").query(Long.class).single();
        assertThat(JSON.readTree(early.body()).path("detail").asString()).startsWith("vault 1013 still has " + openThere + " open upload lease");
        assertThat(jdbc.sql("SELECT state FROM vault WHERE id = 1013").query(String.class).single()).isEqualTo("DRAINING");
        HttpResponse<String> ended = send("DELETE", "/api/v1/uploads/" + open, dispatcher, "{\"outcome\":\"COMPLETED\",\"bytes\":5}");
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT active FROM vault_admission WHERE vault_id = 1013").query(Integer.class).single())
                .isEqualTo(jdbc.sql("SELECT count(*) FROM upload_lease WHERE ended_at IS NULL").query(Integer.class).single());
        for (String left : jdbc.sql("SELECT id::text FROM upload_lease WHERE vault_id = 1013 AND ended_at IS NULL").query(String.class).list()) {
            send("DELETE", "/api/v1/uploads/" + left, dispatcher, "{\"outcome\":\"FAILED\"}"); // what earlier tests left open
        }
        HttpResponse<String> retired = send("POST", "/api/v1/vaults/1013/retire", operator, null);
        assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT state FROM vault WHERE id = 1013").query(String.class).single()).isEqualTo("RETIRED");
    }

    @Test
    @Order(6)
    void onlyDispatchersAndOperatorsMayAskAndDispatchersMayDoNothingElse() throws Exception {
        assertThat(send("POST", "/api/v1/uploads", viewer, "{\"clientId\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/uploads", null, "{\"clientId\":\"x\"}").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/hosts", dispatcher).statusCode()).isEqualTo(403);
        HttpResponse<String> noClient = send("POST", "/api/v1/uploads", dispatcher, "{}");
        assertThat(noClient.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noClient.body()).path("field").asString()).isEqualTo("clientId");
        HttpResponse<String> nul = send("POST", "/api/v1/uploads", dispatcher, "{\"clientId\":\"a\\u0000b\"}");
        assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);
        assertThat(JSON.readTree(nul.body()).path("field").asString()).isEqualTo("clientId");
        HttpResponse<String> metrics = get("/actuator/prometheus", viewer);
        assertThat(metrics.body()).contains("podfleet_admission_admits_total", "podfleet_admission_rejections_total",
                "podfleet_admission_lease_duration_seconds");
    }

    @Test
    @Order(7)
    void aVaultFormedAfterTheCandidateListWasReadIsOfferedWithinSecondsWithoutDroppingTheList() throws Exception {
        Simulator more = simulatedHosts(operator, "ae", 3, 4);
        admission.forgetCandidates(); // a known start: the list is read now, holding no writable vault (1013 was drained)
        assertThat(acquire("before").statusCode()).isEqualTo(503);
        HttpResponse<String> formed = send("POST", "/api/v1/vaults", operator, "{\"cluster\":1,\"dataShards\":2,\"parityShards\":1,"
                + "\"hosts\":[" + more.hostId(0) + "," + more.hostId(1) + "," + more.hostId(2) + "]}");
        assertThat(formed.statusCode()).as(formed.body()).isEqualTo(201);
        // nobody drops the list now: past its 1 s, one background read must bring the new vault in
        int vault = JSON.readTree(formed.body()).path("vault").path("id").asInt();
        long started = System.nanoTime();
        HttpResponse<String> granted = acquire("after");
        while (granted.statusCode() != 201 && System.nanoTime() - started < 5_000_000_000L) {
            Thread.sleep(100);
            granted = acquire("after");
        }
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        assertThat(JSON.readTree(granted.body()).path("vaultId").asInt()).isEqualTo(vault);
        more.close();
    }

    @Test
    @Order(8)
    void concurrentGrantsAndEndsWrittenInGroupsKeepTheLimitAndTheCountersExact() throws Exception {
        int vault = jdbc.sql("SELECT id FROM vault WHERE writable ORDER BY id DESC LIMIT 1").query(Integer.class).single();
        assertThat(send("PUT", "/api/v1/vaults/" + vault + "/connection-limit", operator, "{\"limit\":5}").statusCode()).isEqualTo(200);
        long openBefore = activeInDatabase();
        long podsBefore = jdbc.sql("SELECT sum(active) FROM pod_admission WHERE vault_id = ?").param(vault).query(Long.class).single();
        int[] most = {0};
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                most[0] = Math.max(most[0], jdbc.sql("SELECT count(*) FROM upload_lease WHERE ended_at IS NULL AND vault_id = ?")
                        .param(vault).query(Integer.class).single());
            }
        });
        sampler.start();
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger endedByThisCall = new AtomicInteger();
        AtomicInteger toldAlreadyEnded = new AtomicInteger();
        var pool = Executors.newFixedThreadPool(12);
        var enders = Executors.newFixedThreadPool(24);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        HttpResponse<String> r = acquire("grouped");
                        if (r.statusCode() == 503) {
                            continue;
                        }
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                        granted.incrementAndGet();
                        String id = JSON.readTree(r.body()).path("leaseId").asString();
                        // the same lease ended twice at once: one call ends it, the other is told it had ended
                        var twice = List.of(enders.submit(() -> end(id)), enders.submit(() -> end(id)));
                        for (var e : twice) {
                            JsonNode ended = JSON.readTree(e.get());
                            (ended.path("alreadyEnded").asBoolean() ? toldAlreadyEnded : endedByThisCall).incrementAndGet();
                            assertThat(ended.path("outcome").asString()).isEqualTo("COMPLETED");
                        }
                    }
                    return null;
                }));
            }
            for (var client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
            enders.shutdownNow();
            running.set(false);
            sampler.join();
        }
        assertThat(most[0]).as("open leases of the vault never passed its limit").isLessThanOrEqualTo(5);
        assertThat(granted.get()).isPositive();
        assertThat(endedByThisCall.get()).isEqualTo(granted.get());
        assertThat(toldAlreadyEnded.get()).isEqualTo(granted.get());
        assertThat(jdbc.sql("SELECT count(*) FROM upload_lease WHERE client_id = 'grouped' AND outcome = 'COMPLETED'")
                .query(Integer.class).single()).isEqualTo(granted.get());
        assertThat(activeInDatabase()).isEqualTo(openBefore);
        assertThat(jdbc.sql("SELECT sum(active) FROM pod_admission WHERE vault_id = ?").param(vault).query(Long.class).single())
                .as("the pods' counters too").isEqualTo(podsBefore);
        send("PUT", "/api/v1/vaults/" + vault + "/connection-limit", operator, "{\"limit\":null}");
    }

    @Test
    @Order(9)
    void aTokenWithTheLongestNameAllowedGrantsAndLeavesItsAuditRecord() throws Exception {
        String name = "d".repeat(100); // principal "token:" + 100 characters
        String body = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN, "{\"name\":\"" + name + "\",\"role\":\"OPERATOR\"}").body();
        String longNamed = JSON.readTree(body).path("token").asString();
        HttpResponse<String> granted = send("POST", "/api/v1/uploads", longNamed, "{\"clientId\":\"long\"}");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        assertThat(jdbc.sql("SELECT granted_by FROM upload_lease WHERE client_id = 'long'").query(String.class).single())
                .isEqualTo("token:" + name);
        int vault = JSON.readTree(granted.body()).path("vaultId").asInt();
        HttpResponse<String> limit = send("PUT", "/api/v1/vaults/" + vault + "/connection-limit", longNamed, "{\"limit\":7}");
        assertThat(limit.statusCode()).as(limit.body()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE actor = ?").param("token:" + name).query(Long.class).single()).isEqualTo(1);
        send("PUT", "/api/v1/vaults/" + vault + "/connection-limit", operator, "{\"limit\":null}");
    }

    @Test
    @Order(10)
    void aGroupIsWrittenOnTheChosenPodsAndEachLeaseEndsOnce() {
        int vault = jdbc.sql("SELECT id FROM vault WHERE writable ORDER BY id LIMIT 1").query(Integer.class).single();
        List<Integer> positions = jdbc.sql("SELECT position FROM vault_member WHERE vault_id = ? AND left_at IS NULL ORDER BY position")
                .param(vault).query(Integer.class).list();
        List<Long> hostIds = jdbc.sql("SELECT host_id FROM vault_member WHERE vault_id = ? AND left_at IS NULL ORDER BY position")
                .param(vault).query(Long.class).list();
        List<Integer> before = podCounts(vault);
        int quiet = before.indexOf(0);
        assertThat(quiet).as("a pod with no open lease").isNotNegative();
        int[] others = java.util.stream.IntStream.range(0, 3).filter(i -> i != quiet).toArray();
        // the quiet pod's counter row not made yet (admission_write makes it on the pod's first grant)
        jdbc.sql("DELETE FROM pod_admission WHERE vault_id = ? AND position = ?").params(vault, positions.get(quiet)).update();
        // five asks, each with one candidate: this vault, one on the first other pod, two on the second, two on the quiet one
        int[] pods = {others[0], others[1], others[1], quiet, quiet};
        List<String> leases = jdbc.sql("SELECT o_lease FROM admission_write(now(), now() + interval '10 min', '{}', '{}', '{}', '{}',"
                        + " ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::bigint[])"
                        + " WHERE o_kind = 'G'")
                .params(java.util.stream.IntStream.range(0, 5).mapToObj(i -> java.util.UUID.randomUUID().toString()).toArray(String[]::new),
                        new String[]{"g", "g", "g", "g", "g"}, new Long[5], new String[]{"test", "test", "test", "test", "test"},
                        new Integer[]{1, 2, 3, 4, 5}, new Integer[]{vault, vault, vault, vault, vault}, new Integer[]{100, 100, 100, 100, 100},
                        new Integer[]{0, 0, 0, 0, 0}, java.util.Arrays.stream(pods).mapToObj(positions::get).toArray(Integer[]::new),
                        java.util.Arrays.stream(pods).mapToObj(hostIds::get).toArray(Long[]::new))
                .query(String.class).list();
        assertThat(leases).hasSize(5);
        List<Integer> expected = new ArrayList<>(before);
        for (int pod : pods) {
            expected.set(pod, expected.get(pod) + 1);
        }
        assertThat(podCounts(vault)).as("counted, the missing row made").isEqualTo(expected);
        assertThat(jdbc.sql("SELECT count(*) FROM upload_lease l JOIN vault_member m ON m.vault_id = l.vault_id AND m.position = l.position"
                + " AND m.host_id = l.host_id WHERE l.client_id = 'g'").query(Long.class).single()).as("each on its pod's host").isEqualTo(5);
        activeInDatabase();

        // a pod counter that went wrong (it only spreads load) stops at zero instead of failing the ends
        jdbc.sql("UPDATE pod_admission SET active = 0 WHERE vault_id = ? AND position = ?").params(vault, positions.get(others[0])).update();
        // their ends in one call, one of them twice: each ended once, the counters back
        List<String> ends = new ArrayList<>(leases);
        ends.add(leases.get(0));
        List<String> kinds = jdbc.sql("SELECT o_kind FROM admission_write(now(), now(), ?::uuid[], ?::text[], ?::bigint[], ?::int[],"
                        + " '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')")
                .params(ends.toArray(String[]::new), ends.stream().map(e -> "COMPLETED").toArray(String[]::new),
                        new Long[ends.size()], new Integer[ends.size()]).query(String.class).list();
        assertThat(kinds).as("ended here, each once").containsOnly("E").hasSize(5);
        List<Integer> after = new ArrayList<>(before);
        after.set(others[0], Math.max(0, before.get(others[0]) - 1));
        assertThat(podCounts(vault)).isEqualTo(after);
        activeInDatabase();
    }

    /** Each member's pod counter, by position (0 where its row is not made yet). */
    private List<Integer> podCounts(int vault) {
        return jdbc.sql("""
                        SELECT COALESCE(p.active, 0) FROM vault_member m
                        LEFT JOIN pod_admission p ON p.vault_id = m.vault_id AND p.position = m.position
                        WHERE m.vault_id = ? AND m.left_at IS NULL ORDER BY m.position""")
                .param(vault).query(Integer.class).list();
    }

    private String end(String lease) throws Exception {
        HttpResponse<String> r = send("DELETE", "/api/v1/uploads/" + lease, dispatcher, "{\"outcome\":\"COMPLETED\",\"bytes\":1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private HttpResponse<String> acquire(String client) throws Exception {
        return send("POST", "/api/v1/uploads", dispatcher, "{\"clientId\":\"" + client + "\",\"sizeHint\":1000}");
    }

    private long activeInDatabase() {
        admission.awaitWritten(); // leases granted from a block are written behind
        long counter = jdbc.sql("SELECT COALESCE(sum(active), 0) FROM vault_admission").query(Long.class).single();
        long open = jdbc.sql("SELECT count(*) FROM upload_lease WHERE ended_at IS NULL").query(Long.class).single();
        assertThat(counter).as("the counter equals the open leases").isEqualTo(open);
        return counter;
    }
}
