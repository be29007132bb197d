package io.podfleet.platform.database;

import com.zaxxer.hikari.HikariDataSource;
import io.podfleet.platform.PlatformSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;

/**
 * Starts a real PostgreSQL 17 from Maven Central binaries when no {@code spring.datasource.url} is configured,
 * so a newcomer runs the server with one command and tests run on the production engine.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceUrl.class)
class EmbeddedDatabaseConfiguration {

    /** The lock {@link EmbeddedDatabaseStart} took while reading the configuration, or taken now. */
    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(PlatformSettings settings, ObjectProvider<EmbeddedDatabaseStart.Starting> early)
            throws IOException {
        EmbeddedDatabaseStart.Starting starting = early.getIfAvailable();
        return starting != null ? starting.lock() : DataDirectoryLock.acquire(settings.dataDir());
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(PlatformSettings settings, DataDirectoryLock lock,
                                      ObjectProvider<EmbeddedDatabaseStart.Starting> early) throws IOException {
        EmbeddedDatabaseStart.Starting starting = early.getIfAvailable();
        return starting != null ? starting.claim() : EmbeddedDatabaseStart.start(lock.dataDir(), settings.embeddedDatabase());
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
