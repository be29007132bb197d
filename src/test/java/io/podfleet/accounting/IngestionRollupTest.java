package io.podfleet.accounting;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Daily ingestion from ended leases: a lease over midnight counts on the day it ended; re-running a day is exact. */
class IngestionRollupTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void leasesCountOnTheDayTheyEndedWithThePeakOfConnectionsAndReRunningIsExact() throws Exception {
        jdbc.sql("""
                INSERT INTO vault (id, name, datacenter, data_shards, parity_shards, width, tome_count, first_slot, state,
                  state_since, created_at) VALUES (4242, 'vault-4242', 'sac1', 2, 1, 3, 4, 0, 'ACTIVE', now(), now())""").update();
        lease("2026-11-01T10:00:00Z", "2026-11-01T10:30:00Z", "COMPLETED", 50, 2);
        lease("2026-11-01T10:10:00Z", "2026-11-01T10:20:00Z", "FAILED", 7, 0);
        lease("2026-11-01T10:15:00Z", "2026-11-01T10:25:00Z", "ABANDONED", null, null);
        lease("2026-11-01T23:50:00Z", "2026-11-02T00:10:00Z", "COMPLETED", 100, 1); // over midnight: counts on the 2nd
        lease("2026-11-02T00:05:00Z", "2026-11-02T00:06:00Z", "COMPLETED", 1, 1);

        String operator = token("OPERATOR");
        assertThat(send("POST", "/api/v1/ingestion/rollup?day=2026-11-01", operator, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/ingestion/rollup?day=2026-11-02", operator, null).statusCode()).isEqualTo(200);
        String first = get("/api/v1/ingestion?vaults=4242&from=2026-11-01&to=2026-11-02", ADMIN_TOKEN).body();
        JsonNode days = JSON.readTree(first);
        assertThat(days).hasSize(2);
        JsonNode nov1 = days.get(0);
        assertThat(nov1.path("bytes").asLong()).as("completed uploads only").isEqualTo(50);
        assertThat(nov1.path("files").asLong()).isEqualTo(2);
        assertThat(nov1.path("completed").asInt()).isEqualTo(1);
        assertThat(nov1.path("failed").asInt()).isEqualTo(1);
        assertThat(nov1.path("abandoned").asInt()).isEqualTo(1);
        assertThat(nov1.path("peakConnections").asInt()).as("10:15-10:20 three leases open").isEqualTo(3);
        JsonNode nov2 = days.get(1);
        assertThat(nov2.path("bytes").asLong()).isEqualTo(101);
        assertThat(nov2.path("completed").asInt()).isEqualTo(2);
        assertThat(nov2.path("peakConnections").asInt()).as("the lease open since the 1st counts from midnight").isEqualTo(2);

        assertThat(send("POST", "/api/v1/ingestion/rollup?day=2026-11-01", operator, null).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/ingestion?vaults=4242&from=2026-11-01&to=2026-11-02", ADMIN_TOKEN).body())
                .as("re-running a day gives the same answer").isEqualTo(first);
        assertThat(jdbc.sql("SELECT count(*) FROM ingestion_day").query(Long.class).single()).isEqualTo(2);

        HttpResponse<String> csv = get("/api/v1/ingestion?vaults=4242&from=2026-11-01&to=2026-11-02&format=csv", ADMIN_TOKEN);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body().lines()).hasSize(3).first().asString().startsWith("vault_id,day,bytes");
        assertThat(csv.body().lines().skip(1).findFirst().orElseThrow()).startsWith("4242,2026-11-01,50,2,1,1,1,3,");
        assertThat(send("POST", "/api/v1/ingestion/rollup?day=2026-11-01", token("VIEWER"), null).statusCode()).isEqualTo(403);

        HttpResponse<String> decades = get("/api/v1/ingestion?from=2000-01-01&to=2026-11-02", ADMIN_TOKEN);
        assertThat(decades.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(decades.body()).path("field").asString()).isEqualTo("to");
        assertThat(JSON.readTree(decades.body()).path("detail").asString()).contains("366 days");
        // two days ahead: still to come on the server's clock even if UTC midnight passes during the call
        String toCome = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2).toString();
        HttpResponse<String> future = send("POST", "/api/v1/ingestion/rollup?day=" + toCome, operator, null);
        assertThat(future.statusCode()).as(future.body()).isEqualTo(400);
        assertThat(JSON.readTree(future.body()).path("field").asString()).isEqualTo("day");
        assertThat(jdbc.sql("SELECT count(*) FROM ingestion_day").query(Long.class).single()).isEqualTo(2);
    }

    private void lease(String acquired, String ended, String outcome, Integer bytes, Integer files) {
        jdbc.sql("""
                        INSERT INTO upload_lease (id, vault_id, position, host_id, tome, client_id, granted_by, acquired_at,
                          expires_at, ended_at, outcome, bytes, files)
                        VALUES (gen_random_uuid(), 4242, 0, 1, 0, 'test', 'test', ?, ?, ?, ?, ?, ?)""")
                .params(Timestamp.from(Instant.parse(acquired)), Timestamp.from(Instant.parse(ended)),
                        Timestamp.from(Instant.parse(ended)), outcome, bytes, files)
                .update();
    }
}
