package io.podfleet.fleet;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats are answered at once and written together, the newest per host, every {@code heartbeat-flush-interval}
 * (1 s) in one statement: a heartbeat lost in a crash is harmless (the next one, 30 s later, says the same), and host
 * health is judged in minutes, so a second's delay costs nothing while a transaction per heartbeat cost most of what
 * a heartbeat did. Each instance flushes its own; the last flush runs on shutdown.
 */
@Component
class HeartbeatBuffer {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatBuffer.class);

    record Beat(long hostId, Instant at, long uptimeSeconds, double load1, String agentVersion, int spoolDepth,
                long spoolDropped) {
    }

    private final ConcurrentHashMap<Long, Beat> pending = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final FleetSettings settings;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeat-flush");
        t.setDaemon(true);
        return t;
    });

    HeartbeatBuffer(JdbcClient jdbc, FleetSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    void add(Beat beat) {
        pending.merge(beat.hostId(), beat, (had, next) -> next.at().isBefore(had.at()) ? had : next);
    }

    @EventListener
    void start(ApplicationReadyEvent ready) {
        long millis = settings.heartbeatFlushInterval().toMillis();
        timer.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Writes every pending heartbeat; returns how many hosts were updated. */
    synchronized int flush() {
        List<Beat> beats = new ArrayList<>(pending.size());
        for (Long host : pending.keySet()) {
            Beat b = pending.remove(host);
            if (b != null) {
                beats.add(b);
            }
        }
        if (beats.isEmpty()) {
            return 0;
        }
        try {
            return write(beats);
        } catch (RuntimeException e) {
            if (beats.size() == 1) {
                throw e;
            }
            // one host's beat the database refuses must not cost every other host its heartbeat (and its health)
            int written = 0;
            for (Beat beat : beats) {
                try {
                    written += write(List.of(beat));
                } catch (RuntimeException alone) {
                    log.warn("The heartbeat of host {} could not be written: {}", beat.hostId(), alone.toString());
                }
            }
            return written;
        }
    }

    private int write(List<Beat> beats) {
        return jdbc.sql("""
                        UPDATE host h SET last_heartbeat_at = b.at, uptime_seconds = b.uptime, load1 = b.load1,
                          agent_version = COALESCE(b.version, h.agent_version), spool_depth = b.depth, spool_dropped = b.dropped
                        FROM unnest(?::bigint[], ?::timestamptz[], ?::bigint[], ?::float8[], ?::varchar[], ?::int[], ?::bigint[])
                          AS b(id, at, uptime, load1, version, depth, dropped)
                        WHERE h.id = b.id AND (h.last_heartbeat_at IS NULL OR h.last_heartbeat_at < b.at)""")
                .params(beats.stream().map(Beat::hostId).toArray(Long[]::new),
                        beats.stream().map(b -> Timestamp.from(b.at())).toArray(Timestamp[]::new),
                        beats.stream().map(Beat::uptimeSeconds).toArray(Long[]::new),
                        beats.stream().map(Beat::load1).toArray(Double[]::new),
                        beats.stream().map(Beat::agentVersion).toArray(String[]::new),
                        beats.stream().map(Beat::spoolDepth).toArray(Integer[]::new),
                        beats.stream().map(Beat::spoolDropped).toArray(Long[]::new))
                .update();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Writing heartbeats failed; the next ones will say the same: {}", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        flushQuietly();
    }
}
