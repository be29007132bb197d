package io.podfleet.vault;

import java.util.List;

/**
 * Tome {@code index}: the shards in slot {@code firstSlot + index} of every member.
 *
 * @param lostPositions the member positions whose shard is lost
 */
public record Tome(int index, TomeHealth health, int lost, int atRisk, List<Integer> lostPositions) {

    /** A tome from its cells, in position order. */
    static Tome of(int index, List<Shard> shards, int parity) {
        List<Integer> lost = shards.stream().filter(s -> s.status() == Shard.Status.LOST).map(Shard::position).toList();
        int atRisk = (int) shards.stream().filter(s -> s.status() == Shard.Status.AT_RISK).count();
        return new Tome(index, TomeHealth.of(lost.size(), parity), lost.size(), atRisk, lost);
    }

    /** A tome with its cells, as the matrix shows it. */
    record Row(Tome tome, List<Shard> shards) {
    }
}
