package io.podfleet.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Where the server keeps its local files and how the embedded PostgreSQL runs when no external database is given.
 *
 * @param dataDir         the server's data folder; the embedded database lives in {@code <dataDir>/postgres}
 * @param embeddedDatabase settings of the embedded PostgreSQL
 */
@ConfigurationProperties("podfleet")
public record PlatformSettings(@DefaultValue("./data") Path dataDir, @DefaultValue EmbeddedDatabase embeddedDatabase) {

    /**
     * @param port             TCP port on 127.0.0.1; 0 picks a free one at each start
     * @param binariesDir      where the PostgreSQL binaries unpack (must allow exec; /tmp may be noexec)
     * @param startupWait      how long to wait for PostgreSQL to accept connections
     * @param maxConnections   PostgreSQL's max_connections
     * @param serverSettings   further postgresql.conf settings, named in kebab case (shared-buffers: 256MB);
     *                         the durability settings (fsync, synchronous_commit, full_page_writes) are not among them
     */
    public record EmbeddedDatabase(@DefaultValue("0") int port,
                                   Path binariesDir,
                                   @DefaultValue("60s") Duration startupWait,
                                   @DefaultValue("200") int maxConnections,
                                   Map<String, String> serverSettings) {

        /** Settings an operator may not loosen: a server must not lose committed data on a crash. */
        static final Set<String> DURABILITY = Set.of("fsync", "synchronous_commit", "full_page_writes");

        public EmbeddedDatabase {
            // written in kebab case in configuration (Spring drops underscores from unbracketed map keys)
            Map<String, String> named = new java.util.TreeMap<>();
            (serverSettings == null ? Map.<String, String>of() : serverSettings)
                    .forEach((name, value) -> named.put(name.replace('-', '_'), value));
            serverSettings = Map.copyOf(named);
            for (String name : serverSettings.keySet()) {
                if (DURABILITY.contains(name)) {
                    throw new IllegalArgumentException("podfleet.embedded-database.server-settings." + name
                            + " cannot be set: the embedded database always runs with fsync, synchronous_commit and full_page_writes on");
                }
            }
        }
    }
}
