package io.podfleet.fleet;

import io.podfleet.platform.jobs.ScheduledTask;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Host health from heartbeat age: HEALTHY, STALE after {@code stale-after} of silence, DEAD after {@code dead-after}.
 * Idempotent: it sets each host's health from the data, whatever ran before.
 */
@Component
class HostLiveness implements ScheduledTask {

    /** The values of {@code host.health}, as this job sets them. */
    enum Health { HEALTHY, STALE, DEAD }

    private final JdbcClient jdbc;
    private final FleetSettings settings;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    HostLiveness(JdbcClient jdbc, FleetSettings settings, Clock clock,
                 org.springframework.context.ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "host-liveness";
    }

    @Override
    public Duration interval() {
        return settings.livenessCheckInterval();
    }

    @Override
    public void run(Instant firedAt) {
        Instant now = clock.instant();
        java.util.List<Long> changed = jdbc.sql("""
                        UPDATE host SET health = CASE
                            WHEN COALESCE(last_heartbeat_at, last_report_at, created_at) < ? THEN 'DEAD'
                            WHEN COALESCE(last_heartbeat_at, last_report_at, created_at) < ? THEN 'STALE'
                            ELSE 'HEALTHY' END
                        WHERE health IS DISTINCT FROM CASE
                            WHEN COALESCE(last_heartbeat_at, last_report_at, created_at) < ? THEN 'DEAD'
                            WHEN COALESCE(last_heartbeat_at, last_report_at, created_at) < ? THEN 'STALE'
                            ELSE 'HEALTHY' END
                        RETURNING id""")
                .params(Timestamp.from(now.minus(settings.deadAfter())), Timestamp.from(now.minus(settings.staleAfter())),
                        Timestamp.from(now.minus(settings.deadAfter())), Timestamp.from(now.minus(settings.staleAfter())))
                .query(Long.class).list();
        if (!changed.isEmpty()) {
            events.publishEvent(new HostsChanged(new java.util.HashSet<>(changed)));
        }
    }
}
