package io.podfleet.fleet;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Heartbeats are answered at once and written within the flush interval, the newest per host. */
class HeartbeatTest extends ServerTest {

    @Autowired
    private HeartbeatBuffer buffer;

    @Test
    void aHeartbeatIsWrittenWithinASecondAndTheNewestWins() throws Exception {
        var hosts = simulatedHosts(token("OPERATOR"), "hb", 1, 2);
        long id = hosts.hostId(0);
        buffer.flush(); // the simulator's own heartbeat
        jdbc.sql("UPDATE host SET uptime_seconds = NULL WHERE id = ?").param(id).update();
        String token = hosts.credential(0);
        for (long uptime : new long[]{200, 300}) {
            var r = send("POST", "/api/v1/agent/heartbeat", token, "{\"hostId\":\"" + id + "\",\"sequence\":" + uptime
                    + ",\"uptimeSeconds\":" + uptime + ",\"load1\":0.5,\"agentVersion\":\"hb-test\"}");
            assertThat(r.statusCode()).isEqualTo(204);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> jdbc.sql("SELECT uptime_seconds FROM host WHERE id = ?").param(id)
                .query(Long.class).optional().orElse(0L) == 300L);
        assertThat(jdbc.sql("SELECT agent_version FROM host WHERE id = ?").param(id).query(String.class).single()).isEqualTo("hb-test");
        var other = send("POST", "/api/v1/agent/heartbeat", token, "{\"hostId\":\"" + (id + 1000) + "\",\"sequence\":1}");
        assertThat(other.statusCode()).as("a credential speaks for its own host only").isEqualTo(403);
    }

    /** An agent version longer than its column once failed the one statement that writes every host's heartbeats. */
    @Test
    void oneHostsBadHeartbeatCostsNoOtherHostItsHeartbeat() throws Exception {
        var hosts = simulatedHosts(token("OPERATOR"), "hbx", 2, 1);
        buffer.flush();
        var longVersion = send("POST", "/api/v1/agent/heartbeat", hosts.credential(0), "{\"hostId\":\"" + hosts.hostId(0)
                + "\",\"sequence\":1,\"uptimeSeconds\":555,\"agentVersion\":\"" + "v".repeat(41) + "\"}");
        assertThat(longVersion.statusCode()).as("a refused heartbeat would make the host look dead").isEqualTo(204);
        buffer.flush(); // or the flush thread has written it already
        assertThat(jdbc.sql("SELECT uptime_seconds || ' ' || length(agent_version) FROM host WHERE id = ?").param(hosts.hostId(0))
                .query(String.class).single()).as("stored, the version cut to its column").isEqualTo("555 40");

        // and should a beat the database refuses get into the buffer anyway, the others are still written
        java.time.Instant at = java.time.Instant.now().plusSeconds(5);
        buffer.add(new HeartbeatBuffer.Beat(hosts.hostId(0), at, 1, 0.1, "v".repeat(41), 0, 0));
        buffer.add(new HeartbeatBuffer.Beat(hosts.hostId(1), at, 777, 0.1, "ok", 0, 0));
        buffer.flush(); // (or the flush thread's run took them: the same path)
        assertThat(jdbc.sql("SELECT uptime_seconds FROM host WHERE id = ?").param(hosts.hostId(1)).query(Long.class).single()).isEqualTo(777L);
    }
}
