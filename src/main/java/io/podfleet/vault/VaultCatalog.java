package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What other capabilities (admission, accounting) read of vaults: which take writes, and their pods. */
@Component
public class VaultCatalog {

    /**
     * A vault that takes writes now (as of its last assessment).
     *
     * @param burnInUntil end of its burn-in period; null before it started
     */
    public record WritableVault(int id, String datacenter, int cluster, int tomeCount, Instant burnInUntil,
                                double utilization, long freeBytes) {
    }

    /** A member of a vault: its position (the pod number in upload URLs) and host. */
    public record Pod(int position, long hostId, String hostname, boolean available) {
    }

    private final JdbcClient jdbc;
    private final HostInventory inventory;

    VaultCatalog(JdbcClient jdbc, HostInventory inventory) {
        this.jdbc = jdbc;
        this.inventory = inventory;
    }

    public List<WritableVault> writable() {
        return jdbc.sql("""
                        SELECT id, datacenter, cluster, tome_count, burn_in_until, utilization, free_bytes FROM vault
                        WHERE writable AND state IN ('BURN_IN', 'ACTIVE') ORDER BY id""")
                .query((rs, i) -> {
                    Timestamp burnIn = rs.getTimestamp(5);
                    return new WritableVault(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                            burnIn == null ? null : burnIn.toInstant(), rs.getDouble(6), rs.getLong(7));
                })
                .list();
    }

    /** The current members of these vaults with their host names and availability (host HEALTHY and IN_SERVICE). */
    public Map<Integer, List<Pod>> pods(java.util.Collection<Integer> vaultIds) {
        record Member(int vault, int position, long hostId) {
        }
        List<Member> members = jdbc.sql("""
                        SELECT vault_id, position, host_id FROM vault_member WHERE vault_id = ANY(?) AND left_at IS NULL
                        ORDER BY vault_id, position""")
                .param(vaultIds.toArray(Integer[]::new)).query((rs, i) -> new Member(rs.getInt(1), rs.getInt(2), rs.getLong(3))).list();
        Map<Long, HostInventory.HostStatus> hosts = new HashMap<>();
        inventory.statuses(members.stream().map(Member::hostId).toList()).forEach(h -> hosts.put(h.id(), h));
        Map<Integer, List<Pod>> out = new HashMap<>();
        for (Member m : members) {
            HostInventory.HostStatus h = hosts.get(m.hostId());
            out.computeIfAbsent(m.vault(), k -> new java.util.ArrayList<>())
                    .add(new Pod(m.position(), m.hostId(), h == null ? null : h.hostname(), h != null && h.healthy() && h.inService()));
        }
        return out;
    }

    /** Whether a vault exists (and is not retired). */
    public boolean exists(int vaultId) {
        return jdbc.sql("SELECT count(*) FROM vault WHERE id = ? AND state <> 'RETIRED'").param(vaultId).query(Long.class).single() > 0;
    }

    /** The end of a vault's burn-in period; empty before it started or when the vault does not exist. */
    public java.util.Optional<Instant> burnInUntil(int vaultId) {
        List<Timestamp> t = jdbc.sql("SELECT burn_in_until FROM vault WHERE id = ?").param(vaultId).query(Timestamp.class).list();
        return t.isEmpty() || t.get(0) == null ? java.util.Optional.empty() : java.util.Optional.of(t.get(0).toInstant());
    }
}
