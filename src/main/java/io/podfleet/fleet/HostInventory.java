package io.podfleet.fleet;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** A host's state as tome health needs it, without its drive figures (cheaper to read). */
    public record HostStatus(long id, String hostname, String cabinet, String health, String adminState) {

        public boolean healthy() {
            return "HEALTHY".equals(health);
        }

        public boolean inService() {
            return "IN_SERVICE".equals(adminState);
        }
    }

    /** One slot of a host: the drive in it (null if none) and its shard filesystem (null if none was reported). */
    public record Slot(long hostId, int slot, Bay bay, ShardFs fs) {
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

    public List<HostStatus> statuses(Collection<Long> ids) {
        return jdbc.sql("SELECT id, hostname, cabinet, health, admin_state FROM host WHERE id = ANY(?)")
                .param(ids.toArray(Long[]::new))
                .query((rs, i) -> new HostStatus(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                .list();
    }

    /**
     * Every slot of these hosts that holds a drive or reported a shard filesystem. Where a slot has more than one drive
     * not marked replaced (a new drive reported before the old one was seen leaving), the newest one is in the slot.
     */
    public List<Slot> slots(Collection<Long> hostIds) {
        // one row per host with arrays: decoding 20 rows of arrays costs a fraction of decoding 1,200 rows
        Long[] ids = hostIds.toArray(Long[]::new);
        Map<Long, Map<Integer, Slot>> slots = new HashMap<>();
        jdbc.sql("""
                        SELECT host_id, array_agg(slot ORDER BY first_seen_at, id), array_agg(id ORDER BY first_seen_at, id),
                          array_agg(serial ORDER BY first_seen_at, id), array_agg(state ORDER BY first_seen_at, id),
                          array_agg(capacity_bytes ORDER BY first_seen_at, id)
                        FROM drive WHERE host_id = ANY(?) AND slot IS NOT NULL AND state <> 'REPLACED' GROUP BY host_id""")
                .param(ids)
                .query(rs -> {
                    long host = rs.getLong(1);
                    Integer[] slot = (Integer[]) rs.getArray(2).getArray();
                    Long[] id = (Long[]) rs.getArray(3).getArray();
                    String[] serial = (String[]) rs.getArray(4).getArray();
                    String[] state = (String[]) rs.getArray(5).getArray();
                    Long[] capacity = (Long[]) rs.getArray(6).getArray();
                    Map<Integer, Slot> of = slots.computeIfAbsent(host, k -> new HashMap<>());
                    for (int i = 0; i < slot.length; i++) { // oldest first: the newest drive of a slot wins
                        of.put(slot[i], new Slot(host, slot[i], new Bay(host, slot[i], id[i], serial[i],
                                DriveState.valueOf(state[i]), capacity[i]), null));
                    }
                });
        jdbc.sql("""
                        SELECT host_id, slots, mounted, read_only, total_bytes, used_bytes, free_bytes
                        FROM shard_filesystems WHERE host_id = ANY(?)""")
                .param(ids)
                .query(rs -> {
                    long host = rs.getLong(1);
                    Integer[] slot = (Integer[]) rs.getArray(2).getArray();
                    Boolean[] mounted = (Boolean[]) rs.getArray(3).getArray();
                    Boolean[] readOnly = (Boolean[]) rs.getArray(4).getArray();
                    Long[] total = (Long[]) rs.getArray(5).getArray();
                    Long[] used = (Long[]) rs.getArray(6).getArray();
                    Long[] free = (Long[]) rs.getArray(7).getArray();
                    Map<Integer, Slot> of = slots.computeIfAbsent(host, k -> new HashMap<>());
                    for (int i = 0; i < slot.length; i++) {
                        ShardFs fs = new ShardFs(host, slot[i], mounted[i], readOnly[i], total[i], used[i], free[i]);
                        Slot had = of.get(slot[i]);
                        of.put(slot[i], new Slot(host, slot[i], had == null ? null : had.bay(), fs));
                    }
                });
        List<Slot> out = new ArrayList<>();
        slots.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    private static Host host(ResultSet rs, int i) throws SQLException {
        Timestamp reported = rs.getTimestamp(8);
        return new Host(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), reported == null ? null : reported.toInstant(), rs.getInt(9), (Long) rs.getObject(10),
                (Integer) rs.getObject(11));
    }
}
