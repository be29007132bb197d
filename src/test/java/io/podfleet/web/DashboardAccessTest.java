package io.podfleet.web;

import io.podfleet.simulate.Simulator;
import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may do what on the dashboard, at the HTTP level: sessions from a real sign-in, CSRF, roles, audit. */
class DashboardAccessTest extends ServerTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static long host;
    private static long drive;

    private void seed() throws Exception {
        if (host != 0) {
            return;
        }
        try (Simulator fleet = simulatedHosts(token("OPERATOR"), "acc", 3, 6)) {
            host = fleet.hostId(0);
            var formed = send("POST", "/api/v1/vaults", token("OPERATOR"), "{\"id\":4343,\"dataShards\":2,\"parityShards\":1,\"hosts\":["
                    + fleet.hostId(0) + "," + fleet.hostId(1) + "," + fleet.hostId(2) + "]}");
            assertThat(formed.statusCode()).as(formed.body()).isEqualTo(201);
        }
        drive = jdbc.sql("SELECT id FROM drive WHERE host_id = ? AND slot = 2").param(host).query(Long.class).single();
        for (String[] u : new String[][]{{"viewer1", "VIEWER"}, {"operator1", "OPERATOR"}, {"admin1", "ADMIN"}}) {
            send("POST", "/api/v1/users", ADMIN_TOKEN, "{\"username\":\"" + u[0] + "\",\"password\":\"" + u[0] + "-password\",\"role\":\"" + u[1] + "\"}");
        }
    }

    @Test
    void withoutASessionEveryPageSendsToSignIn() throws Exception {
        seed();
        Session anonymous = new Session(this::url);
        for (String page : new String[]{"/fleet", "/vaults/4343", "/hosts/" + host, "/drives/" + drive, "/reports", "/users"}) {
            HttpResponse<String> r = anonymous.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).as(page).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        }
        assertThat(anonymous.get("/login").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/webjars/htmx.org/dist/htmx.min.js").statusCode()).as("assets come from the jar").isEqualTo(200);
        assertThat(anonymous.get("/webjars/echarts/dist/echarts.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void aViewerReadsEveryPageButChangesNothing() throws Exception {
        seed();
        Session viewer = Session.signIn(this::url, "viewer1");
        for (String page : new String[]{"/fleet", "/fleet/tiles", "/vaults/4343", "/hosts/" + host, "/drives/" + drive, "/reports"}) {
            assertThat(viewer.get(page).statusCode()).as(page).isEqualTo(200);
        }
        assertThat(viewer.get("/users").statusCode()).isEqualTo(403);
        HttpResponse<String> missing = viewer.get("/vaults/9999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Vault 9999 does not exist").doesNotContain("\"status\"");
        HttpResponse<String> nonsense = viewer.get("/hosts/not-a-number");
        assertThat(nonsense.statusCode()).isEqualTo(400);
        assertThat(nonsense.body()).contains("<html").doesNotContain("Whitelabel")
                .as("the caller's mistake, named; not 'the error is in its log'").contains("id: cannot be read as long: &#39;not-a-number&#39;");
        HttpResponse<String> nul = viewer.get("/fleet?datacenter=sac1%00");
        assertThat(nul.statusCode()).as("a NUL reached PostgreSQL: 500").isEqualTo(400);
        assertThat(nul.body()).contains("datacenter: must not contain the NUL character");
        String csrf = viewer.csrf("/hosts/" + host);
        HttpResponse<String> drain = viewer.post("/hosts/" + host + "/admin-state", Map.of("state", "DRAINING", "confirm", "yes", "_csrf", csrf));
        assertThat(drain.statusCode()).isEqualTo(403);
        assertThat(drain.body()).contains("does not allow this");
        long other = jdbc.sql("SELECT id FROM drive WHERE host_id = ? AND slot = 3").param(host).query(Long.class).single();
        assertThat(viewer.post("/drives/" + other + "/remove", Map.of("confirm", "yes", "_csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(viewer.post("/vaults/4343/connection-limit", Map.of("limit", "7", "confirm", "yes", "_csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT admin_state FROM host WHERE id = ?").param(host).query(String.class).single()).isEqualTo("IN_SERVICE");
        assertThat(jdbc.sql("SELECT state FROM drive WHERE id = ?").param(other).query(String.class).single()).isEqualTo("IN_SERVICE");
    }

    @Test
    void anOperatorsActionsAskFirstNeedTheCsrfTokenAndAreAudited() throws Exception {
        seed();
        Session operator = Session.signIn(this::url, "operator1");
        String csrf = operator.csrf("/vaults/4343");
        assertThat(operator.post("/vaults/4343/connection-limit", Map.of("limit", "7", "confirm", "yes")).statusCode())
                .as("no CSRF token").isEqualTo(403);
        HttpResponse<String> asked = operator.post("/vaults/4343/connection-limit", Map.of("limit", "7", "_csrf", csrf));
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("Set vault 4343", "connection limit to 7", "name=\"confirm\" value=\"yes\"");
        assertThat(jdbc.sql("SELECT count(*) FROM vault_admission WHERE vault_id = 4343 AND limit_override IS NOT NULL")
                .query(Long.class).single()).as("nothing changes before the confirmation").isZero();

        HttpResponse<String> done = operator.post("/vaults/4343/connection-limit", Map.of("limit", "7", "confirm", "yes", "_csrf", csrf));
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(operator.get("/vaults/4343").body()).contains("Connection limit set to 7", "id=\"connection-limit\">7<",
                "id=\"reserved-connections\">0<");
        assertThat(jdbc.sql("SELECT actor FROM audit_event WHERE action = 'vault.connection-limit' AND target = 'vault:4343'")
                .query(String.class).list()).containsExactly("operator1");

        HttpResponse<String> refused = operator.post("/vaults/4343/connection-limit", Map.of("limit", "-3", "confirm", "yes", "_csrf", csrf));
        assertThat(operator.get(refused.headers().firstValue("Location").orElseThrow().replaceAll("^https?://[^/]+", "")).body())
                .as("a rule's refusal is shown on the page").contains("must be between 0 and 1000000");

        HttpResponse<String> removed = operator.post("/drives/" + drive + "/remove", Map.of("reason", "pulled for RMA", "confirm", "yes", "_csrf", csrf));
        assertThat(removed.statusCode()).isEqualTo(302);
        assertThat(jdbc.sql("SELECT state FROM drive WHERE id = ?").param(drive).query(String.class).single()).isEqualTo("REMOVED");
        assertThat(operator.get("/users").statusCode()).as("users are for ADMIN").isEqualTo(403);
    }

    @Test
    void anAdminManagesUsersAndTheLastAdminCannotBeDemoted() throws Exception {
        seed();
        Session admin = Session.signIn(this::url, "admin1");
        String csrf = admin.csrf("/users");
        assertThat(admin.post("/users", Map.of("username", "newbie", "password", "newbie-password", "role", "VIEWER", "_csrf", csrf))
                .statusCode()).isEqualTo(302);
        assertThat(admin.get("/users").body()).contains("User newbie added as VIEWER");
        assertThat(jdbc.sql("SELECT password_hash FROM dashboard_user WHERE username = 'newbie'").query(String.class).single())
                .as("stored hashed").doesNotContain("newbie-password").startsWith("{bcrypt}");
        admin.post("/users", Map.of("username", "short", "password", "short", "role", "VIEWER", "_csrf", csrf));
        assertThat(admin.get("/users").body()).contains("password: must be at least 12 characters");

        var users = get("/api/v1/users", ADMIN_TOKEN);
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.body()).contains("\"newbie\"").doesNotContain("password");
        assertThat(get("/api/v1/users", token("OPERATOR")).statusCode()).isEqualTo(403);
        assertThat(send("PATCH", "/api/v1/users/admin1", ADMIN_TOKEN, "{\"role\":\"VIEWER\"}").statusCode())
                .as("another ADMIN remains").isEqualTo(200);
        var last = send("PATCH", "/api/v1/users/admin", ADMIN_TOKEN, "{\"enabled\":false}");
        assertThat(last.statusCode()).as("the last enabled ADMIN").isEqualTo(409);
        assertThat(last.body()).contains("last enabled ADMIN");
        assertThat(send("PATCH", "/api/v1/users/admin1", ADMIN_TOKEN, "{\"role\":\"ADMIN\"}").statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action LIKE 'dashboard-user.%' AND (after::text LIKE '%newbie-password%' OR before::text LIKE '%-password%')")
                .query(Long.class).single()).as("audit records never hold a password").isZero();
    }

    /** A browser-like client: cookies kept, redirects not followed, asks for HTML, forms posted url-encoded. */
    static final class Session {
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        private final java.util.function.Function<String, java.net.URI> url;

        Session(java.util.function.Function<String, java.net.URI> url) {
            this.url = url;
        }

        static Session signIn(java.util.function.Function<String, java.net.URI> url, String user) throws Exception {
            Session s = new Session(url);
            String csrf = s.csrf("/login");
            HttpResponse<String> r = s.post("/login", Map.of("username", user, "password", user + "-password", "_csrf", csrf));
            assertThat(r.headers().firstValue("Location")).as("signed in as " + user).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
            return s;
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(url.apply(path)).header("Accept", "text/html,application/xhtml+xml").build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            String body = new LinkedHashMap<>(form).entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(url.apply(path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        String csrf(String page) throws Exception {
            Matcher m = CSRF.matcher(get(page).body());
            assertThat(m.find()).as("a CSRF token on " + page).isTrue();
            return m.group(1);
        }
    }
}
