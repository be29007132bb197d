package io.podfleet.fleet;

import io.podfleet.smart.Health;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A drive's lifecycle. The transition table is the only place that says which changes are allowed. */
public enum DriveState {
    IN_SERVICE, WARNING, FAILING, FAILED, MISSING, REPLACED, REMOVED;

    private static final Map<DriveState, Set<DriveState>> NEXT = Map.of(
            IN_SERVICE, EnumSet.of(WARNING, FAILING, FAILED, MISSING, REPLACED, REMOVED),
            WARNING, EnumSet.of(IN_SERVICE, FAILING, FAILED, MISSING, REPLACED, REMOVED),
            FAILING, EnumSet.of(IN_SERVICE, WARNING, FAILED, MISSING, REPLACED, REMOVED),
            // a failed drive does not heal; it leaves its slot to a replacement or an operator
            FAILED, EnumSet.of(REPLACED, REMOVED),
            MISSING, EnumSet.of(IN_SERVICE, WARNING, FAILING, FAILED, REPLACED, REMOVED),
            // a replaced or removed drive that shows up again (in another slot or host) is back in service
            REPLACED, EnumSet.of(IN_SERVICE, WARNING, FAILING, FAILED, REMOVED),
            REMOVED, EnumSet.of(IN_SERVICE, WARNING, FAILING, FAILED));

    public boolean canBecome(DriveState next) {
        return NEXT.getOrDefault(this, Set.of()).contains(next);
    }

    /** Whether the drive still counts as sitting in its host (its shard is there, maybe unhealthy). */
    public boolean present() {
        return this != MISSING && this != REPLACED && this != REMOVED;
    }

    /** The state a verdict asks for; UNKNOWN asks for no change. */
    static DriveState forVerdict(Health verdict, DriveState current) {
        return switch (verdict) {
            case HEALTHY -> IN_SERVICE;
            case WARNING -> WARNING;
            case FAILING -> FAILING;
            case FAILED -> FAILED;
            case UNKNOWN -> current == null || !current.present() ? IN_SERVICE : current;
        };
    }
}
