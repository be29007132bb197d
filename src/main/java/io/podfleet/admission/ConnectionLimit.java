package io.podfleet.admission;

import java.time.Instant;

/**
 * A vault's concurrent upload connection limit now, and where it comes from: an operator's override if set, else
 * the burn-in limit while the vault's burn-in period runs, else the normal limit.
 *
 * @param burnInUntil end of the burn-in period (null when it has not started)
 */
public record ConnectionLimit(int limit, Source source, Instant burnInUntil) {

    public enum Source { OVERRIDE, BURN_IN, NORMAL }

    static ConnectionLimit of(Integer override, Instant burnInUntil, Instant now, AdmissionSettings settings) {
        if (override != null) {
            return new ConnectionLimit(override, Source.OVERRIDE, burnInUntil);
        }
        if (burnInUntil != null && now.isBefore(burnInUntil)) {
            return new ConnectionLimit(settings.burnInLimit(), Source.BURN_IN, burnInUntil);
        }
        return new ConnectionLimit(settings.normalLimit(), Source.NORMAL, burnInUntil);
    }
}
