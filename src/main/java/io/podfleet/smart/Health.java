package io.podfleet.smart;

/**
 * A drive's verdict, in order of concern. UNKNOWN ranks above HEALTHY: a drive that could not be judged is never
 * reported as healthy, but it is not alarming either, and any real evidence outranks it.
 */
public enum Health {
    HEALTHY, UNKNOWN, WARNING, FAILING, FAILED;

    public Health worst(Health other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
