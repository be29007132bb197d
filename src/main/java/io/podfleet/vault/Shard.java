package io.podfleet.vault;

import io.podfleet.fleet.DriveState;
import io.podfleet.fleet.HostInventory;

/**
 * One cell of the tome matrix: the shard a member holds for a tome, the drive it sits on, and whether it is there.
 *
 * @param why what makes it lost or at risk; null when OK
 */
public record Shard(int position, long hostId, Long driveId, String serial, DriveState driveState, Status status,
                    String why) {

    public enum Status { OK, AT_RISK, LOST }

    /**
     * Judges one cell. A shard is lost when its drive is FAILED, MISSING or REMOVED (or the slot is empty), its host
     * is DEAD or DECOMMISSIONED, its filesystem is unmounted or read-only, or its member is still being rebuilt; at
     * risk when its drive is WARNING or FAILING. A host in MAINTENANCE or STALE keeps its shards: they are
     * unreachable for a while, not gone (the member counts as unavailable for writes instead).
     *
     * @param host null when the host record is unknown; {@code bay} and {@code fs} null when nothing was reported
     */
    static Shard judge(int position, long hostId, boolean rebuilding, HostInventory.HostStatus host, HostInventory.Bay bay,
                       HostInventory.ShardFs fs) {
        Long driveId = bay == null ? null : bay.driveId();
        String serial = bay == null ? null : bay.serial();
        DriveState state = bay == null ? null : bay.state();
        String lost = null;
        if (host == null) {
            lost = "host " + hostId + " is unknown";
        } else if ("DEAD".equals(host.health())) {
            lost = "host " + host.hostname() + " is DEAD";
        } else if ("DECOMMISSIONED".equals(host.adminState())) {
            lost = "host " + host.hostname() + " is decommissioned";
        } else if (rebuilding) {
            lost = "being rebuilt onto " + host.hostname();
        } else if (bay == null) {
            lost = "no drive in the slot";
        } else if (state == DriveState.FAILED || state == DriveState.MISSING || state == DriveState.REMOVED) {
            lost = "drive " + serial + " is " + state;
        } else if (fs != null && !fs.mounted()) {
            lost = "shard filesystem is not mounted";
        } else if (fs != null && fs.readOnly()) {
            lost = "shard filesystem is read-only";
        }
        if (lost != null) {
            return new Shard(position, hostId, driveId, serial, state, Status.LOST, lost);
        }
        if (state == DriveState.WARNING || state == DriveState.FAILING) {
            return new Shard(position, hostId, driveId, serial, state, Status.AT_RISK, "drive " + serial + " is " + state);
        }
        return new Shard(position, hostId, driveId, serial, state, Status.OK, null);
    }
}
