package io.podfleet.simulate;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Simulated hosts over real HTTP against the real server: placed like a fleet, enrolled, reporting. */
class SimulatorTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void simulatedHostsAreRegisteredOnePerCabinetAndReportTheirDrives() throws Exception {
        String operator = JSON.readTree(send("POST", "/api/v1/api-tokens", ADMIN_TOKEN,
                "{\"name\":\"simulator-test\",\"role\":\"OPERATOR\"}").body()).path("token").asString();
        Simulator.Settings settings = new Simulator.Settings(URI.create("http://localhost:" + port), operator, 22, 6,
                Duration.ofMinutes(15), Duration.ofSeconds(30), 1.5, 900, new String[]{"sac1", "phx1"},
                "backblaze-pod-6.0", "simtest", 7);
        try (Simulator simulator = new Simulator(settings, line -> { })) {
            simulator.start();
            assertThat(simulator.hostCount()).isEqualTo(22);
            await().atMost(30, TimeUnit.SECONDS).until(() -> simulator.reportsSent.get() >= 44);
            assertThat(simulator.reportsFailed.get()).isZero();
        }
        JsonNode hosts = JSON.readTree(get("/api/v1/hosts?datacenter=sac1&size=100", ADMIN_TOKEN).body());
        assertThat(hosts.path("total").asLong()).isEqualTo(20);
        Set<String> cabinets = new HashSet<>();
        hosts.path("items").forEach(h -> cabinets.add(h.path("cabinet").asString()));
        assertThat(cabinets).as("a group of 20 spans 20 cabinets").hasSize(20);
        hosts.path("items").forEach(h -> assertThat(h.path("drives").asLong()).isEqualTo(6));
        // heartbeats are answered at once and written together every second (HeartbeatBuffer)
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> JSON.readTree(get("/api/v1/hosts?datacenter=sac1&size=100", ADMIN_TOKEN).body())
                .path("items").forEach(h -> assertThat(h.path("lastHeartbeatAt").isNull()).as("heartbeat stored").isFalse()));
        assertThat(JSON.readTree(get("/api/v1/hosts?datacenter=phx1", ADMIN_TOKEN).body()).path("total").asLong()).isEqualTo(2);
    }
}
