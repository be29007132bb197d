package io.podfleet.platform.database;

import io.podfleet.platform.PlatformSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the embedded PostgreSQL as soon as the configuration is known, on a thread of its own, while the
 * application context is still being read: starting it took most of a second on the main thread of every start.
 * The data folder is locked first, so a second server on the same folder still stops at once. The
 * {@link EmbeddedDatabaseConfiguration} beans take the lock and the database over; a start that fails before
 * they do stops the database again. Registered by {@code PodfleetServer.start} only: test contexts add their
 * database URL after the configuration is read, so for them the beans start the database as before.
 */
public final class EmbeddedDatabaseStart implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    static final String BEAN = "podfleet.embeddedDatabaseStart";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseStart.class);

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the environment post-processors (DATABASE_URL, config files)
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        if (!NoDatasourceUrl.embedded(env)) {
            return;
        }
        PlatformSettings settings = Binder.get(env).bindOrCreate("podfleet", PlatformSettings.class);
        Starting starting;
        try {
            starting = new Starting(DataDirectoryLock.acquire(settings.dataDir()), settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        event.getSpringApplication().addInitializers((ConfigurableApplicationContext context) -> {
            DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
            beans.registerSingleton(BEAN, starting);
            beans.registerDisposableBean(BEAN, starting::closeUnclaimed);
        });
    }

    /** A database being started, until the beans claim it. */
    static final class Starting {
        private final DataDirectoryLock lock;
        private final CompletableFuture<EmbeddedPostgres> database;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final Thread unclaimedAtExit;

        Starting(DataDirectoryLock lock, PlatformSettings settings) {
            this.lock = lock;
            this.database = new CompletableFuture<>();
            Thread starter = new Thread(() -> {
                try {
                    database.complete(start(lock.dataDir(), settings.embeddedDatabase()));
                } catch (Throwable e) {
                    database.completeExceptionally(e);
                }
            }, "embedded-postgres-start");
            starter.setDaemon(true);
            starter.start();
            // the JVM may end before any context exists (a failure between reading the configuration and the context)
            this.unclaimedAtExit = new Thread(this::closeUnclaimed, "embedded-postgres-unclaimed");
            Runtime.getRuntime().addShutdownHook(unclaimedAtExit);
        }

        DataDirectoryLock lock() {
            return lock;
        }

        /** The started database; the beans own it (and the lock) from here on. */
        EmbeddedPostgres claim() throws IOException {
            claimed.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(unclaimedAtExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway and finds the database claimed
            }
            try {
                return database.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        void closeUnclaimed() {
            if (claimed.getAndSet(true)) {
                return;
            }
            try {
                EmbeddedPostgres pg = database.join();
                pg.close();
            } catch (Exception e) {
                log.warn("Stopping the embedded PostgreSQL after a failed start: {}", e.toString());
            }
            try {
                lock.close();
            } catch (IOException e) {
                log.warn("Releasing the data directory lock: {}", e.toString());
            }
        }
    }

    /** Starts PostgreSQL on {@code <dataDir>/postgres}, durable whatever the settings say. */
    static EmbeddedPostgres start(Path dataDir, PlatformSettings.EmbeddedDatabase db) throws IOException {
        Path pgData = dataDir.resolve("postgres");
        Files.createDirectories(pgData);
        LeftoverPostmaster.stopIfRunning(pgData);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        // PostgreSQL keeps for reuse as many used WAL segments as its recent checkpoints needed; after a quiet night
        // that is few, and the morning's load then creates new 16 MB segments, each written full of zeros while every
        // commit waits (80-220 ms at a time in the admission benchmark). Keep 1 GB of them whatever the load was.
        builder.setServerConfig("min_wal_size", "1GB");
        db.serverSettings().forEach(builder::setServerConfig);
        builder.setDataDirectory(pgData)
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
}
