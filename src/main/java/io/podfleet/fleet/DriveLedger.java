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
        int changed = jdbc.sql("""
                        UPDATE drive SET state = ?, missing_since = CASE WHEN ? = 'MISSING' THEN ?::timestamptz ELSE NULL END
                        WHERE id = ? AND state = ?""")
                .params(to.name(), to.name(), Timestamp.from(at), driveId, from.name())
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
