package io.podfleet.vault;

import io.podfleet.fleet.DriveState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Tome health and writability over every combination, not a few hand-picked ones. */
class TomeHealthProperties {

    @Property
    void moreLostShardsNeverImproveHealth(@ForAll @IntRange(min = 0, max = 40) int lost, @ForAll @IntRange(min = 1, max = 10) int parity) {
        assertThat(TomeHealth.of(lost + 1, parity)).isGreaterThanOrEqualTo(TomeHealth.of(lost, parity));
    }

    @Property
    void healthFollowsTheLostCountAgainstParity(@ForAll @IntRange(min = 0, max = 40) int lost,
                                                @ForAll @IntRange(min = 1, max = 10) int parity) {
        TomeHealth expected = lost == 0 ? TomeHealth.HEALTHY : lost < parity ? TomeHealth.DEGRADED
                : lost == parity ? TomeHealth.CRITICAL : TomeHealth.DATA_LOSS;
        assertThat(TomeHealth.of(lost, parity)).isEqualTo(expected);
    }

    @Property
    void healthIsIndependentOfWhichPositionsAreLost(@ForAll("tomes") List<Shard.Status> statuses,
                                                    @ForAll @IntRange(min = 1, max = 5) int parity, @ForAll long seed) {
        List<Shard.Status> shuffled = new ArrayList<>(statuses);
        Collections.shuffle(shuffled, new Random(seed));
        Tome original = Tome.of(0, shards(statuses), parity);
        Tome moved = Tome.of(0, shards(shuffled), parity);
        assertThat(moved.health()).isEqualTo(original.health());
        assertThat(moved.lost()).isEqualTo(original.lost());
        assertThat(moved.atRisk()).isEqualTo(original.atRisk());
        long lost = statuses.stream().filter(s -> s == Shard.Status.LOST).count();
        assertThat(original.health()).isEqualTo(TomeHealth.of((int) lost, parity));
    }

    @Property
    void atRiskShardsDoNotCountAsLost(@ForAll @IntRange(min = 2, max = 30) int width, @ForAll @IntRange(min = 1, max = 5) int parity) {
        List<Shard.Status> atRisk = Collections.nCopies(width, Shard.Status.AT_RISK);
        Tome t = Tome.of(0, shards(atRisk), parity);
        assertThat(t.health()).isEqualTo(TomeHealth.HEALTHY);
        assertThat(t.atRisk()).isEqualTo(width);
    }

    @Property
    void writabilityFollowsTheRules(@ForAll VaultState state, @ForAll @IntRange(min = 0, max = 20) int unavailable,
                                    @ForAll TomeHealth worst, @ForAll @DoubleRange(min = 0, max = 1) double utilization,
                                    @ForAll @DoubleRange(min = 0.5, max = 1) double threshold) {
        Writability w = Writability.judge(state, unavailable, worst, 1, utilization, threshold);
        boolean stateOk = state == VaultState.BURN_IN || state == VaultState.ACTIVE;
        boolean membersOk = unavailable <= 1;
        boolean tomesOk = worst == TomeHealth.HEALTHY || worst == TomeHealth.DEGRADED;
        boolean roomOk = utilization < threshold;
        assertThat(w.writable()).isEqualTo(stateOk && membersOk && tomesOk && roomOk);
        int broken = (stateOk ? 0 : 1) + (membersOk ? 0 : 1) + (tomesOk ? 0 : 1) + (roomOk ? 0 : 1);
        assertThat(w.reasons()).as("one reason per broken rule").hasSize(broken);
    }

    @Provide
    Arbitrary<List<Shard.Status>> tomes() {
        return Arbitraries.of(Shard.Status.class).list().ofMinSize(2).ofMaxSize(30);
    }

    private static List<Shard> shards(List<Shard.Status> statuses) {
        List<Shard> out = new ArrayList<>();
        for (int p = 0; p < statuses.size(); p++) {
            Shard.Status s = statuses.get(p);
            DriveState state = s == Shard.Status.LOST ? DriveState.FAILED : s == Shard.Status.AT_RISK ? DriveState.WARNING : DriveState.IN_SERVICE;
            out.add(new Shard(p, 100 + p, (long) p, "S" + p, state, s, s == Shard.Status.OK ? null : "test"));
        }
        return out;
    }
}
