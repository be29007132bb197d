package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one vault at one moment, computed from its members' hosts, bays and shard filesystems:
 * the tome matrix, member availability, capacity. Pure: the same inputs give the same answer.
 *
 * @param membersOk      members whose host is HEALTHY and IN_SERVICE
 * @param complete       every tome has a drive at every position (the vault is formed)
 * @param rawBytes       shard filesystem sizes (drive capacity where no filesystem was reported)
 * @param usedBytes      used bytes of the reported shard filesystems
 * @param freeBytes      free bytes of the reported shard filesystems
 * @param utilization    used / (used + free) over the reported filesystems; 0 when none
 */
public record Assessment(List<Tome> tomes, int membersOk, int width, int drivesOnline, int drivesOffline,
                         boolean complete, long rawBytes, long usedBytes, long freeBytes, double utilization) {

    /** A member as the assessment needs it. */
    record Member(int position, long hostId, boolean rebuilding) {
    }

    /** Inputs keyed for lookup: bays and filesystems by host and slot. */
    record Inventory(Map<Long, HostInventory.Host> hosts, Map<Long, Map<Integer, HostInventory.Bay>> bays,
                     Map<Long, Map<Integer, HostInventory.ShardFs>> shards) {
    }

    static Assessment of(Geometry geometry, List<Member> members, Inventory inventory) {
        List<Tome> tomes = new ArrayList<>(geometry.tomeCount());
        int online = 0;
        int offline = 0;
        boolean complete = true;
        long raw = 0;
        long used = 0;
        long free = 0;
        for (int t = 0; t < geometry.tomeCount(); t++) {
            int slot = geometry.firstSlot() + t;
            List<Shard> shards = new ArrayList<>(members.size());
            for (Member m : members) {
                HostInventory.Bay bay = inventory.bays().getOrDefault(m.hostId(), Map.of()).get(slot);
                HostInventory.ShardFs fs = inventory.shards().getOrDefault(m.hostId(), Map.of()).get(slot);
                Shard shard = Shard.judge(m.position(), m.hostId(), m.rebuilding(), inventory.hosts().get(m.hostId()), bay, fs);
                shards.add(shard);
                complete &= bay != null;
                if (shard.status() == Shard.Status.LOST) {
                    offline++;
                } else {
                    online++;
                }
                if (fs != null && fs.totalBytes() != null) {
                    raw += fs.totalBytes();
                    used += fs.usedBytes() == null ? 0 : fs.usedBytes();
                    free += fs.freeBytes() == null ? 0 : fs.freeBytes();
                } else if (bay != null && bay.capacityBytes() != null) {
                    raw += bay.capacityBytes();
                }
            }
            tomes.add(Tome.of(t, shards, geometry.parity()));
        }
        int ok = 0;
        for (Member m : members) {
            HostInventory.Host h = inventory.hosts().get(m.hostId());
            if (h != null && h.healthy() && h.inService()) {
                ok++;
            }
        }
        double utilization = used + free == 0 ? 0 : (double) used / (used + free);
        return new Assessment(List.copyOf(tomes), ok, geometry.width(), online, offline, complete, raw, used, free, utilization);
    }

    public int unavailableMembers() {
        return width - membersOk;
    }

    public TomeHealth worstTome() {
        TomeHealth worst = TomeHealth.HEALTHY;
        for (Tome t : tomes) {
            worst = worst.worse(t.health());
        }
        return worst;
    }

    public Map<TomeHealth, Integer> tomesByHealth() {
        Map<TomeHealth, Integer> counts = new EnumMap<>(TomeHealth.class);
        for (TomeHealth h : TomeHealth.values()) {
            counts.put(h, 0);
        }
        tomes.forEach(t -> counts.merge(t.health(), 1, Integer::sum));
        return counts;
    }

    Writability writability(VaultState state, double fullThreshold) {
        int criticalOrWorse = tomesByHealth().get(TomeHealth.CRITICAL) + tomesByHealth().get(TomeHealth.DATA_LOSS);
        return Writability.judge(state, unavailableMembers(), worstTome(), criticalOrWorse, utilization, fullThreshold);
    }
}
