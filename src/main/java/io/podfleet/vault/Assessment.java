package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one vault at one moment, from its members' columns: tome health, member availability,
 * capacity. Pure: the same columns give the same answer.
 *
 * @param membersOk   members whose host is HEALTHY and IN_SERVICE
 * @param complete    every tome has a drive at every position (the vault is formed)
 * @param rawBytes    shard filesystem sizes (drive capacity where no filesystem was reported)
 * @param usedBytes   used bytes of the reported shard filesystems
 * @param freeBytes   free bytes of the reported shard filesystems
 * @param utilization used / (used + free) over the reported filesystems; 0 when none
 */
public record Assessment(List<Tome> tomes, int membersOk, int width, int drivesOnline, int drivesOffline,
                         boolean complete, long rawBytes, long usedBytes, long freeBytes, double utilization) {

    /** A member as the assessment needs it. */
    record Member(int position, long hostId, boolean rebuilding) {
    }

    /** Inputs keyed for lookup: hosts by id, slots by host and slot number. */
    record Inventory(Map<Long, HostInventory.HostStatus> hosts, Map<Long, Map<Integer, HostInventory.Slot>> slots) {
    }

    /** Judges every member from the inventory, then assesses. */
    static Assessment of(Geometry geometry, List<Member> members, Inventory inventory) {
        List<MemberColumn> columns = members.stream().map(m -> MemberColumn.judge(m, inventory.hosts().get(m.hostId()),
                inventory.slots().getOrDefault(m.hostId(), Map.of()), geometry)).toList();
        return of(geometry, columns);
    }

    static Assessment of(Geometry geometry, List<MemberColumn> columns) {
        List<Tome> tomes = new ArrayList<>(geometry.tomeCount());
        int offline = 0;
        boolean complete = true;
        for (int t = 0; t < geometry.tomeCount(); t++) {
            List<Integer> lost = new ArrayList<>(2);
            int atRisk = 0;
            for (MemberColumn c : columns) {
                char cell = c.cell(t);
                if (cell == MemberColumn.LOST || cell == MemberColumn.EMPTY) {
                    lost.add(c.position());
                } else if (cell == MemberColumn.AT_RISK) {
                    atRisk++;
                }
                complete &= cell != MemberColumn.EMPTY;
            }
            offline += lost.size();
            tomes.add(new Tome(t, TomeHealth.of(lost.size(), geometry.parity()), lost.size(), atRisk, List.copyOf(lost)));
        }
        int ok = 0;
        long raw = 0;
        long used = 0;
        long free = 0;
        for (MemberColumn c : columns) {
            ok += c.available() ? 1 : 0;
            raw += c.rawBytes();
            used += c.usedBytes();
            free += c.freeBytes();
        }
        double utilization = used + free == 0 ? 0 : (double) used / (used + free);
        int online = columns.size() * geometry.tomeCount() - offline;
        return new Assessment(List.copyOf(tomes), ok, geometry.width(), online, offline, complete, raw, used, free, utilization);
    }

    /** Every cell with the reason it is lost or at risk: the tome matrix as the API shows it. */
    static List<List<Shard>> matrix(Geometry geometry, List<Member> members, Inventory inventory) {
        List<List<Shard>> rows = new ArrayList<>(geometry.tomeCount());
        for (int t = 0; t < geometry.tomeCount(); t++) {
            int slot = geometry.firstSlot() + t;
            List<Shard> row = new ArrayList<>(members.size());
            for (Member m : members) {
                HostInventory.Slot found = inventory.slots().getOrDefault(m.hostId(), Map.of()).get(slot);
                row.add(Shard.judge(m.position(), m.hostId(), m.rebuilding(), inventory.hosts().get(m.hostId()),
                        found == null ? null : found.bay(), found == null ? null : found.fs()));
            }
            rows.add(row);
        }
        return rows;
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
