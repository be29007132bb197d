package io.podfleet.vault;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A vault's lifecycle: FORMING -> BURN_IN -> ACTIVE <-> FULL -> DRAINING -> RETIRED. The table is the only place
 * that says which changes are allowed; {@link VaultLifecycle} decides the automatic ones, operators the rest.
 */
public enum VaultState {
    /** Created; not every tome has a drive at every position yet. */
    FORMING,
    /** Taking writes at the burn-in connection limit until the burn-in period ends. */
    BURN_IN,
    /** Taking writes at the normal limit. */
    ACTIVE,
    /** Utilization reached the full threshold: reads only, until it falls below the threshold minus hysteresis. */
    FULL,
    /** An operator is moving the data off: reads only. */
    DRAINING,
    /** Gone; its hosts are free to join another vault. */
    RETIRED;

    private static final Map<VaultState, Set<VaultState>> NEXT = Map.of(
            FORMING, EnumSet.of(BURN_IN, DRAINING),
            BURN_IN, EnumSet.of(ACTIVE, FULL, DRAINING),
            ACTIVE, EnumSet.of(FULL, DRAINING),
            FULL, EnumSet.of(ACTIVE, DRAINING),
            DRAINING, EnumSet.of(RETIRED),
            RETIRED, EnumSet.noneOf(VaultState.class));

    public boolean canBecome(VaultState next) {
        return NEXT.get(this).contains(next);
    }

    /** The states in which a vault may take uploads (if its health allows). */
    public boolean takesWrites() {
        return this == BURN_IN || this == ACTIVE;
    }

    /** Whether the vault still holds its hosts. */
    public boolean holdsHosts() {
        return this != RETIRED;
    }
}
