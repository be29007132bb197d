package io.podfleet.fleet;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * What other capabilities may read of hosts and their bays, in bulk: placement, health, admin state, the drive in
 * each slot and its shard filesystem. Vault formation and tome health are built on it.
 */
@Component
public class HostInventory {

    /**
     * A host as placement sees it. {@code driveCount} is the number of slots holding a drive that has not been
     * replaced or removed (a failed or missing drive still holds its slot), {@code driveCapacity} the most common
     * capacity among them, {@code firstSlot} the lowest such slot.
     */
    public record Host(long id, String hostname, String profileId, String datacenter, String cabinet, String health,
                       String adminState, Instant lastReportAt, int driveCount, Long driveCapacity, Integer firstSlot) {

        public boolean healthy() {
            return "HEALTHY".equals(health);
        }

        public boolean inService() {
            return "IN_SERVICE".equals(adminState);
        }
    }

    /** The drive sitting in a slot (the newest one that was not replaced), or none. */
    public record Bay(long hostId, int slot, long driveId, String serial, DriveState state, Long capacityBytes) {
    }

    /** A shard filesystem as last reported; byte figures are null when it is not mounted. */
    public record ShardFs(long hostId, int slot, boolean mounted, boolean readOnly, Long totalBytes, Long usedBytes,
                          Long freeBytes) {
    }

    private static final String HOSTS = """
            SELECT h.id, h.hostname, h.profile_id, h.datacenter, h.cabinet, h.health, h.admin_state, h.last_report_at,
              COALESCE(d.slots, 0), d.capacity, d.first_slot
            FROM host h LEFT JOIN LATERAL (
              SELECT count(DISTINCT slot) AS slots, mode() WITHIN GROUP (ORDER BY capacity_bytes) AS capacity,
                min(slot) AS first_slot
              FROM drive WHERE host_id = h.id AND slot IS NOT NULL AND state NOT IN ('REPLACED', 'REMOVED')) d ON true
            """;

    private final JdbcClient jdbc;

    HostInventory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Host> hosts(Collection<Long> ids) {
        return jdbc.sql(HOSTS + " WHERE h.id = ANY(?)").param(ids.toArray(Long[]::new))
                .query((RowMapper<Host>) HostInventory::host).list();
    }

    /** Hosts in service and healthy in a datacenter (and of a profile, when given): candidates for placement. */
    public List<Host> placeable(String datacenter, String profileId) {
        return jdbc.sql(HOSTS + """
                         WHERE h.datacenter = ? AND (?::text IS NULL OR h.profile_id = ?)
                         AND h.admin_state = 'IN_SERVICE' AND h.health = 'HEALTHY' ORDER BY h.cabinet, h.hostname""")
                .params(datacenter, profileId, profileId)
                .query((RowMapper<Host>) HostInventory::host).list();
    }

    public List<String> datacenters() {
        return jdbc.sql("SELECT DISTINCT datacenter FROM host WHERE datacenter IS NOT NULL ORDER BY 1").query(String.class).list();
    }

    public List<Bay> bays(Collection<Long> hostIds) {
        return jdbc.sql("""
                        SELECT DISTINCT ON (host_id, slot) host_id, slot, id, serial, state, capacity_bytes FROM drive
                        WHERE host_id = ANY(?) AND slot IS NOT NULL AND state <> 'REPLACED'
                        ORDER BY host_id, slot, first_seen_at DESC, id DESC""")
                .param(hostIds.toArray(Long[]::new))
                .query((rs, i) -> new Bay(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4),
                        DriveState.valueOf(rs.getString(5)), (Long) rs.getObject(6)))
                .list();
    }

    public List<ShardFs> shards(Collection<Long> hostIds) {
        return jdbc.sql("""
                        SELECT host_id, slot, mounted, read_only, total_bytes, used_bytes, free_bytes FROM shard_filesystem
                        WHERE host_id = ANY(?)""")
                .param(hostIds.toArray(Long[]::new))
                .query((rs, i) -> new ShardFs(rs.getLong(1), rs.getInt(2), rs.getBoolean(3), rs.getBoolean(4),
                        (Long) rs.getObject(5), (Long) rs.getObject(6), (Long) rs.getObject(7)))
                .list();
    }

    private static Host host(ResultSet rs, int i) throws SQLException {
        Timestamp reported = rs.getTimestamp(8);
        return new Host(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), reported == null ? null : reported.toInstant(), rs.getInt(9), (Long) rs.getObject(10),
                (Integer) rs.getObject(11));
    }
}
