package io.podfleet.admission;

import io.podfleet.vault.VaultCatalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Open leases per pod as one instance knows them, to send each upload to a vault's least busy pod: the counters as
 * read with the candidates (about once a second), moved since by this instance's own grants and ends. Another
 * instance's grants show up at the next read, so with several instances the spread is as good as a second-old
 * view; the limits are not decided here (the database checks every grant against its vault's counter). Shared by the
 * ledger's writer and the request threads that grant from blocks.
 */
final class PodLoad {

    private final Map<Long, Integer> open = new HashMap<>();
    private Map<Long, Integer> readFrom;

    static long key(int vault, int position) {
        return ((long) vault << 32) | (position & 0xffffffffL);
    }

    /** Starts again from counters read from the database, unless they are the ones already started from. */
    synchronized void adopt(Map<Long, Integer> read) {
        if (read != readFrom) {
            readFrom = read;
            open.clear();
            open.putAll(read);
        }
    }

    /** The pod with the fewest open leases of those offered, ties at random. */
    synchronized VaultCatalog.Pod leastBusy(int vault, List<VaultCatalog.Pod> offered, RandomGenerator random) {
        VaultCatalog.Pod best = null;
        int bestOpen = Integer.MAX_VALUE;
        int ties = 0;
        for (VaultCatalog.Pod pod : offered) {
            int n = open.getOrDefault(key(vault, pod.position()), 0);
            if (n < bestOpen) {
                best = pod;
                bestOpen = n;
                ties = 1;
            } else if (n == bestOpen && random.nextInt(++ties) == 0) {
                best = pod;
            }
        }
        return best;
    }

    /**
     * The least busy of the pods offered, counted on it at once: for a grant decided here (from a block), with the
     * counters last read.
     */
    synchronized VaultCatalog.Pod choose(int vault, List<VaultCatalog.Pod> offered, Map<Long, Integer> read, RandomGenerator random) {
        adopt(read);
        VaultCatalog.Pod pod = leastBusy(vault, offered, random);
        if (pod != null) {
            add(vault, pod.position(), 1);
        }
        return pod;
    }

    synchronized void add(int vault, int position, int delta) {
        // (never below zero: a count moved after the counters it was made on were replaced by a newer read)
        open.merge(key(vault, position), delta, (was, d) -> Math.max(0, was + d));
    }

    synchronized int open(int vault, int position) {
        return open.getOrDefault(key(vault, position), 0);
    }
}
