package io.podfleet.smart;

/** Lets tests in other packages build modified readings the way the smart tests do. */
public final class HealthRulesTestAccess {

    private HealthRulesTestAccess() {
    }

    public static DriveReading withRaw(DriveReading r, int id, long raw) {
        return HealthRulesTest.withRaw(r, id, raw);
    }
}
