package io.podfleet.vault;

import java.util.List;

/** Tome {@code index}: the shards in slot {@code firstSlot + index} of every member, in position order. */
public record Tome(int index, TomeHealth health, int lost, int atRisk, List<Shard> shards) {

    static Tome of(int index, List<Shard> shards, int parity) {
        int lost = 0;
        int atRisk = 0;
        for (Shard s : shards) {
            if (s.status() == Shard.Status.LOST) {
                lost++;
            } else if (s.status() == Shard.Status.AT_RISK) {
                atRisk++;
            }
        }
        return new Tome(index, TomeHealth.of(lost, parity), lost, atRisk, List.copyOf(shards));
    }
}
