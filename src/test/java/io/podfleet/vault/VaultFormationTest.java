package io.podfleet.vault;

import io.podfleet.simulate.Simulator;
import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forming vaults over the API from simulated hosts in one datacenter, 2 + 1 so three hosts make a vault: the rules
 * refuse what breaks them (naming each host and rule) and change nothing; membership changes are audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VaultFormationTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private String operator;
    private String viewer;
    private Simulator six;      // "ra": 6 hosts, 6 drives, cabinets c00..c05
    private Simulator four;     // "rb": 1 host, 4 drives, cabinet c00
    private Simulator cabinets; // "rc": 4 hosts, 6 drives, cabinets c00..c03

    @BeforeAll
    void fleet() throws Exception {
        operator = token("OPERATOR");
        viewer = token("VIEWER");
        six = simulator("ra", 6, 6);
        four = simulator("rb", 1, 4);
        cabinets = simulator("rc", 4, 6);
    }

    @Test
    @Order(1)
    void threeHostsOfOneShapeInThreeCabinetsFormAVault() throws Exception {
        HttpResponse<String> r = form("{\"id\":1084,\"name\":\"vault-1084\",\"dataShards\":2,\"parityShards\":1,\"hosts\":["
                + ids(six, 0, 1, 2) + "]}", operator);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/vaults/1084");
        JsonNode vault = JSON.readTree(r.body()).path("vault");
        assertThat(vault.path("state").asString()).as("every tome has its drives: burn-in starts").isEqualTo("BURN_IN");
        assertThat(vault.path("tomeCount").asInt()).isEqualTo(6);
        assertThat(vault.path("writable").asBoolean()).isTrue();
        assertThat(vault.path("membersOk").asInt()).isEqualTo(3);
        assertThat(vault.path("tomesByHealth").path("HEALTHY").asInt()).isEqualTo(6);
        assertThat(vault.path("burnInUntil").isNull()).isFalse();
        assertThat(JSON.readTree(r.body()).path("members").get(2).path("hostId").asLong()).isEqualTo(six.hostId(2));
        JsonNode members = JSON.readTree(get("/api/v1/hosts?vault=1084", viewer).body());
        assertThat(members.path("total").asLong()).as("hosts filtered by vault").isEqualTo(3);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'vault.create' AND target = 'vault:1084'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aHostInAnotherVaultIsRefusedAndNothingIsWritten() throws Exception {
        HttpResponse<String> r = form("{\"id\":1085,\"dataShards\":2,\"parityShards\":1,\"hosts\":[" + ids(six, 0, 3, 4) + "]}", operator);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
        JsonNode violations = JSON.readTree(r.body()).path("violations");
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).path("hostId").asLong()).isEqualTo(six.hostId(0));
        assertThat(violations.get(0).path("rule").asString()).isEqualTo("in-another-vault");
        assertThat(jdbc.sql("SELECT count(*) FROM vault").query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM vault_member WHERE host_id IN (?, ?)").params(six.hostId(3), six.hostId(4))
                .query(Long.class).single()).isZero();
    }

    @Test
    @Order(3)
    void mixedDriveCountsAreRefused() throws Exception {
        HttpResponse<String> r = form("{\"dataShards\":2,\"parityShards\":1,\"hosts\":[" + ids(six, 3, 4) + "," + four.hostId(0) + "]}", operator);
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode v = JSON.readTree(r.body()).path("violations");
        assertThat(v).hasSize(1);
        assertThat(v.get(0).path("rule").asString()).isEqualTo("mixed-drive-count");
        assertThat(v.get(0).path("position").asInt()).isEqualTo(2);
        assertThat(v.get(0).path("detail").asString()).contains("has 4 drives", "have 6");
    }

    @Test
    @Order(4)
    void twoHostsInOneCabinetAreRefused() throws Exception {
        HttpResponse<String> r = form("{\"dataShards\":2,\"parityShards\":1,\"hosts\":[" + ids(six, 3, 4) + "," + cabinets.hostId(3) + "]}", operator);
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode v = JSON.readTree(r.body()).path("violations");
        assertThat(v).hasSize(1);
        assertThat(v.get(0).path("rule").asString()).isEqualTo("shared-cabinet");
        assertThat(v.get(0).path("hostId").asLong()).isEqualTo(cabinets.hostId(3));
        assertThat(JSON.readTree(r.body()).path("detail").asString()).contains("shared-cabinet");
    }

    @Test
    @Order(5)
    void everyBrokenRuleIsListedAtOnce() throws Exception {
        HttpResponse<String> r = form("{\"dataShards\":2,\"parityShards\":1,\"hosts\":[" + six.hostId(0) + "," + four.hostId(0)
                + ",999999]}", operator);
        assertThat(r.statusCode()).isEqualTo(422);
        Set<String> rules = new HashSet<>();
        JSON.readTree(r.body()).path("violations").forEach(v -> rules.add(v.path("position").asInt() + ":" + v.path("rule").asString()));
        assertThat(rules).containsExactlyInAnyOrder("0:in-another-vault", "1:shared-cabinet", "1:mixed-drive-count", "2:unknown-host");
    }

    @Test
    @Order(6)
    void wrongWidthAndBadFieldsAreRefusedNamingTheField() throws Exception {
        HttpResponse<String> r = form("{\"hosts\":[" + ids(six, 3, 4) + "]}", operator);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("field").asString()).isEqualTo("hosts");
        assertThat(JSON.readTree(r.body()).path("detail").asString()).contains("needs 20 hosts");
        HttpResponse<String> id = form("{\"id\":12345,\"dataShards\":2,\"parityShards\":1,\"hosts\":[" + ids(six, 3, 4, 5) + "]}", operator);
        assertThat(JSON.readTree(id.body()).path("field").asString()).isEqualTo("id");
        HttpResponse<String> taken = form("{\"id\":1084,\"dataShards\":2,\"parityShards\":1,\"hosts\":[" + ids(six, 3, 4, 5) + "]}", operator);
        assertThat(taken.statusCode()).isEqualTo(409);
    }

    @Test
    @Order(7)
    void aViewerMayLookButNotForm() throws Exception {
        assertThat(form("{\"datacenter\":\"sac1\",\"dataShards\":2,\"parityShards\":1}", viewer).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/vaults", viewer).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/vaults", null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(8)
    void withoutAListTheServerPicksOneHostPerCabinetOfOneShape() throws Exception {
        HttpResponse<String> r = form("{\"datacenter\":\"sac1\",\"dataShards\":2,\"parityShards\":1}", operator);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("vault").path("id").asInt()).as("next id after 1084").isEqualTo(1085);
        Set<String> cabinetsUsed = new HashSet<>();
        body.path("members").forEach(m -> cabinetsUsed.add(m.path("cabinet").asString()));
        assertThat(cabinetsUsed).hasSize(3);
        body.path("members").forEach(m -> assertThat(m.path("hostId").asLong()).isNotEqualTo(four.hostId(0)));
    }

    @Test
    @Order(9)
    void replacingAHostRebuildsItsShardsThenTheTomesAreHealthyAgain() throws Exception {
        HttpResponse<String> r = send("PUT", "/api/v1/vaults/1084/members/1", operator,
                "{\"hostId\":" + six.hostId(5) + ",\"reason\":\"motherboard\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("members").get(1).path("hostId").asLong()).isEqualTo(six.hostId(5));
        assertThat(body.path("members").get(1).path("rebuilding").asBoolean()).isTrue();
        assertThat(body.path("vault").path("tomesByHealth").path("CRITICAL").asInt())
                .as("2 + 1: one position rebuilding leaves no redundancy").isEqualTo(6);
        assertThat(body.path("vault").path("writable").asBoolean()).isFalse();
        JsonNode matrix = JSON.readTree(get("/api/v1/vaults/1084/tomes", viewer).body());
        assertThat(matrix.path("tomes").get(0).path("shards").get(1).path("why").asString()).startsWith("being rebuilt");
        assertThat(send("POST", "/api/v1/vaults/1084/members/1/rebuilt", operator, null).statusCode()).isEqualTo(200);
        JsonNode after = JSON.readTree(get("/api/v1/vaults/1084", viewer).body());
        assertThat(after.path("vault").path("tomesByHealth").path("HEALTHY").asInt()).isEqualTo(6);
        // the host that left is free again; the one in another vault cannot come in
        HttpResponse<String> refused = send("PUT", "/api/v1/vaults/1084/members/1", operator, "{\"hostId\":" + six.hostId(1) + "}");
        assertThat(refused.statusCode()).as("back in its own cabinet? no: c01 is free again, so it is allowed").isEqualTo(200);
        JsonNode events = JSON.readTree(get("/api/v1/vaults/1084/events", viewer).body());
        Set<String> kinds = new HashSet<>();
        events.forEach(e -> kinds.add(e.path("kind").asString()));
        assertThat(kinds).contains("created", "state", "member-replaced", "member-rebuilt", "tome-health");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'vault.replace-member'").query(Long.class).single()).isEqualTo(2);
    }

    @Test
    @Order(10)
    void aDrainedVaultStopsWritesAndRetiringItFreesItsHosts() throws Exception {
        assertThat(send("POST", "/api/v1/vaults/1085/retire", operator, null).statusCode()).as("drain first").isEqualTo(409);
        JsonNode drained = JSON.readTree(send("POST", "/api/v1/vaults/1085/drain", operator, "{\"reason\":\"moving to 22 TB\"}").body());
        assertThat(drained.path("vault").path("state").asString()).isEqualTo("DRAINING");
        assertThat(drained.path("vault").path("writable").asBoolean()).isFalse();
        assertThat(drained.path("vault").path("notWritableBecause").get(0).asString()).isEqualTo("vault is DRAINING");
        JsonNode retired = JSON.readTree(send("POST", "/api/v1/vaults/1085/retire", operator, null).body());
        assertThat(retired.path("vault").path("state").asString()).isEqualTo("RETIRED");
        assertThat(retired.path("members")).isEmpty();
        HttpResponse<String> again = form("{\"datacenter\":\"sac1\",\"dataShards\":2,\"parityShards\":1}", operator);
        assertThat(again.statusCode()).as("the freed hosts form a new vault").isEqualTo(201);
    }

    private HttpResponse<String> form(String json, String token) throws Exception {
        return send("POST", "/api/v1/vaults", token, json);
    }

    private Simulator simulator(String prefix, int hosts, int drives) throws Exception {
        return simulatedHosts(operator, prefix, hosts, drives);
    }

    private static String ids(Simulator s, int... indexes) {
        StringBuilder b = new StringBuilder();
        for (int i : indexes) {
            b.append(b.length() == 0 ? "" : ",").append(s.hostId(i));
        }
        return b.toString();
    }
}
