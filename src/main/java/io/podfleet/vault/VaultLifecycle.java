package io.podfleet.vault;

import java.time.Instant;

/**
 * The automatic steps of a vault's lifecycle, decided from its assessment; operators drain and retire. One step per
 * assessment, so every change is its own event.
 */
final class VaultLifecycle {

    private VaultLifecycle() {
    }

    /** The state the vault should be in now, or {@code current} when nothing changes. */
    static VaultState next(VaultState current, Assessment a, Instant now, Instant burnInUntil, VaultSettings settings) {
        boolean full = a.utilization() >= settings.fullThreshold();
        boolean roomAgain = a.utilization() < settings.fullThreshold() - settings.fullHysteresis();
        return switch (current) {
            case FORMING -> a.complete() ? VaultState.BURN_IN : current;
            case BURN_IN -> full ? VaultState.FULL
                    : burnInUntil != null && !now.isBefore(burnInUntil) ? VaultState.ACTIVE : current;
            case ACTIVE -> full ? VaultState.FULL : current;
            case FULL -> roomAgain ? VaultState.ACTIVE : current;
            case DRAINING, RETIRED -> current;
        };
    }

    /** Why the vault moved, for its event. */
    static String why(VaultState from, VaultState to, Assessment a, VaultSettings settings) {
        String utilization = String.format(java.util.Locale.ROOT, "utilization %.1f %%", a.utilization() * 100);
        if (to == VaultState.BURN_IN) {
            return "every tome has a drive at every position; burn-in starts";
        }
        if (to == VaultState.FULL) {
            return utilization + " reached the full threshold";
        }
        if (to == VaultState.ACTIVE) {
            return from == VaultState.FULL ? utilization + " fell below the full threshold minus hysteresis" : "burn-in period ended";
        }
        return "changed to " + to;
    }
}
