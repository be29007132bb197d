package io.podfleet.platform.problem;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over HTTP: calls no endpoint takes, and query parameters that cannot be used, are answered with problem+json naming
 * what is wrong (they were Spring Boot's own error document, or a 500 from the database, or an empty list).
 */
class ProblemAnswersTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anUnknownApiPathIsA404Problem() throws Exception {
        HttpResponse<String> r = get("/api/v1/no-such-thing", ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(404);
        assertProblem(r);
        assertThat(JSON.readTree(r.body()).path("detail").asString()).isEqualTo("No endpoint GET /api/v1/no-such-thing");
    }

    @Test
    void aMethodAPathDoesNotTakeIsA405ProblemWithAllow() throws Exception {
        HttpResponse<String> r = send("DELETE", "/api/v1/fleet/counts", ADMIN_TOKEN, null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertProblem(r);
        assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
        assertThat(JSON.readTree(r.body()).path("detail").asString()).contains("does not take DELETE").contains("GET");
    }

    @Test
    void aNulInAQueryParameterIsA400NamingIt() throws Exception {
        for (String path : new String[]{"/api/v1/hosts?datacenter=sac1%00x", "/api/v1/vaults?datacenter=%00"}) {
            HttpResponse<String> r = get(path, ADMIN_TOKEN);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(400);
            assertProblem(r);
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.path("field").asString()).isEqualTo("datacenter");
            assertThat(problem.path("detail").asString()).isEqualTo("datacenter: must not contain the NUL character (\\u0000)");
        }
    }

    @Test
    void anUnknownStateInAFilterIsA400ListingTheKnownOnes() throws Exception {
        HttpResponse<String> health = get("/api/v1/hosts?health=OK", ADMIN_TOKEN);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(400);
        assertThat(JSON.readTree(health.body()).path("detail").asString()).isEqualTo("health: must be one of HEALTHY, STALE, DEAD, not 'OK'");
        HttpResponse<String> admin = get("/api/v1/hosts?adminState=ACTIVE", ADMIN_TOKEN);
        assertThat(admin.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(admin.body()).path("field").asString()).isEqualTo("adminState");
        HttpResponse<String> vault = get("/api/v1/vaults?state=BROKEN", ADMIN_TOKEN);
        assertThat(vault.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(vault.body()).path("detail").asString()).startsWith("state: must be one of ").contains("ACTIVE");
        assertThat(get("/api/v1/hosts?health=STALE&adminState=IN_SERVICE", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        // in a body, the same words (Jackson's own named our Java class)
        HttpResponse<String> role = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN, "{\"name\":\"x\",\"role\":\"KING\"}");
        assertThat(role.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(role.body()).path("field").asString()).isEqualTo("role");
        assertThat(JSON.readTree(role.body()).path("detail").asString()).startsWith("role: must be one of VIEWER, OPERATOR")
                .endsWith(", not 'KING'").doesNotContain("io.podfleet");
    }

    @Test
    void aBodyValueOfTheWrongKindIsExplainedInTheCallersWords() throws Exception {
        String[][] cases = {
                {"{\"ttl\":\"a day\"}", "ttl", "must be an ISO 8601 duration such as PT24H, not 'a day'"},
                {"{\"ttl\":\"PT1H\",\"hostname\":\"h\",\"systemSerial\":7}", null, null}, // a number read as text is fine
        };
        for (String[] c : cases) {
            HttpResponse<String> r = send("POST", "/api/v1/enrollment-tokens", ADMIN_TOKEN, c[0]);
            if (c[1] == null) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                continue;
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("field").asString()).isEqualTo(c[1]);
            assertThat(JSON.readTree(r.body()).path("detail").asString()).isEqualTo(c[1] + ": " + c[2]);
        }
        HttpResponse<String> big = send("POST", "/api/v1/hosts", ADMIN_TOKEN, "{\"hostname\":\"big\",\"rackUnit\":99999999999}");
        assertThat(JSON.readTree(big.body()).path("detail").asString())
                .isEqualTo("rackUnit: must be a whole number from -2147483648 to 2147483647");
        HttpResponse<String> word = send("POST", "/api/v1/hosts", ADMIN_TOKEN, "{\"hostname\":\"word\",\"rackUnit\":\"top\"}");
        assertThat(JSON.readTree(word.body()).path("detail").asString()).isEqualTo("rackUnit: must be a number, not 'top'")
                .doesNotContain("java.");
    }

    @Test
    void theSecurityFiltersAnswerTheSameShapeAsTheControllers() throws Exception {
        HttpResponse<String> r = get("/api/v1/hosts", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertProblem(r);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("instance").asString()).isEqualTo("/api/v1/hosts");
        assertThat(problem.has("type")).as("no \"type\": null").isFalse();
        assertThat(problem.has("properties")).as("no \"properties\": null").isFalse();
    }

    @Test
    void pathsOutsideTheApiKeepTheServersErrorAnswer() throws Exception {
        HttpResponse<String> r = get("/no-such-page", ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).doesNotContain("problem+json"));
    }

    private static void assertProblem(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("status").asInt()).isEqualTo(r.statusCode());
        assertThat(problem.path("title").asString()).isNotEmpty();
    }
}
