package io.podfleet.smart;

/** Drive temperature limits in degrees Celsius, from the host's hardware profile. */
public record TemperatureLimits(int warnC, int criticalC) {

    /** Typical 3.5" HDD limits when no profile is known. */
    public static final TemperatureLimits DEFAULT = new TemperatureLimits(45, 55);

    public TemperatureLimits {
        if (warnC >= criticalC) {
            throw new IllegalArgumentException("warn temperature must be below critical: " + warnC + " >= " + criticalC);
        }
    }
}
