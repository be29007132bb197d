package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The placement rules of a vault: every member in service and healthy, in no other vault, in the vault's
 * datacenter, with the same drive count, drive capacity and slot numbering, each in its own cabinet (a cabinet is
 * a failure domain: power, switch). Pure: it judges the hosts it is given.
 */
final class Placement {

    /** What every member must match: the vault's datacenter and drive shape; null values are taken from the majority. */
    record Shape(String datacenter, Integer driveCount, Long driveCapacity, Integer firstSlot) {
    }

    private Placement() {
    }

    /**
     * Every rule each candidate breaks. {@code candidates} are host ids by position (null for a position not being
     * filled); {@code occupiedCabinets} are the cabinets of members that stay.
     */
    static List<VaultProblems.Violation> check(Map<Integer, Long> candidates, Map<Long, HostInventory.Host> hosts,
                                               Set<Long> inOtherVaults, Shape shape, Set<String> occupiedCabinets) {
        List<HostInventory.Host> known = candidates.values().stream().map(hosts::get).filter(Objects::nonNull).toList();
        String datacenter = shape.datacenter() != null ? shape.datacenter() : majority(known, HostInventory.Host::datacenter);
        Integer driveCount = shape.driveCount() != null ? shape.driveCount() : majority(known, HostInventory.Host::driveCount);
        Long capacity = shape.driveCapacity() != null ? shape.driveCapacity() : majority(known, HostInventory.Host::driveCapacity);
        Integer firstSlot = shape.firstSlot() != null ? shape.firstSlot() : majority(known, HostInventory.Host::firstSlot);
        List<VaultProblems.Violation> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Set<String> cabinets = new HashSet<>(occupiedCabinets);
        for (Map.Entry<Integer, Long> e : candidates.entrySet()) {
            int position = e.getKey();
            long id = e.getValue();
            HostInventory.Host h = hosts.get(id);
            if (h == null) {
                out.add(new VaultProblems.Violation(position, id, null, "unknown-host", "no host has id " + id));
                continue;
            }
            Rules rules = new Rules(out, position, h);
            rules.breakIf(!seen.add(id), "duplicate-host", "is listed at more than one position");
            rules.breakIf(inOtherVaults.contains(id), "in-another-vault", "is a member of another vault");
            rules.breakIf(!h.inService(), "not-in-service", "admin state is " + h.adminState());
            rules.breakIf(!h.healthy(), "not-healthy", "health is " + h.health());
            rules.breakIf(!Objects.equals(h.datacenter(), datacenter), "other-datacenter",
                    "is in " + h.datacenter() + ", the vault is in " + datacenter);
            if (h.driveCount() == 0) {
                rules.breakIf(true, "no-drives", "has reported no drives yet");
            } else {
                rules.breakIf(!Objects.equals(h.driveCount(), driveCount), "mixed-drive-count",
                        "has " + h.driveCount() + " drives, the vault's hosts have " + driveCount);
                rules.breakIf(!Objects.equals(h.driveCapacity(), capacity), "mixed-drive-capacity",
                        "has drives of " + h.driveCapacity() + " bytes, the vault's hosts have " + capacity);
                rules.breakIf(!Objects.equals(h.firstSlot(), firstSlot), "mixed-slot-numbering",
                        "numbers its slots from " + h.firstSlot() + ", the vault's hosts from " + firstSlot);
            }
            if (h.cabinet() == null || h.cabinet().isBlank()) {
                rules.breakIf(true, "unknown-cabinet", "has no cabinet recorded, so its failure domain is unknown");
            } else {
                rules.breakIf(!cabinets.add(h.cabinet()), "shared-cabinet",
                        "cabinet " + h.cabinet() + " already holds a host of this vault");
            }
        }
        return out;
    }

    /**
     * Picks {@code width} hosts for a new vault from placeable candidates: among the hosts with one drive shape (the
     * shape with the most cabinets wins), one host per cabinet, cabinets in name order. Empty when there are not
     * enough cabinets.
     */
    static List<HostInventory.Host> pick(List<HostInventory.Host> candidates, Set<Long> inVaults, int width) {
        Map<List<Object>, Map<String, HostInventory.Host>> byShape = new LinkedHashMap<>();
        candidates.stream()
                .filter(h -> !inVaults.contains(h.id()) && h.driveCount() > 0 && h.cabinet() != null && !h.cabinet().isBlank())
                .sorted(Comparator.comparing(HostInventory.Host::cabinet).thenComparing(HostInventory.Host::hostname))
                .forEach(h -> byShape.computeIfAbsent(java.util.Arrays.asList(h.driveCount(), h.driveCapacity(), h.firstSlot()),
                        k -> new LinkedHashMap<>()).putIfAbsent(h.cabinet(), h));
        return byShape.values().stream()
                .max(Comparator.comparingInt(Map::size))
                .filter(m -> m.size() >= width)
                .map(m -> List.copyOf(m.values()).subList(0, width))
                .orElse(List.of());
    }

    private static <T> T majority(List<HostInventory.Host> hosts, Function<HostInventory.Host, T> value) {
        Map<T, Integer> counts = new HashMap<>();
        T best = null;
        int bestCount = 0;
        for (HostInventory.Host h : hosts) {
            T v = value.apply(h);
            int c = counts.merge(v, 1, Integer::sum);
            if (c > bestCount) { // ties go to the value seen first (the lower position)
                best = v;
                bestCount = c;
            }
        }
        return best;
    }

    private record Rules(List<VaultProblems.Violation> out, int position, HostInventory.Host host) {
        void breakIf(boolean broken, String rule, String detail) {
            if (broken) {
                out.add(new VaultProblems.Violation(position, host.id(), host.hostname(), rule, host.hostname() + " " + detail));
            }
        }
    }
}
