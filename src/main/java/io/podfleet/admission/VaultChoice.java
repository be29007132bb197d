package io.podfleet.admission;

import io.podfleet.vault.VaultCatalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The order in which to try vaults for one upload: vaults of the preferred datacenter first, then the others; within
 * each group a random order weighted by free headroom (connection headroom x free capacity), so load spreads over
 * every vault in proportion to what it can take, and concurrent grants on several instances rarely contend for one
 * vault's counter. The counters it sees may be a second old, so a vault that looked full is not left out, only put
 * last (the database says whether it has room). Pure, given its random source.
 */
final class VaultChoice {

    /** A writable vault with its counter as last read and its limit now. */
    record Candidate(VaultCatalog.WritableVault vault, int active, int limit) {
        double weight() {
            double connections = limit <= 0 ? 0 : Math.max(0, (double) (limit - active) / limit);
            double capacity = Math.max(0.01, 1 - vault.utilization());
            return Math.max(1e-9, connections * capacity);
        }
    }

    private VaultChoice() {
    }

    static List<Candidate> order(List<Candidate> candidates, String datacenter, RandomGenerator random) {
        record Keyed(Candidate c, boolean preferred, double key) {
        }
        List<Keyed> keyed = new ArrayList<>();
        for (Candidate c : candidates) {
            // Efraimidis-Spirakis: sorting by u^(1/w) is a weighted random permutation
            double key = Math.pow(random.nextDouble(), 1.0 / c.weight());
            keyed.add(new Keyed(c, datacenter != null && Objects.equals(datacenter, c.vault().datacenter()), key));
        }
        keyed.sort(Comparator.comparing(Keyed::preferred).reversed().thenComparing(Comparator.comparingDouble(Keyed::key).reversed()));
        return keyed.stream().map(Keyed::c).toList();
    }

    static Map<String, Object> urlValues(VaultCatalog.WritableVault vault, int pod, int tome, String host, String domain) {
        return Map.of("cluster", vault.cluster(), "vault", vault.id(), "pod", pod, "tome", tome,
                "host", host == null ? "" : host, "domain", domain);
    }
}
