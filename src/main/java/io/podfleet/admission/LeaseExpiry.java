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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        record Ended(int vault, int position, long count) {
        }
        List<Ended> ended = jdbc.sql("""
                        WITH ended AS (
                          UPDATE upload_lease SET ended_at = ?, outcome = 'ABANDONED'
                          WHERE ended_at IS NULL AND expires_at < ? RETURNING vault_id, position)
                        SELECT vault_id, position, count(*) FROM ended GROUP BY vault_id, position ORDER BY vault_id, position""")
                .params(now, now).query((rs, i) -> new Ended(rs.getInt(1), rs.getInt(2), rs.getLong(3))).list();
        // vaults before pods, each in key order: the order grants and ends take these rows in
        Map<Integer, Long> perVault = new TreeMap<>();
        ended.forEach(e -> perVault.merge(e.vault(), e.count(), Long::sum));
        perVault.forEach((vault, count) -> jdbc.sql("UPDATE vault_admission SET active = active - ?, updated_at = ? WHERE vault_id = ?")
                .params(count, now, vault).update());
        for (Ended e : ended) {
            jdbc.sql("UPDATE pod_admission SET active = active - ? WHERE vault_id = ? AND position = ?")
                    .params(e.count(), e.vault(), e.position()).update();
        }
        long total = perVault.values().stream().mapToLong(Long::longValue).sum();
        if (total > 0) {
            meters.counter("podfleet.admission.abandoned").increment(total);
        }
        return total;
    }
}
