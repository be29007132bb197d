package io.podfleet.vault;

/** How much of a tome's redundancy is left, from its count of lost shards and the vault's parity. */
public enum TomeHealth {
    /** No shard lost. */
    HEALTHY,
    /** 1 .. parity-1 shards lost: reads and rebuilds. */
    DEGRADED,
    /** Exactly parity shards lost: still readable, no redundancy left. */
    CRITICAL,
    /** More than parity shards lost: data in this tome is gone. */
    DATA_LOSS;

    public static TomeHealth of(int lost, int parity) {
        if (lost < 0 || parity < 1) {
            throw new IllegalArgumentException("lost " + lost + ", parity " + parity);
        }
        if (lost == 0) {
            return HEALTHY;
        }
        if (lost < parity) {
            return DEGRADED;
        }
        return lost == parity ? CRITICAL : DATA_LOSS;
    }

    public TomeHealth worse(TomeHealth other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
