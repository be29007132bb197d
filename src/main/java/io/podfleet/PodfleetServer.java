package io.podfleet;

import io.podfleet.cli.ClassArchive;
import io.podfleet.platform.StartupSteps;
import io.podfleet.platform.database.EmbeddedDatabaseStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ApplicationListener;

import java.util.Map;

/** The central service: REST API, dashboard and scheduled jobs on PostgreSQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PodfleetServer {

    public static void main(String[] args) {
        start(args);
    }

    public static void start(String... args) {
        SpringApplication app = new SpringApplication(PodfleetServer.class);
        app.setDefaultProperties(DatabaseUrl.fromEnvironment(System.getenv("DATABASE_URL")));
        StartupSteps.recordIfAsked(app);
        // the server's own launch only: a test context learns its database URL after the configuration is read
        app.addListeners(new EmbeddedDatabaseStart());
        app.addListeners((ApplicationListener<ApplicationReadyEvent>) ready -> ClassArchive.serverReady());
        app.run(args);
    }

    /**
     * Maps the conventional {@code DATABASE_URL} (postgres://user:pass@host:port/db or a jdbc: URL) to Spring's
     * datasource properties. Default properties rank lowest, so an explicit spring.datasource.url still wins.
     */
    static final class DatabaseUrl {
        static Map<String, Object> fromEnvironment(String value) {
            if (value == null || value.isBlank()) {
                return Map.of();
            }
            if (value.startsWith("jdbc:")) {
                return Map.of("spring.datasource.url", value);
            }
            java.net.URI uri = java.net.URI.create(value);
            if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
                throw new IllegalArgumentException("DATABASE_URL must start with postgres://, postgresql:// or jdbc:");
            }
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            Map<String, Object> props = new java.util.HashMap<>();
            props.put("spring.datasource.url", jdbc);
            String userInfo = uri.getUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                props.put("spring.datasource.username", colon < 0 ? userInfo : userInfo.substring(0, colon));
                if (colon >= 0) {
                    props.put("spring.datasource.password", userInfo.substring(colon + 1));
                }
            }
            return props;
        }
    }
}
