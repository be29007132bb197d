package io.podfleet.vault;

import io.podfleet.simulate.Simulator;
import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 17 + 3 vault of twenty 60-drive hosts fed by simulated agents over HTTP: drives fail across tomes, then a whole
 * host goes silent, and the tome matrix, tome health, member count and writability follow each step.
 */
// no pass over every vault during the test: what is re-assessed here is re-assessed by the change itself
@TestPropertySource(properties = {"podfleet.fleet.liveness-check-interval=1s", "podfleet.vault.reassess-interval=1h"})
class VaultHealthTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void tomeHealthAndWritabilityFollowFailedDrivesAndADeadHost() throws Exception {
        String operator = JSON.readTree(send("POST", "/api/v1/api-tokens", ADMIN_TOKEN,
                "{\"name\":\"vault-health\",\"role\":\"OPERATOR\"}").body()).path("token").asString();
        try (Simulator fleet = new Simulator(new Simulator.Settings(URI.create("http://localhost:" + port), operator, 20, 60,
                Duration.ofMinutes(15), Duration.ofSeconds(30), 0, 1, new String[]{"sac1"}, "backblaze-pod-6.0", "vh", 11),
                line -> { })) {
            fleet.enroll();
            fleet.reportAll();
            fleet.heartbeatAll();
            // heartbeats are written within a second; wait for them, so none lands after the host is silenced below
            await().atMost(10, TimeUnit.SECONDS).until(() -> jdbc.sql(
                    "SELECT count(*) FROM host WHERE hostname LIKE 'vh-%' AND last_heartbeat_at IS NOT NULL").query(Long.class).single() == 20);
            List<Long> hosts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                hosts.add(fleet.hostId(i));
            }
            var formed = send("POST", "/api/v1/vaults", operator, "{\"id\":1200,\"name\":\"vault-1200\",\"hosts\":" + hosts + "}");
            assertThat(formed.statusCode()).as(formed.body()).isEqualTo(201);
            JsonNode vault = vault();
            assertThat(vault.path("state").asString()).isEqualTo("BURN_IN");
            assertThat(vault.path("tomesByHealth").path("HEALTHY").asInt()).isEqualTo(60);
            assertThat(vault.path("membersOk").asInt()).isEqualTo(20);
            assertThat(vault.path("drivesOnline").asInt()).isEqualTo(1200);
            assertThat(vault.path("capacity").path("rawBytes").asLong()).isEqualTo(1200 * 16_000_000_000_000L);
            assertThat(vault.path("capacity").path("usableBytes").asLong()).isEqualTo(1200 * 16_000_000_000_000L / 20 * 17);
            assertThat(vault.path("writable").asBoolean()).isTrue();

            // reports that change nothing a tome is judged from (byte counts only) leave the vault to its pass ...
            Instant assessed = assessedAt();
            fleet.reportAll();
            assertThat(assessedAt()).isEqualTo(assessed);
            // ... one that changes a shard filesystem's read-only flag re-assesses it at once
            jdbc.sql("UPDATE shard_filesystems SET read_only[array_position(slots, 9)] = true WHERE host_id = ?").param(hosts.get(0)).update();
            fleet.reportAll();
            assertThat(assessedAt()).isAfter(assessed);

            // two drives of tome 5 and one of tome 17 fail SMART
            fleet.failDrive(0, 5);
            fleet.failDrive(1, 5);
            fleet.failDrive(3, 17);
            fleet.reportAll();
            JsonNode matrix = matrix();
            assertThat(tome(matrix, 5).path("health").asString()).isEqualTo("DEGRADED");
            assertThat(tome(matrix, 5).path("lost").asInt()).isEqualTo(2);
            JsonNode cell = tome(matrix, 5).path("shards").get(1);
            assertThat(cell.path("status").asString()).isEqualTo("LOST");
            assertThat(cell.path("driveState").asString()).isEqualTo("FAILED");
            assertThat(cell.path("serial").asString()).startsWith("VH-SN000001-05");
            assertThat(tome(matrix, 17).path("lost").asInt()).isEqualTo(1);
            assertThat(tome(matrix, 17).path("shards").get(3).path("status").asString()).isEqualTo("LOST");
            assertThat(matrix.path("tomesByHealth").path("HEALTHY").asInt()).isEqualTo(58);
            assertThat(vault().path("writable").asBoolean()).as("degraded tomes still take writes").isTrue();

            // a third drive in tome 5: no redundancy left there, so the vault stops taking writes
            fleet.failDrive(2, 5);
            fleet.reportAll();
            vault = vault();
            assertThat(vault.path("tomesByHealth").path("CRITICAL").asInt()).isEqualTo(1);
            assertThat(vault.path("writable").asBoolean()).isFalse();
            assertThat(vault.path("notWritableBecause").get(0).asString()).contains("1 tome is CRITICAL");

            // the host at position 7 goes silent for 11 minutes: DEAD, every shard on it lost
            jdbc.sql("UPDATE host SET last_heartbeat_at = ? WHERE id = ?")
                    .params(Timestamp.from(Instant.now().minus(Duration.ofMinutes(11))), hosts.get(7)).update();
            await().atMost(15, TimeUnit.SECONDS).until(() -> vault().path("membersOk").asInt() == 19);
            matrix = matrix();
            assertThat(tome(matrix, 5).path("health").asString()).isEqualTo("DATA_LOSS");
            assertThat(tome(matrix, 5).path("lost").asInt()).isEqualTo(4);
            assertThat(tome(matrix, 17).path("lost").asInt()).isEqualTo(2);
            assertThat(tome(matrix, 0).path("health").asString()).isEqualTo("DEGRADED");
            assertThat(tome(matrix, 0).path("shards").get(7).path("why").asString()).contains("is DEAD");
            assertThat(matrix.path("tomesByHealth").path("DEGRADED").asInt()).isEqualTo(59);
            vault = vault();
            assertThat(vault.path("health").asString()).isEqualTo("DATA_LOSS");
            assertThat(vault.path("drivesOffline").asInt()).isEqualTo(60 + 4);

            JsonNode events = JSON.readTree(get("/api/v1/vaults/1200/events?limit=1000", ADMIN_TOKEN).body());
            List<String> tome5 = new ArrayList<>();
            events.forEach(e -> {
                if (e.path("tome").asInt(-1) == 5) {
                    tome5.add(0, e.path("to").asString());
                }
            });
            assertThat(tome5).containsExactly("DEGRADED", "CRITICAL", "DATA_LOSS");
        }
    }

    private Instant assessedAt() throws Exception {
        return Instant.parse(vault().path("assessedAt").asString());
    }

    private JsonNode vault() throws Exception {
        return JSON.readTree(get("/api/v1/vaults/1200", ADMIN_TOKEN).body()).path("vault");
    }

    private JsonNode matrix() throws Exception {
        return JSON.readTree(get("/api/v1/vaults/1200/tomes", ADMIN_TOKEN).body());
    }

    private static JsonNode tome(JsonNode matrix, int t) {
        return matrix.path("tomes").get(t);
    }
}
