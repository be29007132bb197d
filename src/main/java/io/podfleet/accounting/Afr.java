package io.podfleet.accounting;

/** Annualized failure rate, as Drive Stats publishes it: {@code failures / (drive_days / 365) * 100}, in percent. */
final class Afr {

    private Afr() {
    }

    static double percent(long failures, long driveDays) {
        if (driveDays <= 0) {
            return 0;
        }
        return failures / (driveDays / 365.0) * 100.0;
    }
}
