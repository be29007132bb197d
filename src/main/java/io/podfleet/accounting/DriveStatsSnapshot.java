package io.podfleet.accounting;

import io.podfleet.platform.jobs.ScheduledTask;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The fleet's own drives into Drive Stats: one row per drive per UTC day, in the public schema's terms (model,
 * capacity, failure on the day the drive became FAILED, datacenter, cluster, vault, pod = member position, slot,
 * and the ATA attributes of its latest reading as normalized/raw pairs). A day is rebuilt from the data each run,
 * so running it again gives the same rows; imported rows of the same drive and day are left alone.
 */
@Component
class DriveStatsSnapshot implements ScheduledTask {

    private final JdbcClient jdbc;
    private final AccountingSettings settings;
    private final Clock clock;

    DriveStatsSnapshot(JdbcClient jdbc, AccountingSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "drive-stats-snapshot";
    }

    @Override
    public Duration interval() {
        return settings.rollupInterval();
    }

    @Override
    @Transactional
    public void run(Instant firedAt) {
        snapshot(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    /** Rebuilds the fleet's rows of one day; returns how many drives it holds. */
    @Transactional
    int snapshot(LocalDate day) {
        Timestamp start = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp end = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        java.sql.Date date = java.sql.Date.valueOf(day);
        jdbc.sql("DELETE FROM drive_day WHERE day = ? AND source = 'fleet'").param(date).update();
        return jdbc.sql("""
                        INSERT INTO drive_day (day, serial, model, capacity_bytes, failure, datacenter, cluster_id, vault_id,
                          pod_id, pod_slot_num, smart, source)
                        SELECT ?, d.serial, COALESCE(d.model, 'unknown'), d.capacity_bytes, f.failed, h.datacenter, v.cluster,
                          m.vault_id, m.position, d.slot,
                          (SELECT jsonb_object_agg(a->>'id', jsonb_build_array((a->>'value')::bigint, (a->>'raw')::bigint))
                           FROM jsonb_array_elements(COALESCE(l.reading->'ataAttributes', '[]'::jsonb)) a),
                          'fleet'
                        FROM drive d
                        JOIN host h ON h.id = d.host_id
                        CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM drive_event e WHERE e.drive_id = d.id
                          AND e.to_state = 'FAILED' AND e.at >= ? AND e.at < ?) AS failed) f
                        LEFT JOIN vault_member m ON m.host_id = h.id AND m.left_at IS NULL
                        LEFT JOIN vault v ON v.id = m.vault_id
                        LEFT JOIN drive_reading_latest l ON l.drive_id = d.id
                        WHERE d.first_seen_at < ? AND (d.state NOT IN ('REPLACED', 'REMOVED', 'FAILED') OR f.failed)
                        ON CONFLICT (day, serial) DO NOTHING""")
                .params(date, start, end, end)
                .update();
    }
}
