package io.podfleet.admission;

import io.podfleet.vault.VaultCatalog;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PodLoadTest {

    private static final List<VaultCatalog.Pod> PODS = List.of(new VaultCatalog.Pod(0, 10, "a", true),
            new VaultCatalog.Pod(1, 11, "b", true), new VaultCatalog.Pod(2, 12, "c", true));

    @Test
    void eachGrantGoesToTheLeastBusyPodAsCountedSoFar() {
        PodLoad load = new PodLoad();
        load.adopt(Map.of(PodLoad.key(7, 0), 4, PodLoad.key(7, 1), 1)); // pod 2: none read
        Map<Integer, Integer> given = new HashMap<>();
        for (int i = 0; i < 7; i++) {
            VaultCatalog.Pod pod = load.leastBusy(7, PODS, new Random(i));
            load.add(7, pod.position(), 1);
            given.merge(pod.position(), 1, Integer::sum);
        }
        // 4, 1, 0 open; seven more fill the two quiet pods up to 4 each, then one of the three gets the last
        assertThat(given.getOrDefault(0, 0)).isLessThanOrEqualTo(1);
        assertThat(load.open(7, 0) + load.open(7, 1) + load.open(7, 2)).isEqualTo(12);
        assertThat(List.of(load.open(7, 0), load.open(7, 1), load.open(7, 2))).allMatch(n -> n == 4 || n == 5);
    }

    @Test
    void tiesAreBrokenAtRandomAndOtherVaultsDoNotCount() {
        PodLoad load = new PodLoad();
        load.adopt(Map.of(PodLoad.key(8, 0), 9, PodLoad.key(8, 1), 9, PodLoad.key(8, 2), 9));
        Map<Integer, Integer> first = new HashMap<>();
        Random random = new Random(1);
        for (int i = 0; i < 3000; i++) {
            first.merge(load.leastBusy(7, PODS, random).position(), 1, Integer::sum); // vault 7: all at 0
        }
        assertThat(first.values()).allMatch(n -> n > 850 && n < 1150);
    }

    @Test
    void aNewReadReplacesTheCountsAndCountsNeverGoBelowZero() {
        PodLoad load = new PodLoad();
        Map<Long, Integer> read = Map.of(PodLoad.key(7, 0), 2);
        load.adopt(read);
        load.add(7, 0, 3);
        load.adopt(read); // the same read again: kept
        assertThat(load.open(7, 0)).isEqualTo(5);
        load.adopt(Map.of(PodLoad.key(7, 0), 1)); // a newer read
        assertThat(load.open(7, 0)).isEqualTo(1);
        load.add(7, 0, -1);
        load.add(7, 0, -1);
        assertThat(load.open(7, 0)).isZero();
    }
}
