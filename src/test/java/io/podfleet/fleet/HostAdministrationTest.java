package io.podfleet.fleet;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Provisioning and operator actions over real HTTP, and host liveness from heartbeat age. */
class HostAdministrationTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    HostLiveness liveness;

    @Test
    void provisioningToolsPreRegisterHostsAndOperatorsChangeTheirAdminState() throws Exception {
        String operator = token("OPERATOR");
        HttpResponse<String> created = send("POST", "/api/v1/hosts", operator, """
                {"hostname":"pod-000-1013-02","systemSerial":"S-REG-1","profileId":"backblaze-pod-6.0","datacenter":"sac1",
                 "cabinet":"c13","rackUnit":12,"purchaseCost":10950.00}""");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = JSON.readTree(created.body()).path("id").asLong();

        assertThat(send("PUT", "/api/v1/hosts/" + id + "/admin-state", operator, "{\"state\":\"DRAINING\",\"reason\":\"disk swap\"}")
                .statusCode()).isEqualTo(204);
        JsonNode host = JSON.readTree(get("/api/v1/hosts/" + id, ADMIN_TOKEN).body()).path("host");
        assertThat(host.path("adminState").asString()).isEqualTo("DRAINING");
        assertThat(host.path("datacenter").asString()).isEqualTo("sac1");
        assertThat(jdbc.sql("SELECT actor || ' ' || action || ' ' || before::text || ' -> ' || after::text FROM audit_event"
                + " WHERE target = ? AND action = 'host.admin-state'").param("host:" + id).query(String.class).single())
                .contains("token:", "IN_SERVICE", "DRAINING", "disk swap");

        HttpResponse<String> noEnd = send("PUT", "/api/v1/hosts/" + id + "/admin-state", operator, "{\"state\":\"MAINTENANCE\"}");
        assertThat(noEnd.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(noEnd.body()).path("field").asString()).isEqualTo("until");
        String until = Instant.now().plus(2, ChronoUnit.HOURS).toString();
        assertThat(send("PUT", "/api/v1/hosts/" + id + "/admin-state", operator,
                "{\"state\":\"MAINTENANCE\",\"until\":\"" + until + "\"}").statusCode()).isEqualTo(204);
    }

    @Test
    void viewersCannotChangeAnythingAndDuplicatesAreRefused() throws Exception {
        String viewer = token("VIEWER");
        assertThat(send("POST", "/api/v1/hosts", viewer, "{\"hostname\":\"pod-x\"}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/enrollment-tokens", viewer, "{}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/hosts", ADMIN_TOKEN, "{\"hostname\":\"pod-dup\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> dup = send("POST", "/api/v1/hosts", ADMIN_TOKEN, "{\"hostname\":\"pod-dup\"}");
        assertThat(dup.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(dup.body()).path("field").asString()).isEqualTo("hostname");
        HttpResponse<String> badProfile = send("POST", "/api/v1/hosts", ADMIN_TOKEN, "{\"hostname\":\"pod-y\",\"profileId\":\"nope\"}");
        assertThat(badProfile.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badProfile.body()).path("field").asString()).isEqualTo("profileId");
        // what the columns cannot hold is refused by name (these were 500s from PostgreSQL)
        HttpResponse<String> cost = send("POST", "/api/v1/hosts", ADMIN_TOKEN, "{\"hostname\":\"pod-z\",\"purchaseCost\":1e13}");
        assertThat(cost.statusCode()).as(cost.body()).isEqualTo(400);
        assertThat(JSON.readTree(cost.body()).path("field").asString()).isEqualTo("purchaseCost");
        HttpResponse<String> currency = send("POST", "/api/v1/hosts", ADMIN_TOKEN,
                "{\"hostname\":\"pod-z\",\"purchaseCost\":1,\"purchaseCurrency\":\"dollars\"}");
        assertThat(currency.statusCode()).as(currency.body()).isEqualTo(400);
        assertThat(JSON.readTree(currency.body()).path("field").asString()).isEqualTo("purchaseCurrency");
        for (String field : new String[]{"datacenter", "cabinet", "systemSerial"}) {
            HttpResponse<String> tooLong = send("POST", "/api/v1/hosts", ADMIN_TOKEN, "{\"hostname\":\"pod-z\",\"" + field + "\":\"" + "x".repeat(101) + "\"}");
            assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
            assertThat(JSON.readTree(tooLong.body()).path("field").asString()).isEqualTo(field);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM host WHERE hostname = 'pod-z'").query(Long.class).single()).isZero();
        long dupHost = jdbc.sql("SELECT id FROM host WHERE hostname = 'pod-dup'").query(Long.class).single();
        HttpResponse<String> reason = send("PUT", "/api/v1/hosts/" + dupHost + "/admin-state", ADMIN_TOKEN,
                "{\"state\":\"DRAINING\",\"reason\":\"" + "r".repeat(301) + "\"}");
        assertThat(reason.statusCode()).as(reason.body()).isEqualTo(400);
        assertThat(JSON.readTree(reason.body()).path("field").asString()).isEqualTo("reason");
        assertThat(jdbc.sql("SELECT admin_state FROM host WHERE id = ?").param(dupHost).query(String.class).single()).isEqualTo("IN_SERVICE");
    }

    @Test
    void hostHealthFollowsHeartbeatAge() throws Exception {
        long fresh = host("pod-live-1", Instant.now().minusSeconds(20));
        long stale = host("pod-live-2", Instant.now().minusSeconds(6 * 60));
        long dead = host("pod-live-3", Instant.now().minusSeconds(11 * 60));
        liveness.run(Instant.now());
        assertThat(health(fresh)).isEqualTo("HEALTHY");
        assertThat(health(stale)).isEqualTo("STALE");
        assertThat(health(dead)).isEqualTo("DEAD");
        JsonNode counts = JSON.readTree(get("/api/v1/fleet/counts", ADMIN_TOKEN).body());
        assertThat(counts.path("hostsByHealth").path("DEAD").asLong()).isGreaterThanOrEqualTo(1);
    }

    private long host(String name, Instant heartbeat) {
        return jdbc.sql("INSERT INTO host (hostname, created_at, last_heartbeat_at) VALUES (?, now() - interval '1 day', ?) RETURNING id")
                .params(name, java.sql.Timestamp.from(heartbeat)).query(Long.class).single();
    }

    private String health(long id) {
        return jdbc.sql("SELECT health FROM host WHERE id = ?").param(id).query(String.class).single();
    }
}
