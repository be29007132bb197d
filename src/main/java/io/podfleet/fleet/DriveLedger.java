package io.podfleet.fleet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * The one place that changes a drive's state: it refuses what {@link DriveState} does not allow and writes every
 * change as an event with its reason.
 */
@Component
class DriveLedger {

    private final JdbcClient jdbc;

    DriveLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Moves the drive to {@code to} if the table allows it; returns whether it did. */
    boolean transition(long driveId, DriveState from, DriveState to, Instant at, Long hostId, Integer slot, String reason) {
        if (from == to || !from.canBecome(to)) {
            return false;
        }
        // a drive that leaves its host's reports was last seen in the host's latest report before this one (the
        // report being taken writes host.last_report_at at its end); its row is not rewritten while it stays (V17)
        boolean leaves = to == DriveState.MISSING || to == DriveState.REPLACED || to == DriveState.REMOVED;
        int changed = jdbc.sql("""
                        UPDATE drive SET state = ?, missing_since = CASE WHEN ? = 'MISSING' THEN ?::timestamptz ELSE NULL END,
                          last_seen_at = CASE WHEN ? AND present
                            THEN GREATEST(last_seen_at, (SELECT h.last_report_at FROM host h WHERE h.id = drive.host_id))
                            ELSE last_seen_at END,
                          present = present AND NOT ?
                        WHERE id = ? AND state = ?""")
                .params(to.name(), to.name(), Timestamp.from(at), leaves, leaves, driveId, from.name())
                .update();
        if (changed == 1) {
            event(driveId, at, "state", from, to, hostId, slot, reason);
        }
        return changed == 1;
    }

    void event(long driveId, Instant at, String kind, DriveState from, DriveState to, Long hostId, Integer slot, String reason) {
        jdbc.sql("""
                        INSERT INTO drive_event (drive_id, at, kind, from_state, to_state, host_id, slot, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(driveId, Timestamp.from(at), kind, from == null ? null : from.name(), to == null ? null : to.name(),
                        hostId, slot, reason)
                .update();
    }
}
