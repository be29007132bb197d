package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;

import java.util.Map;

/**
 * One member's column of the tome matrix, judged from its host, drives and shard filesystems: one character per tome
 * ({@code O} ok, {@code R} at risk, {@code L} lost, {@code E} no drive in the slot, which is lost too), whether the
 * member is available for writes, and its shard bytes. Stored with the membership, so re-assessing a vault after one
 * host's report re-judges one column and reads the other nineteen as they are.
 *
 * @param usedBytes used bytes of the shard filesystems that reported sizes
 * @param freeBytes free bytes of the shard filesystems that reported sizes
 */
record MemberColumn(int position, long hostId, String cells, boolean available, long rawBytes, long usedBytes,
                    long freeBytes) {

    static final char OK = 'O';
    static final char AT_RISK = 'R';
    static final char LOST = 'L';
    static final char EMPTY = 'E';

    static MemberColumn judge(Assessment.Member member, HostInventory.HostStatus host, Map<Integer, HostInventory.Slot> slots,
                              Geometry geometry) {
        StringBuilder cells = new StringBuilder(geometry.tomeCount());
        long raw = 0;
        long used = 0;
        long free = 0;
        for (int t = 0; t < geometry.tomeCount(); t++) {
            HostInventory.Slot slot = slots.get(geometry.firstSlot() + t);
            HostInventory.Bay bay = slot == null ? null : slot.bay();
            HostInventory.ShardFs fs = slot == null ? null : slot.fs();
            Shard shard = Shard.judge(member.position(), member.hostId(), member.rebuilding(), host, bay, fs);
            cells.append(bay == null ? EMPTY : switch (shard.status()) {
                case OK -> OK;
                case AT_RISK -> AT_RISK;
                case LOST -> LOST;
            });
            if (fs != null && fs.totalBytes() != null) {
                raw += fs.totalBytes();
                used += fs.usedBytes() == null ? 0 : fs.usedBytes();
                free += fs.freeBytes() == null ? 0 : fs.freeBytes();
            } else if (bay != null && bay.capacityBytes() != null) {
                raw += bay.capacityBytes();
            }
        }
        boolean available = host != null && host.healthy() && host.inService();
        return new MemberColumn(member.position(), member.hostId(), cells.toString(), available, raw, used, free);
    }

    char cell(int tome) {
        return tome < cells.length() ? cells.charAt(tome) : EMPTY;
    }
}
