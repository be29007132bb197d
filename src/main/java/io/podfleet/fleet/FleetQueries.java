package io.podfleet.fleet;

import io.podfleet.platform.problem.DomainProblem;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the read API shows: hosts, drives, their events and SMART history, fleet counts. */
@Component
public class FleetQueries {

    public record HostSummary(long id, String hostname, String systemSerial, String profileId, String datacenter, String cabinet,
                       Integer rackUnit, String health, String adminState, Instant lastHeartbeatAt, Instant lastReportAt,
                       String agentVersion, String profileMismatch, long drives, long drivesNotInService) {
    }

    public record DriveView(long id, String serial, String wwn, String model, Long capacityBytes, String driveInterface,
                     Long hostId, Integer slot, String state, String verdict, JsonNode reasons, Instant missingSince,
                     Instant firstSeenAt, Instant lastSeenAt) {
    }

    public record HostDetail(HostSummary host, JsonNode facts, Long uptimeSeconds, Double load1, Integer spoolDepth,
                      Long spoolDropped, List<DriveView> drives) {
    }

    public record DriveEvent(Instant at, String kind, String fromState, String toState, Long hostId, Integer slot, String reason) {
    }

    public record DriveDetail(DriveView drive, List<DriveEvent> events, Instant readingTakenAt, JsonNode reading) {
    }

    public record HistoryPoint(Instant at, String verdict, Integer temperatureC, Long powerOnHours, Long reallocated,
                        Long reportedUncorrect, Long commandTimeout, Long pending, Long offlineUncorrectable,
                        Long nvmeMediaErrors, Integer nvmePercentageUsed, Long scsiGrownDefects, Long scsiUncorrected) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    private static final String HOST_COLUMNS = """
            h.id, h.hostname, h.system_serial, h.profile_id, h.datacenter, h.cabinet, h.rack_unit, h.health, h.admin_state,
            h.last_heartbeat_at, h.last_report_at, h.agent_version, h.profile_mismatch,
            (SELECT count(*) FROM drive d WHERE d.host_id = h.id AND d.state NOT IN ('REPLACED', 'REMOVED')),
            (SELECT count(*) FROM drive d WHERE d.host_id = h.id AND d.state NOT IN ('IN_SERVICE', 'REPLACED', 'REMOVED'))""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    FleetQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Page<HostSummary> hosts(String datacenter, String profile, String health, String adminState, Integer vault, int page, int size) {
        // the vault filter reads the vault package's membership table: a read-only join, the one place fleet looks there
        String where = " WHERE (?::text IS NULL OR h.datacenter = ?) AND (?::text IS NULL OR h.profile_id = ?)"
                + " AND (?::text IS NULL OR h.health = ?) AND (?::text IS NULL OR h.admin_state = ?)"
                + " AND (?::int IS NULL OR EXISTS (SELECT 1 FROM vault_member m WHERE m.host_id = h.id AND m.vault_id = ? AND m.left_at IS NULL))";
        Object[] filter = {datacenter, datacenter, profile, profile, health, health, adminState, adminState, vault, vault};
        long total = jdbc.sql("SELECT count(*) FROM host h" + where).params(filter).query(Long.class).single();
        List<Object> params = new ArrayList<>(java.util.Arrays.asList(filter));
        params.add(size);
        params.add((long) page * size);
        List<HostSummary> items = jdbc.sql("SELECT " + HOST_COLUMNS + " FROM host h" + where + " ORDER BY h.hostname LIMIT ? OFFSET ?")
                .params(params).query((org.springframework.jdbc.core.RowMapper<HostSummary>) FleetQueries::hostSummary).list();
        return new Page<>(items, page, size, total);
    }

    public HostDetail host(long id) {
        return jdbc.sql("SELECT " + HOST_COLUMNS + ", h.facts::text, h.uptime_seconds, h.load1, h.spool_depth, h.spool_dropped"
                        + " FROM host h WHERE h.id = ?")
                .param(id)
                .query((rs, i) -> new HostDetail(hostSummary(rs, i), tree(rs.getString(16)), (Long) rs.getObject(17),
                        (Double) rs.getObject(18), (Integer) rs.getObject(19), (Long) rs.getObject(20),
                        jdbc.sql(DRIVES + "WHERE d.host_id = ? AND d.state NOT IN ('REPLACED', 'REMOVED') ORDER BY d.slot NULLS LAST, d.serial")
                                .param(id).query((org.springframework.jdbc.core.RowMapper<DriveView>) this::drive).list()))
                .optional().orElseThrow(() -> new DomainProblem.NotFound("Host", id));
    }

    /** Drives with when they were last seen: a drive in its host's latest report was seen then (V17). */
    private static final String DRIVES = "SELECT d.*, CASE WHEN d.present THEN GREATEST(d.last_seen_at, h.last_report_at)"
            + " ELSE d.last_seen_at END AS seen_at FROM drive d LEFT JOIN host h ON h.id = d.host_id ";

    public DriveDetail drive(long id) {
        DriveView drive = jdbc.sql(DRIVES + "WHERE d.id = ?").param(id).query((org.springframework.jdbc.core.RowMapper<DriveView>) this::drive).optional()
                .orElseThrow(() -> new DomainProblem.NotFound("Drive", id));
        List<DriveEvent> events = jdbc.sql("SELECT at, kind, from_state, to_state, host_id, slot, reason FROM drive_event"
                        + " WHERE drive_id = ? ORDER BY at DESC, id DESC LIMIT 200")
                .param(id)
                .query(FleetQueries::driveEvent)
                .list();
        record Latest(Instant at, JsonNode reading) {
        }
        Latest latest = jdbc.sql("SELECT taken_at, reading::text FROM drive_reading_latest WHERE drive_id = ?").param(id)
                .query((rs, i) -> new Latest(rs.getTimestamp(1).toInstant(), tree(rs.getString(2)))).optional().orElse(new Latest(null, null));
        return new DriveDetail(drive, events, latest.at(), latest.reading());
    }

    /** The latest drive events on a host (a drive failing, missing, replaced, moved in or out), newest first. */
    public List<DriveEvent> hostEvents(long hostId, int limit) {
        return jdbc.sql("SELECT at, kind, from_state, to_state, host_id, slot, reason FROM drive_event"
                        + " WHERE host_id = ? ORDER BY at DESC, id DESC LIMIT ?")
                .params(hostId, limit)
                .query(FleetQueries::driveEvent)
                .list();
    }

    /**
     * SMART history between two instants. Ranges longer than two days are downsampled to one point per hour, and
     * longer than sixty days to one per day (the worst verdict and the highest counters of the bucket).
     */
    public List<HistoryPoint> history(long driveId, Instant from, Instant to) {
        Duration range = Duration.between(from, to);
        String bucket = range.compareTo(Duration.ofDays(60)) > 0 ? "1 day" : range.compareTo(Duration.ofDays(2)) > 0 ? "1 hour" : null;
        String time = bucket == null ? "taken_at" : "date_bin('" + bucket + "', taken_at, TIMESTAMPTZ '2000-01-01')";
        String agg = bucket == null ? "" : "max";
        String sql = "SELECT " + time + " AS t, " + (bucket == null ? "verdict" : "(array_agg(verdict ORDER BY "
                + "array_position(ARRAY['HEALTHY','UNKNOWN','WARNING','FAILING','FAILED']::varchar[], verdict) DESC))[1]")
                + ", " + agg + "(temperature_c), " + agg + "(power_on_hours), " + agg + "(reallocated), " + agg + "(reported_uncorrect), "
                + agg + "(command_timeout), " + agg + "(pending), " + agg + "(offline_uncorrectable), " + agg + "(nvme_media_errors), "
                + agg + "(nvme_percentage_used), " + agg + "(scsi_grown_defects), " + agg + "(scsi_uncorrected)"
                + " FROM smart_sample WHERE drive_id = ? AND taken_at >= ? AND taken_at < ?"
                + (bucket == null ? "" : " GROUP BY t") + " ORDER BY t";
        return jdbc.sql(sql).params(driveId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, i) -> new HistoryPoint(rs.getTimestamp(1).toInstant(), rs.getString(2), num(rs, 3), lng(rs, 4),
                        lng(rs, 5), lng(rs, 6), lng(rs, 7), lng(rs, 8), lng(rs, 9), lng(rs, 10), num(rs, 11), lng(rs, 12), lng(rs, 13)))
                .list();
    }

    public Map<String, Object> counts() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("hostsByHealth", group("SELECT health, count(*) FROM host WHERE admin_state <> 'DECOMMISSIONED' GROUP BY health"));
        out.put("hostsByAdminState", group("SELECT admin_state, count(*) FROM host GROUP BY admin_state"));
        out.put("drivesByState", group("SELECT state, count(*) FROM drive GROUP BY state"));
        return out;
    }

    private Map<String, Long> group(String sql) {
        Map<String, Long> m = new java.util.TreeMap<>();
        jdbc.sql(sql).query(rs -> {
            m.put(rs.getString(1), rs.getLong(2));
        });
        return m;
    }

    private static DriveEvent driveEvent(ResultSet rs, int i) throws SQLException {
        return new DriveEvent(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
                (Long) rs.getObject(5), (Integer) rs.getObject(6), rs.getString(7));
    }

    private static HostSummary hostSummary(ResultSet rs, int i) throws SQLException {
        return new HostSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), (Integer) rs.getObject(7), rs.getString(8), rs.getString(9), instant(rs, 10), instant(rs, 11),
                rs.getString(12), rs.getString(13), rs.getLong(14), rs.getLong(15));
    }

    private DriveView drive(ResultSet rs, int i) throws SQLException {
        return new DriveView(rs.getLong("id"), rs.getString("serial"), rs.getString("wwn"), rs.getString("model"),
                (Long) rs.getObject("capacity_bytes"), rs.getString("interface"), (Long) rs.getObject("host_id"),
                (Integer) rs.getObject("slot"), rs.getString("state"), rs.getString("verdict"), tree(rs.getString("reasons")),
                instant(rs, rs.findColumn("missing_since")), instant(rs, rs.findColumn("first_seen_at")),
                instant(rs, rs.findColumn("seen_at")));
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Long lng(ResultSet rs, int column) throws SQLException {
        Object o = rs.getObject(column);
        return o == null ? null : ((Number) o).longValue();
    }

    private static Integer num(ResultSet rs, int column) throws SQLException {
        Object o = rs.getObject(column);
        return o == null ? null : ((Number) o).intValue();
    }
}
