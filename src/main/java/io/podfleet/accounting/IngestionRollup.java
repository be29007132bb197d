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
 * Rolls ended upload leases up into daily ingestion per vault: bytes and files of completed uploads, counts of
 * completed, failed and abandoned ones (each on the UTC day it ended), and the peak of concurrent connections that
 * day. A day is computed from the leases alone and replaces its rows, so re-running a day gives the same answer;
 * the job rolls up today and yesterday every {@code rollup-interval}.
 */
@Component
class IngestionRollup implements ScheduledTask {

    private final JdbcClient jdbc;
    private final AccountingSettings settings;
    private final Clock clock;

    IngestionRollup(JdbcClient jdbc, AccountingSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ingestion-rollup";
    }

    @Override
    public Duration interval() {
        return settings.rollupInterval();
    }

    @Override
    @Transactional
    public void run(Instant firedAt) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        rollUp(today.minusDays(1));
        rollUp(today);
    }

    /** Computes one UTC day for every vault with leases that day; returns the number of vault rows written. */
    @Transactional
    int rollUp(LocalDate day) {
        LocalDate now = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (day.isAfter(now)) {
            throw new AccountingProblems.InvalidField("day", "must not be after today (UTC): a day is rolled up while or after it runs");
        }
        Timestamp start = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp end = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        boolean today = day.equals(now);
        java.sql.Date date = java.sql.Date.valueOf(day);
        // keep the stored bytes seen while the day was current; everything else is recomputed from the leases
        java.util.List<Integer> keptVaults = new java.util.ArrayList<>();
        java.util.List<Long> keptBytes = new java.util.ArrayList<>();
        jdbc.sql("SELECT vault_id, stored_bytes FROM ingestion_day WHERE day = ? AND stored_bytes IS NOT NULL").param(date)
                .query(rs -> {
                    keptVaults.add(rs.getInt(1));
                    keptBytes.add(rs.getLong(2));
                });
        jdbc.sql("DELETE FROM ingestion_day WHERE day = ?").param(date).update();
        return jdbc.sql("""
                        WITH ended AS (
                          SELECT vault_id,
                            COALESCE(sum(bytes) FILTER (WHERE outcome = 'COMPLETED'), 0) AS bytes,
                            COALESCE(sum(files) FILTER (WHERE outcome = 'COMPLETED'), 0) AS files,
                            count(*) FILTER (WHERE outcome = 'COMPLETED') AS completed,
                            count(*) FILTER (WHERE outcome = 'FAILED') AS failed,
                            count(*) FILTER (WHERE outcome = 'ABANDONED') AS abandoned
                          FROM upload_lease WHERE ended_at >= ? AND ended_at < ? GROUP BY vault_id),
                        open_that_day AS (
                          SELECT vault_id, GREATEST(acquired_at, ?) AS s, ended_at AS e FROM upload_lease
                          WHERE acquired_at < ? AND (ended_at IS NULL OR ended_at >= ?)),
                        edges AS (
                          SELECT vault_id, s AS t, 1 AS d FROM open_that_day
                          UNION ALL SELECT vault_id, e, -1 FROM open_that_day WHERE e IS NOT NULL AND e < ?),
                        running AS (
                          SELECT vault_id, sum(d) OVER (PARTITION BY vault_id ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS n FROM edges),
                        peaks AS (SELECT vault_id, max(n) AS peak FROM running GROUP BY vault_id),
                        vaults AS (SELECT vault_id FROM ended UNION SELECT vault_id FROM peaks)
                        INSERT INTO ingestion_day (vault_id, day, bytes, files, completed, failed, abandoned, peak_connections,
                          stored_bytes, rolled_up_at)
                        SELECT v.vault_id, ?, COALESCE(e.bytes, 0), COALESCE(e.files, 0), COALESCE(e.completed, 0),
                          COALESCE(e.failed, 0), COALESCE(e.abandoned, 0), COALESCE(p.peak, 0),
                          CASE WHEN ? THEN (SELECT used_bytes FROM vault WHERE id = v.vault_id)
                               ELSE (SELECT k.s FROM unnest(?::int[], ?::bigint[]) AS k(v, s) WHERE k.v = v.vault_id) END, ?
                        FROM vaults v LEFT JOIN ended e ON e.vault_id = v.vault_id LEFT JOIN peaks p ON p.vault_id = v.vault_id""")
                .params(start, end, start, end, start, end, date, today, keptVaults.toArray(Integer[]::new),
                        keptBytes.toArray(Long[]::new), Timestamp.from(clock.instant()))
                .update();
    }
}
