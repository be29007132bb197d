package io.podfleet.support;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the tests that run the whole server on a random port against the test JVM's PostgreSQL, with the real
 * migrations, and talk to it over real HTTP. Subclasses share one application context.
 */
// A test JVM holds several servers (one per set of test properties). Spring registers each one's data source in
// Quartz's JVM-wide DBConnectionManager under its scheduler's name, so servers sharing a name clobber each other: once
// the server registered last closed, the others' jobs ran on a closed pool, and a shutdown waiting for a job retrying
// on it never ended. Each test server's scheduler has a name of its own (its own Quartz cluster in the shared tables),
// and, as a net, tests do not wait for jobs on shutdown; production runs one server per JVM and waits.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = io.podfleet.PodfleetServer.class,
        properties = "spring.quartz.wait-for-jobs-to-complete-on-shutdown=false")
@Import(ServerTest.OwnSchedulerName.class)
public abstract class ServerTest {

    public static final String ADMIN_TOKEN = TestDatabase.ADMIN_TOKEN;
    private static final AtomicInteger SERVERS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A scheduler name per test server (see above). */
    @TestConfiguration(proxyBeanMethods = false)
    static class OwnSchedulerName {
        @Bean
        SchedulerFactoryBeanCustomizer ownSchedulerName() {
            return factory -> factory.setSchedulerName("podfleet-test-" + SERVERS.incrementAndGet());
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("podfleet.bootstrap.token", () -> ADMIN_TOKEN);
        registry.add("podfleet.bootstrap.password", () -> "test-admin-password");
        registry.add("podfleet.web.refresh-interval", () -> "1s");
        Path dataDir = TempFolders.create("podfleet-test-data");
        registry.add("podfleet.data-dir", dataDir::toString);
    }

    /** Tables owned by capabilities are emptied before each test class; schema, scheduler and credentials stay. */
    @BeforeAll
    static void cleanDatabase(@Autowired JdbcClient jdbc) {
        List<String> tables = jdbc.sql("""
                SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                AND tablename NOT LIKE 'qrtz_%' AND tablename NOT IN ('flyway_schema_history', 'api_token', 'dashboard_user')
                """).query(String.class).list();
        if (tables.isEmpty()) {
            return;
        }
        // the shared context's scheduled jobs (vault passes, liveness, retention) may be reading these tables: one
        // that locks them in another order than TRUNCATE deadlocks with it, and PostgreSQL may abort the TRUNCATE
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.sql("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE").update();
                return;
            } catch (org.springframework.dao.PessimisticLockingFailureException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** A new API token of this role, made with the admin token. */
    protected String token(String role) throws Exception {
        String body = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN,
                "{\"name\":\"test-" + role.toLowerCase(java.util.Locale.ROOT) + "-" + System.nanoTime() + "\",\"role\":\"" + role + "\"}").body();
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(body).path("token").asString();
    }

    /** A host's agent credential, enrolled as an agent enrolls (a fresh enrollment token, no profile). */
    protected record Enrolled(String hostId, String credential) {
    }

    protected Enrolled enroll(String hostname) throws Exception {
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        String token = json.readTree(send("POST", "/api/v1/enrollment-tokens", ADMIN_TOKEN, "{}").body()).path("token").asString();
        var enrolled = json.readTree(send("POST", "/api/v1/agent/enroll", null,
                "{\"enrollmentToken\":\"" + token + "\",\"hostname\":\"" + hostname + "\"}").body());
        return new Enrolled(enrolled.path("hostId").asString(), enrolled.path("credential").asString());
    }

    /**
     * Simulated hosts in datacenter sac1 (one per cabinet, c00, c01, ...), enrolled, with one report and one
     * heartbeat each sent, so they can form vaults. No failures unless the test makes them.
     */
    protected io.podfleet.simulate.Simulator simulatedHosts(String operatorToken, String prefix, int hosts, int drives) throws Exception {
        var s = new io.podfleet.simulate.Simulator(new io.podfleet.simulate.Simulator.Settings(url(""), operatorToken, hosts, drives,
                java.time.Duration.ofMinutes(15), java.time.Duration.ofSeconds(30), 0, 1, new String[]{"sac1"},
                "backblaze-pod-6.0", prefix, 3), line -> { });
        s.enroll();
        s.reportAll();
        s.heartbeatAll();
        return s;
    }

    protected URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form upload ({@code multipart/form-data}) of text files, each as a part named {@code part}, as a browser sends it. */
    protected HttpResponse<String> upload(String path, String token, String part, java.util.Map<String, String> files) throws Exception {
        String boundary = "podfleet-test-" + System.nanoTime();
        StringBuilder body = new StringBuilder();
        files.forEach((name, content) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(part).append("\"; filename=\"").append(name).append("\"\r\n")
                .append("Content-Type: text/csv\r\n\r\n").append(content).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
