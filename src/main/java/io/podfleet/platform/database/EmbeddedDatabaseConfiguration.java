package io.podfleet.platform.database;

import com.zaxxer.hikari.HikariDataSource;
import io.podfleet.platform.PlatformSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a real PostgreSQL 17 from Maven Central binaries when no {@code spring.datasource.url} is configured,
 * so a newcomer runs the server with one command and tests run on the production engine.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceUrl.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(PlatformSettings settings) throws IOException {
        return DataDirectoryLock.acquire(settings.dataDir());
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(PlatformSettings settings, DataDirectoryLock lock) throws IOException {
        Path pgData = lock.dataDir().resolve("postgres");
        Files.createDirectories(pgData);
        LeftoverPostmaster.stopIfRunning(pgData);
        PlatformSettings.EmbeddedDatabase db = settings.embeddedDatabase();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        db.serverSettings().forEach(builder::setServerConfig);
        builder
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                // zonky's own hook races Spring's shutdown (Quartz would write to a closed pool): Spring closes it.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(db.startupWait())
                // zonky turns durability off for tests; a server must not lose committed data on a crash.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", Integer.toString(db.maxConnections()))
                .setServerConfig("listen_addresses", "127.0.0.1");
        if (db.port() > 0) {
            builder.setPort(db.port());
        }
        if (db.binariesDir() != null) {
            Files.createDirectories(db.binariesDir());
            builder.setOverrideWorkingDirectory(db.binariesDir().toFile());
        }
        long started = System.nanoTime();
        EmbeddedPostgres pg = builder.start();
        log.info("Embedded PostgreSQL ready on 127.0.0.1:{} with data in {} ({} ms)",
                pg.getPort(), pgData.toAbsolutePath(), (System.nanoTime() - started) / 1_000_000);
        return pg;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres pg) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setPoolName("podfleet");
        return ds;
    }
}
