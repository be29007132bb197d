package io.podfleet.vault;

import io.podfleet.fleet.DriveState;
import io.podfleet.fleet.HostInventory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which shards are lost or at risk, and what that makes of tomes, members, capacity and the lifecycle. */
class AssessmentTest {

    private static final long TB = 1_000_000_000_000L;
    private static final Geometry GEOMETRY = new Geometry(1, 2, 3, 4, 0);
    private static final VaultSettings SETTINGS = new VaultSettings(17, 3, 0.95, 0.05, Duration.ofDays(7), Duration.ofMinutes(1), 1000);

    private final Map<Long, HostInventory.HostStatus> hosts = new HashMap<>();
    private final Map<Long, Map<Integer, HostInventory.Bay>> bays = new HashMap<>();
    private final Map<Long, Map<Integer, HostInventory.ShardFs>> shards = new HashMap<>();
    private final List<Assessment.Member> members = List.of(new Assessment.Member(0, 1, false),
            new Assessment.Member(1, 2, false), new Assessment.Member(2, 3, false));

    AssessmentTest() {
        for (long h = 1; h <= 3; h++) {
            host(h, "HEALTHY", "IN_SERVICE");
            for (int slot = 0; slot < 4; slot++) {
                bay(h, slot, DriveState.IN_SERVICE);
                fs(h, slot, true, false, 4 * TB, TB);
            }
        }
    }

    @Test
    void aHealthyVaultHasHealthyTomesAndAllMembers() {
        Assessment a = assess(members);
        assertThat(a.tomes()).hasSize(4).allMatch(t -> t.health() == TomeHealth.HEALTHY);
        assertThat(a.membersOk()).isEqualTo(3);
        assertThat(a.complete()).isTrue();
        assertThat(a.drivesOnline()).isEqualTo(12);
        assertThat(a.rawBytes()).isEqualTo(12 * 4 * TB);
        assertThat(a.usedBytes()).isEqualTo(12 * TB);
        assertThat(a.utilization()).isEqualTo(0.25);
        assertThat(a.writability(VaultState.ACTIVE, 0.95).writable()).isTrue();
    }

    @Test
    void eachLossRuleLosesTheShardAndSaysWhy() {
        bay(1, 0, DriveState.FAILED);
        bay(1, 1, DriveState.MISSING);
        bay(1, 2, DriveState.REMOVED);
        bays.get(2L).remove(0);
        fs(2, 1, false, false, null, null);
        fs(2, 2, true, true, 4 * TB, TB);
        bay(3, 3, DriveState.WARNING);
        Assessment a = assess(members);
        assertThat(cells(0)).extracting(Shard::status)
                .containsExactly(Shard.Status.LOST, Shard.Status.LOST, Shard.Status.OK);
        assertThat(cells(0).get(0).why()).contains("FAILED");
        assertThat(cells(0).get(1).why()).isEqualTo("no drive in the slot");
        assertThat(cells(1).get(0).why()).contains("MISSING");
        assertThat(cells(1).get(1).why()).contains("not mounted");
        assertThat(cells(2).get(0).why()).contains("REMOVED");
        assertThat(cells(2).get(1).why()).contains("read-only");
        assertThat(cells(3).get(2).status()).isEqualTo(Shard.Status.AT_RISK);
        assertThat(a.tomes()).extracting(Tome::health).containsExactly(TomeHealth.CRITICAL, TomeHealth.CRITICAL,
                TomeHealth.CRITICAL, TomeHealth.HEALTHY);
        assertThat(a.complete()).as("an empty slot means the vault is not fully formed").isFalse();
        assertThat(a.writability(VaultState.ACTIVE, 0.95).reasons()).containsExactly("3 tomes are CRITICAL (no redundancy left)");
    }

    @Test
    void aDeadOrDecommissionedHostLosesEveryShardAMaintenanceHostOnlyTheWrites() {
        host(1, "DEAD", "IN_SERVICE");
        Assessment dead = assess(members);
        assertThat(dead.tomes()).allMatch(t -> t.health() == TomeHealth.DEGRADED && t.lost() == 1);
        assertThat(dead.membersOk()).isEqualTo(2);

        host(1, "HEALTHY", "MAINTENANCE");
        host(2, "STALE", "IN_SERVICE");
        Assessment away = assess(members);
        assertThat(away.tomes()).allMatch(t -> t.health() == TomeHealth.HEALTHY);
        assertThat(away.unavailableMembers()).isEqualTo(2);
        assertThat(away.writability(VaultState.ACTIVE, 0.95).reasons()).containsExactly("2 members unavailable (at most 1 for writes)");

        host(2, "HEALTHY", "DECOMMISSIONED");
        assertThat(cells(0).get(1).why()).contains("decommissioned");
    }

    @Test
    void aMemberBeingRebuiltHoldsNoShardsYet() {
        List<Assessment.Member> rebuilding = List.of(members.get(0), members.get(1), new Assessment.Member(2, 3, true));
        assertThat(assess(rebuilding).tomes()).allMatch(t -> t.lost() == 1 && t.lostPositions().equals(List.of(2)));
        assertThat(Assessment.matrix(GEOMETRY, rebuilding, inventory()).get(0).get(2).why()).startsWith("being rebuilt");
    }

    @Test
    void lifecycleStepsFromFormingThroughBurnInToActiveAndFullWithHysteresis() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        Assessment a = assess(members);
        assertThat(VaultLifecycle.next(VaultState.FORMING, a, now, null, SETTINGS)).isEqualTo(VaultState.BURN_IN);
        assertThat(VaultLifecycle.next(VaultState.BURN_IN, a, now, now.plusSeconds(1), SETTINGS)).isEqualTo(VaultState.BURN_IN);
        assertThat(VaultLifecycle.next(VaultState.BURN_IN, a, now, now, SETTINGS)).isEqualTo(VaultState.ACTIVE);

        fill(0.95);
        assertThat(VaultLifecycle.next(VaultState.ACTIVE, assess(members), now, null, SETTINGS)).isEqualTo(VaultState.FULL);
        fill(0.92);
        assertThat(VaultLifecycle.next(VaultState.FULL, assess(members), now, null, SETTINGS)).as("hysteresis").isEqualTo(VaultState.FULL);
        assertThat(assess(members).writability(VaultState.ACTIVE, 0.95).writable()).isTrue();
        fill(0.89);
        assertThat(VaultLifecycle.next(VaultState.FULL, assess(members), now, null, SETTINGS)).isEqualTo(VaultState.ACTIVE);
        assertThat(VaultLifecycle.next(VaultState.DRAINING, assess(members), now, null, SETTINGS)).isEqualTo(VaultState.DRAINING);

        bays.get(3L).remove(2);
        assertThat(VaultLifecycle.next(VaultState.FORMING, assess(members), now, null, SETTINGS)).isEqualTo(VaultState.FORMING);
    }

    private void fill(double utilization) {
        long used = (long) (100 * utilization);
        shards.values().forEach(m -> m.replaceAll((slot, f) -> new HostInventory.ShardFs(f.hostId(), slot, true, false, 100L, used, 100L - used)));
    }

    private Assessment assess(List<Assessment.Member> m) {
        return Assessment.of(GEOMETRY, m, inventory());
    }

    private List<Shard> cells(int tome) {
        return Assessment.matrix(GEOMETRY, members, inventory()).get(tome);
    }

    private Assessment.Inventory inventory() {
        Map<Long, Map<Integer, HostInventory.Slot>> slots = new HashMap<>();
        for (long h : hosts.keySet()) {
            for (int slot = 0; slot < 4; slot++) {
                HostInventory.Bay bay = bays.getOrDefault(h, Map.of()).get(slot);
                HostInventory.ShardFs fs = shards.getOrDefault(h, Map.of()).get(slot);
                if (bay != null || fs != null) {
                    slots.computeIfAbsent(h, k -> new HashMap<>()).put(slot, new HostInventory.Slot(h, slot, bay, fs));
                }
            }
        }
        return new Assessment.Inventory(hosts, slots);
    }

    private void host(long id, String health, String adminState) {
        hosts.put(id, new HostInventory.HostStatus(id, "h" + id, "c" + id, health, adminState));
    }

    private void bay(long host, int slot, DriveState state) {
        bays.computeIfAbsent(host, k -> new HashMap<>()).put(slot,
                new HostInventory.Bay(host, slot, host * 100 + slot, "S" + host + "-" + slot, state, 4 * TB));
    }

    private void fs(long host, int slot, boolean mounted, boolean readOnly, Long total, Long used) {
        shards.computeIfAbsent(host, k -> new HashMap<>()).put(slot, new HostInventory.ShardFs(host, slot, mounted, readOnly,
                total, used, total == null ? null : total - used));
    }
}
