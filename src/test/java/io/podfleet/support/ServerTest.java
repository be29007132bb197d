package io.podfleet.support;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
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

/**
 * Base of the tests that run the whole server on a random port against the test JVM's PostgreSQL, with the real
 * migrations, and talk to it over real HTTP. Subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = io.podfleet.PodfleetServer.class)
public abstract class ServerTest {

    public static final String ADMIN_TOKEN = TestDatabase.ADMIN_TOKEN;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
        Path dataDir = Files.createTempDirectory("podfleet-test-data");
        registry.add("podfleet.data-dir", dataDir::toString);
    }

    /** Tables owned by capabilities are emptied before each test class; schema, scheduler and credentials stay. */
    @BeforeAll
    static void cleanDatabase(@Autowired JdbcClient jdbc) {
        List<String> tables = jdbc.sql("""
                SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                AND tablename NOT LIKE 'qrtz_%' AND tablename NOT IN ('flyway_schema_history', 'api_token', 'dashboard_user')
                """).query(String.class).list();
        if (!tables.isEmpty()) {
            jdbc.sql("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE").update();
        }
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
}
