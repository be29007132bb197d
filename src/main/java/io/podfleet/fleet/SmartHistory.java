package io.podfleet.fleet;

import io.podfleet.smart.DriveReading;
import io.podfleet.smart.TrendRules;
import io.podfleet.smart.Verdict;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SMART time series: one row per drive per report in {@code smart_sample}, partitioned by month, written with
 * one COPY per report; and the recent points trend rules read.
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
        // COPY, as the ceiling it is measured against: PostgreSQL writes the rows with its multi-row insert (one WAL
        // record per page rather than per row) and parses no statement of 840 parameters
        StringBuilder rows = new StringBuilder(samples.size() * 64);
        Instant timeOf = null;
        String time = null;
        for (Sample s : samples) {
            DriveReading r = s.reading();
            if (!s.takenAt().equals(timeOf)) { // a report's samples share its time: formatted once
                timeOf = s.takenAt();
                time = micros(timeOf).toString();
            }
            rows.append(s.driveId()).append(',').append(time).append(',').append(s.verdict().health().name());
            field(rows, small(r.temperatureC()));
            field(rows, r.powerOnHours());
            field(rows, Counters.ata(r, 5));
            field(rows, Counters.ata(r, 187));
            field(rows, Counters.ata(r, 188));
            field(rows, Counters.ata(r, 197));
            field(rows, Counters.ata(r, 198));
            field(rows, r.nvme() == null ? null : r.nvme().mediaErrors());
            field(rows, r.nvme() == null ? null : small(r.nvme().percentageUsed()));
            field(rows, r.scsi() == null ? null : r.scsi().grownDefects());
            field(rows, Counters.scsiUncorrected(r));
            rows.append('\n');
        }
        byte[] data = rows.toString().getBytes(StandardCharsets.US_ASCII);
        template.execute((ConnectionCallback<Long>) c -> {
            try {
                return c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new ByteArrayInputStream(data), data.length);
            } catch (IOException e) { // from a byte array: not expected
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static final String COPY = "COPY smart_sample (drive_id, taken_at, verdict, temperature_c, power_on_hours,"
            + " reallocated, reported_uncorrect, command_timeout, pending, offline_uncorrectable, nvme_media_errors,"
            + " nvme_percentage_used, scsi_grown_defects, scsi_uncorrected) FROM STDIN (FORMAT csv)";

    /**
     * The time as the driver sends a timestamp parameter (rounded half up to microseconds, PostgreSQL's precision),
     * so a sample's time equals its report's time on the drive's row.
     */
    private static Instant micros(Instant at) {
        return at.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }

    /** A CSV field: numbers only, so nothing to quote; nothing at all is NULL. */
    private static void field(StringBuilder row, Number value) {
        row.append(',');
        if (value != null) {
            row.append(value.longValue());
        }
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
