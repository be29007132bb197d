package io.podfleet.admission;

import io.micrometer.core.instrument.MeterRegistry;
import io.podfleet.platform.jobs.ScheduledTask;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ends leases nobody renewed as ABANDONED and gives their connections back, in one statement: the leases of an
 * instance that crashed (or of a front-end that vanished) return within TTL + this interval, and the spare
 * connections of an instance that crashed within 1.5 TTL + this interval. Idempotent.
 */
@Component
class LeaseExpiry implements ScheduledTask {

    private final JdbcClient jdbc;
    private final AdmissionSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final TransactionTemplate transactions;

    LeaseExpiry(JdbcClient jdbc, AdmissionSettings settings, Clock clock, MeterRegistry meters, TransactionTemplate transactions) {
        this.transactions = transactions;
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
    public void run(Instant firedAt) {
        // two transactions: each takes its vault counters in vault order, and two such sets taken one after the
        // other in one transaction could wait in a cycle with a grant group
        transactions.executeWithoutResult(s -> expire());
        transactions.executeWithoutResult(s -> takeBackStaleBlocks());
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

    /**
     * Gives back the spare connections of instances that stopped renewing their blocks (crashed, or cut off from the
     * database). An instance spends a block only until half a lease TTL after its last renewal began, and a lease it
     * granted then, if never written, lives until a TTL after that: a block is taken back 1.5 TTL after its renewal,
     * when no lease of it can still be in use (docs/admission.md). Returns the connections given back.
     */
    @Transactional
    public long takeBackStaleBlocks() {
        double staleSeconds = settings.leaseTtl().multipliedBy(3).dividedBy(2).toMillis() / 1000.0;
        // the vault counters first, in vault order, as grant groups take them
        Integer[] vaults = jdbc.sql("""
                        SELECT vault_id FROM vault_admission WHERE vault_id IN (
                          SELECT vault_id FROM admission_block WHERE renewed_at < now() - make_interval(secs => ?))
                        ORDER BY vault_id FOR UPDATE""")
                .param(staleSeconds).query(Integer.class).list().toArray(Integer[]::new);
        if (vaults.length == 0) {
            return 0;
        }
        long back = jdbc.sql("""
                        WITH gone AS (DELETE FROM admission_block WHERE vault_id = ANY(?) AND renewed_at < now() - make_interval(secs => ?)
                                      RETURNING vault_id, slots),
                             per AS (SELECT vault_id, sum(slots)::int AS n FROM gone GROUP BY vault_id),
                             changed AS (UPDATE vault_admission a SET reserved = GREATEST(a.reserved - per.n, 0)
                                         FROM per WHERE a.vault_id = per.vault_id RETURNING per.n)
                        SELECT COALESCE(sum(n), 0) FROM changed""")
                .params(vaults, staleSeconds).query(Long.class).single();
        if (back > 0) {
            meters.counter("podfleet.admission.blocks.taken.back").increment(back);
        }
        return back;
    }
}
