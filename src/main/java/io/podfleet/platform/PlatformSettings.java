package io.podfleet.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

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
     */
    public record EmbeddedDatabase(@DefaultValue("0") int port,
                                   Path binariesDir,
                                   @DefaultValue("60s") Duration startupWait,
                                   @DefaultValue("200") int maxConnections) {
    }
}
