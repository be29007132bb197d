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
        // vaults before pods, each in key order: the order grants and ends take these rows in; one statement each
        Map<Integer, Long> perVault = new TreeMap<>();
        ended.forEach(e -> perVault.merge(e.vault(), e.count(), Long::sum));
        if (!perVault.isEmpty()) {
            // an UPDATE ... FROM takes its rows in the join's order; grant groups lock them in vault order first
            jdbc.sql("SELECT vault_id FROM vault_admission WHERE vault_id = ANY(?) ORDER BY vault_id FOR UPDATE")
                    .param(perVault.keySet().toArray(Integer[]::new)).query(Integer.class).list();
            jdbc.sql("""
                            UPDATE vault_admission a SET active = a.active - c.n, updated_at = ?
                            FROM unnest(?::int[], ?::bigint[]) AS c(vault_id, n) WHERE a.vault_id = c.vault_id""")
                    .params(now, perVault.keySet().toArray(Integer[]::new), perVault.values().toArray(Long[]::new)).update();
            // a pod counter only spreads load: like admission_write, it stops at zero rather than fail the expiry
            jdbc.sql("""
                            UPDATE pod_admission p SET active = GREATEST(p.active - c.n, 0)
                            FROM unnest(?::int[], ?::int[], ?::bigint[]) AS c(vault_id, position, n)
                            WHERE p.vault_id = c.vault_id AND p.position = c.position""")
                    .params(ended.stream().map(Ended::vault).toArray(Integer[]::new), ended.stream().map(Ended::position).toArray(Integer[]::new),
                            ended.stream().map(Ended::count).toArray(Long[]::new)).update();
        }
        long total = perVault.values().stream().mapToLong(Long::longValue).sum();
        if (total > 0) {
            meters.counter("podfleet.admission.abandoned").increment(total);
        }
        return total;
    }
}
