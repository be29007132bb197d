package io.podfleet.security;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's doors over real HTTP: who gets in, who is refused, and how the refusal reads. */
class ApiSecurityTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void unauthenticatedCallIsRefusedWith401ProblemJson() throws Exception {
        HttpResponse<String> r = get("/api/v1/hardware-profiles", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(r.body()).path("status").asInt()).isEqualTo(401);
    }

    @Test
    void wrongTokenIsRefusedWith401() throws Exception {
        HttpResponse<String> r = get("/api/v1/hardware-profiles", "pf_not_a_real_token_at_all_000000");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).path("detail").asString()).contains("unknown or revoked");
    }

    @Test
    void bootstrapTokenIsAdmin() throws Exception {
        assertThat(get("/api/v1/hardware-profiles", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/api-tokens", ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void viewerTokenReadsButCannotManageTokens() throws Exception {
        String viewer = createToken("viewer-" + System.nanoTime(), "VIEWER");
        assertThat(get("/api/v1/hardware-profiles", viewer).statusCode()).isEqualTo(200);
        HttpResponse<String> r = send("POST", "/api/v1/api-tokens", viewer, "{\"name\":\"x\",\"role\":\"ADMIN\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void revokedTokenStopsWorkingAndTheRevocationIsAudited() throws Exception {
        String name = "revoke-me-" + System.nanoTime();
        HttpResponse<String> created = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"role\":\"OPERATOR\"}");
        JsonNode body = JSON.readTree(created.body());
        String secret = body.path("token").asString();
        long id = body.path("id").asLong();
        assertThat(get("/api/v1/hardware-profiles", secret).statusCode()).isEqualTo(200);

        assertThat(send("DELETE", "/api/v1/api-tokens/" + id, ADMIN_TOKEN, null).statusCode()).isEqualTo(204);

        assertThat(get("/api/v1/hardware-profiles", secret).statusCode()).isEqualTo(401);
        assertThat(jdbc.sql("SELECT actor, action FROM audit_event WHERE target = ? ORDER BY id")
                .param("api-token:" + id).query((rs, i) -> rs.getString(1) + " " + rs.getString(2)).list())
                .containsExactly("token:bootstrap-admin api-token.create", "token:bootstrap-admin api-token.revoke");
    }

    @Test
    void tokenSecretIsStoredOnlyAsAHash() throws Exception {
        String name = "hashed-" + System.nanoTime();
        String secret = createToken(name, "VIEWER");
        String stored = jdbc.sql("SELECT token_hash FROM api_token WHERE name = ?").param(name).query(String.class).single();
        assertThat(stored).isEqualTo(Tokens.hash(secret)).doesNotContain(secret);
    }

    @Test
    void invalidBodyNamesTheField() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN, "{\"name\":\"has spaces\",\"role\":\"ADMIN\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("field").asString()).isEqualTo("name");

        HttpResponse<String> badEnum = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN, "{\"name\":\"ok\",\"role\":\"ROOT\"}");
        assertThat(badEnum.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badEnum.body()).path("field").asString()).isEqualTo("role");

        HttpResponse<String> notJson = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN, "{\"name\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(jdbc.sql("SELECT count(*) FROM api_token WHERE name IN ('has spaces', 'ok')").query(Long.class).single()).isZero();
    }

    @Test
    void healthIsOpenAndShowsDatabaseAndSchedulerToAuthenticatedCallers() throws Exception {
        HttpResponse<String> open = get("/actuator/health", null);
        assertThat(open.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(get("/actuator/health", ADMIN_TOKEN).body());
        assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("scheduler").path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("scheduler").path("details").path("clustered").asBoolean()).isTrue();
    }

    @Test
    void prometheusAndApiDocsNeedAuthentication() throws Exception {
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", ADMIN_TOKEN).body()).contains("jvm_memory_used_bytes");
        assertThat(get("/v3/api-docs", null).statusCode()).isEqualTo(401);
        HttpResponse<String> docs = get("/v3/api-docs", ADMIN_TOKEN);
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/api/v1/hardware-profiles");
    }

    private String createToken(String name, String role) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        return JSON.readTree(r.body()).path("token").asString();
    }
}
