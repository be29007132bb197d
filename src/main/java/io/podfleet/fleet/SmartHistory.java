package io.podfleet.fleet;

import io.podfleet.smart.DriveReading;
import io.podfleet.smart.TrendRules;
import io.podfleet.smart.Verdict;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SMART time series: one row per drive per report in {@code smart_sample}, partitioned by month, written with
 * one JDBC batch per report; and the recent points trend rules read.
 */
@Component
class SmartHistory {

    /** Readings kept for trends: the newest few per drive. */
    static final int TREND_WINDOW = 6;

    /** One drive's row of a report. */
    record Sample(long driveId, Instant takenAt, Verdict verdict, DriveReading reading) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();
    private volatile ZoneId sessionZone;

    SmartHistory(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    void append(List<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        samples.stream().map(s -> monthOf(s.takenAt())).distinct().forEach(this::ensurePartition);
        // one batch: the driver sends it as multi-row INSERTs in one round trip (one statement of column arrays
        // measured the same and read worse)
        template.batchUpdate("""
                INSERT INTO smart_sample (drive_id, taken_at, verdict, temperature_c, power_on_hours, reallocated,
                  reported_uncorrect, command_timeout, pending, offline_uncorrectable, nvme_media_errors,
                  nvme_percentage_used, scsi_grown_defects, scsi_uncorrected)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", samples, samples.size(), (ps, s) -> {
            DriveReading r = s.reading();
            ps.setLong(1, s.driveId());
            ps.setTimestamp(2, Timestamp.from(s.takenAt()));
            ps.setString(3, s.verdict().health().name());
            ps.setObject(4, small(r.temperatureC()), Types.SMALLINT);
            ps.setObject(5, r.powerOnHours(), Types.BIGINT);
            ps.setObject(6, Counters.ata(r, 5), Types.BIGINT);
            ps.setObject(7, Counters.ata(r, 187), Types.BIGINT);
            ps.setObject(8, Counters.ata(r, 188), Types.BIGINT);
            ps.setObject(9, Counters.ata(r, 197), Types.BIGINT);
            ps.setObject(10, Counters.ata(r, 198), Types.BIGINT);
            ps.setObject(11, r.nvme() == null ? null : r.nvme().mediaErrors(), Types.BIGINT);
            ps.setObject(12, r.nvme() == null ? null : small(r.nvme().percentageUsed()), Types.SMALLINT);
            ps.setObject(13, r.scsi() == null ? null : r.scsi().grownDefects(), Types.BIGINT);
            ps.setObject(14, Counters.scsiUncorrected(r), Types.BIGINT);
        });
    }

    /** A figure the SMALLINT column cannot hold is no reading at all (it would fail the whole report as a 500). */
    private static Short small(Integer value) {
        return value == null || value < Short.MIN_VALUE || value > Short.MAX_VALUE ? null : value.shortValue();
    }

    /** The newest {@link #TREND_WINDOW} points of each drive, oldest first. */
    Map<Long, List<TrendRules.Point>> recentPoints(List<Long> driveIds) {
        Map<Long, List<TrendRules.Point>> points = new HashMap<>();
        if (driveIds.isEmpty()) {
            return points;
        }
        jdbc.sql("""
                        SELECT d.id, r.reallocated, r.pending, r.scsi_grown_defects, r.nvme_media_errors
                        FROM unnest(?::bigint[]) AS d(id) CROSS JOIN LATERAL (
                          SELECT taken_at, reallocated, pending, scsi_grown_defects, nvme_media_errors FROM smart_sample s
                          WHERE s.drive_id = d.id ORDER BY s.taken_at DESC LIMIT ?) r
                        ORDER BY d.id, r.taken_at""")
                .params(driveIds.toArray(Long[]::new), TREND_WINDOW)
                .query(rs -> {
                    points.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new TrendRules.Point(
                            (Long) rs.getObject(2), (Long) rs.getObject(3), (Long) rs.getObject(4), (Long) rs.getObject(5)));
                });
        return points;
    }

    /**
     * The newest {@link #TREND_WINDOW} points as the {@code drive.recent_counters} array literal (4 counters a point,
     * oldest first), written with each report so the next one needs no query of the samples. Points are kept in
     * the order reports arrive; an agent sends its spooled reports oldest first.
     */
    static String recentCounters(List<TrendRules.Point> points) {
        StringBuilder literal = new StringBuilder("{");
        for (TrendRules.Point p : window(points)) {
            for (Long value : new Long[]{p.reallocated(), p.pending(), p.grownDefects(), p.mediaErrors()}) {
                literal.append(literal.length() == 1 ? "" : ",").append(value == null ? "NULL" : value.toString());
            }
        }
        return literal.append('}').toString();
    }

    /** The newest {@link #TREND_WINDOW} of the points, as stored. */
    static List<TrendRules.Point> window(List<TrendRules.Point> points) {
        return points.subList(Math.max(0, points.size() - TREND_WINDOW), points.size());
    }

    /** Reads what {@link #recentCounters} wrote. */
    static List<TrendRules.Point> pointsFromCounters(Long[] counters) {
        List<TrendRules.Point> points = new ArrayList<>(counters.length / 4);
        for (int i = 0; i + 3 < counters.length; i += 4) {
            points.add(new TrendRules.Point(counters[i], counters[i + 1], counters[i + 2], counters[i + 3]));
        }
        return points;
    }

    /**
     * The month whose partition holds this time. PostgreSQL reads the partitions' bounds in the database session's
     * time zone, which the JDBC driver sets to the server JVM's, so a month runs from midnight to midnight there: on a
     * server west of UTC the first hours of a UTC month belong to the month before, whose partition a fresh install
     * did not have (its reports failed for want of a partition when months were taken in UTC).
     */
    YearMonth monthOf(Instant at) {
        return YearMonth.from(at.atZone(sessionZone()));
    }

    private ZoneId sessionZone() {
        ZoneId zone = sessionZone;
        if (zone == null) {
            String name = jdbc.sql("SELECT current_setting('TimeZone')").query(String.class).single();
            try {
                zone = ZoneId.of(name);
            } catch (java.time.DateTimeException e) { // a POSIX zone string Java cannot read: the driver took it from the JVM
                zone = ZoneId.systemDefault();
            }
            sessionZone = zone;
        }
        return zone;
    }

    /** After a month was dropped: a late sample of it would create it again. */
    void forget(YearMonth month) {
        partitions.remove(month);
    }

    /** Creates a month's partition the first time a sample of that month arrives. */
    void ensurePartition(YearMonth month) {
        if (partitions.contains(month)) {
            return;
        }
        // serialises concurrent first samples of a month across instances; IF NOT EXISTS makes it idempotent
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(0x736d617274L).query().singleValue();
        jdbc.sql(String.format("CREATE TABLE IF NOT EXISTS smart_sample_%04d_%02d PARTITION OF smart_sample"
                        + " FOR VALUES FROM ('%s') TO ('%s')", month.getYear(), month.getMonthValue(),
                month.atDay(1), month.plusMonths(1).atDay(1)))
                .update();
        partitions.add(month);
    }
}
