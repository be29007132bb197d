package io.podfleet.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One real PostgreSQL per test JVM, the same embedded engine the product runs. Started on first use, stopped when
 * the JVM exits. Durability is off here only to keep tests quick; the product turns it on.
 */
public final class TestDatabase {

    /** The admin token of every server started on this database: only the first start bootstraps it. */
    public static final String ADMIN_TOKEN = "pf_test_admin_token_0123456789";

    private static EmbeddedPostgres pg;

    private TestDatabase() {
    }

    public static synchronized String jdbcUrl() {
        if (pg == null) {
            try {
                pg = EmbeddedPostgres.builder()
                        .setDataDirectory(Files.createTempDirectory("podfleet-test-pg"))
                        .setCleanDataDirectory(true)
                        .setServerConfig("max_connections", "300")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the test PostgreSQL", e);
            }
        }
        return pg.getJdbcUrl("postgres", "postgres");
    }
}
