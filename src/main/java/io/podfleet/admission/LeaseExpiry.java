package io.podfleet.admission;

import io.micrometer.core.instrument.MeterRegistry;
import io.podfleet.platform.jobs.ScheduledTask;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Ends leases nobody renewed as ABANDONED and gives their connections back, in one statement: the leases of an
 * instance that crashed (or of a front-end that vanished) return within TTL + this interval. Idempotent.
 */
@Component
class LeaseExpiry implements ScheduledTask {

    private final JdbcClient jdbc;
    private final AdmissionSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;

    LeaseExpiry(JdbcClient jdbc, AdmissionSettings settings, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    @Override
    public String name() {
        return "upload-lease-expiry";
    }

    @Override
    public Duration interval() {
        return settings.expiryCheckInterval();
    }

    @Override
    @Transactional
    public void run(Instant firedAt) {
        expire();
    }

    /** Ends every expired lease; returns how many. */
    @Transactional
    public long expire() {
        Timestamp now = Timestamp.from(clock.instant());
        long ended = jdbc.sql("""
                        WITH ended AS (
                          UPDATE upload_lease SET ended_at = ?, outcome = 'ABANDONED'
                          WHERE ended_at IS NULL AND expires_at < ? RETURNING vault_id, position),
                        vaults AS (
                          UPDATE vault_admission a SET active = a.active - c.n, updated_at = ?
                          FROM (SELECT vault_id, count(*) AS n FROM ended GROUP BY vault_id) c WHERE a.vault_id = c.vault_id),
                        pods AS (
                          UPDATE pod_admission p SET active = p.active - c.n
                          FROM (SELECT vault_id, position, count(*) AS n FROM ended GROUP BY vault_id, position) c
                          WHERE p.vault_id = c.vault_id AND p.position = c.position)
                        SELECT count(*) FROM ended""")
                .params(now, now, now).query(Long.class).single();
        if (ended > 0) {
            meters.counter("podfleet.admission.abandoned").increment(ended);
        }
        return ended;
    }
}
