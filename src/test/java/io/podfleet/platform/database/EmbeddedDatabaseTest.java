package io.podfleet.platform.database;

import io.podfleet.PodfleetServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's own embedded PostgreSQL (no datasource URL given), as a newcomer's first run uses it. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void migratesAnEmptyDatabaseAndKeepsDataAcrossRestarts() {
        try (ConfigurableApplicationContext first = start()) {
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success").query(Long.class).single())
                    .isGreaterThanOrEqualTo(2);
            assertThat(jdbc.sql("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'qrtz_%'").query(Long.class).single())
                    .isEqualTo(11);
            assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
            assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
            assertThat(jdbc.sql("SHOW min_wal_size").query(String.class).single()).as("WAL segments kept for reuse").isEqualTo("1GB");
            assertThat(jdbc.sql("SELECT current_setting('server_version_num')::int / 10000").query(Integer.class).single())
                    .isEqualTo(17);
            jdbc.sql("INSERT INTO audit_event (at, actor, action, target) VALUES (now(), 'test', 'remember', 'me')").update();
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("PostgreSQL stopped with the server").doesNotExist();

        try (ConfigurableApplicationContext second = start("--podfleet.embedded-database.server-settings.work-mem=12MB",
                "--podfleet.embedded-database.server-settings.min-wal-size=256MB")) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SHOW work_mem").query(String.class).single()).as("an operator's server setting").isEqualTo("12MB");
            assertThat(jdbc.sql("SHOW min_wal_size").query(String.class).single()).as("an operator's over a default").isEqualTo("256MB");
            assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'remember'").query(Long.class).single())
                    .isEqualTo(1);
            assertThat(jdbc.sql("SELECT count(*) FROM api_token WHERE name = 'bootstrap-admin'").query(Long.class).single())
                    .as("bootstrap runs on an empty database only").isEqualTo(1);
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryRefusesToStart() {
        try (ConfigurableApplicationContext first = start()) {
            // refused while the configuration is read, before a second PostgreSQL could touch the folder
            assertThatThrownBy(this::start)
                    .isInstanceOf(DataDirectoryLock.DataDirectoryInUse.class)
                    .hasMessageContaining("is in use by another Podfleet server");
            assertThat(first.getBean(JdbcClient.class).sql("SELECT 1").query(Integer.class).single()).isEqualTo(1);
        }
        assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
    }

    /** PostgreSQL starts while the configuration is read; a start that fails later stops it and frees the folder. */
    @Test
    void aStartThatFailsAfterPostgresStartedStopsItAndReleasesTheFolder() throws Exception {
        Path profiles = Files.createDirectories(dataDir.resolve("profiles"));
        Files.writeString(profiles.resolve("broken.yaml"), "id: broken\n");
        assertThatThrownBy(() -> start("--podfleet.fleet.profiles-dir=" + profiles)).hasStackTraceContaining("broken.yaml");
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("PostgreSQL stopped with the failed start").doesNotExist();
        try (ConfigurableApplicationContext again = start()) {
            assertThat(again.getBean(JdbcClient.class).sql("SELECT 1").query(Integer.class).single()).isEqualTo(1);
        }
    }

    @Test
    void durabilityCannotBeTurnedOffThroughServerSettings() {
        assertThatThrownBy(() -> start("--podfleet.embedded-database.server-settings.fsync=off"))
                .rootCause().hasMessageContaining("server-settings.fsync cannot be set");
        assertThat(dataDir.resolve("postgres/PG_VERSION")).as("refused before PostgreSQL started").doesNotExist();
    }

    private ConfigurableApplicationContext start(String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--podfleet.data-dir=" + dataDir,
                "--server.port=0", "--spring.datasource.url=", "--podfleet.bootstrap.token=pf_embedded_test_token_000000"));
        args.addAll(java.util.List.of(extra));
        // as PodfleetServer.start launches it: PostgreSQL starts while the configuration is read
        return new SpringApplicationBuilder(PodfleetServer.class).listeners(new EmbeddedDatabaseStart()).run(args.toArray(String[]::new));
    }
}
