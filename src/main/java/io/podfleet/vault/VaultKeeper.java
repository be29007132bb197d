package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each vault's stored tome health, lifecycle state, health, writability and capacity true to its members'
 * drives. A re-assessment locks the vault row first, so two reports from hosts of one vault cannot store an older
 * view over a newer one; it writes only what changed, with an event for every health change.
 */
@Component
class VaultKeeper {

    /** The vault row as stored. */
    record Stored(int id, VaultState state, Geometry geometry, Instant burnInUntil, TomeHealth health, boolean writable) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final HostInventory inventory;
    private final VaultEvents events;
    private final VaultSettings settings;
    private final JsonMapper json;
    private final Clock clock;

    VaultKeeper(JdbcClient jdbc, JdbcTemplate template, HostInventory inventory, VaultEvents events, VaultSettings settings,
                JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.template = template;
        this.inventory = inventory;
        this.events = events;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** Re-assesses one vault in its own transaction (a failure here never undoes the report that asked for it). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public Optional<Assessment> reassessAlone(int vaultId) {
        return reassess(vaultId);
    }

    /** Re-assesses one vault inside the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Assessment> reassess(int vaultId) {
        Optional<Stored> locked = jdbc.sql("""
                        SELECT id, state, data_shards, parity_shards, width, tome_count, first_slot, burn_in_until, health, writable
                        FROM vault WHERE id = ? FOR UPDATE""")
                .param(vaultId).query(VaultKeeper::stored).optional();
        if (locked.isEmpty() || locked.get().state() == VaultState.RETIRED) {
            return Optional.empty();
        }
        Stored vault = locked.get();
        Assessment a = assess(vault);
        Instant now = clock.instant();
        storeTomes(vault.id(), a, now);

        VaultState state = vault.state();
        VaultState next = VaultLifecycle.next(state, a, now, vault.burnInUntil(), settings);
        Instant burnInUntil = vault.burnInUntil();
        if (next != state && state.canBecome(next)) {
            if (next == VaultState.BURN_IN) {
                burnInUntil = now.plus(settings.burnIn());
            }
            events.add(vault.id(), now, "state", null, state, next, VaultLifecycle.why(state, next, a, settings));
            state = next;
        }
        TomeHealth health = a.worstTome();
        if (health != vault.health()) {
            events.add(vault.id(), now, "health", null, vault.health(), health, "worst tome is now " + health);
        }
        Writability w = a.writability(state, settings.fullThreshold());
        if (w.writable() != vault.writable()) {
            events.add(vault.id(), now, "writable", null, vault.writable(), w.writable(),
                    w.writable() ? "takes writes again" : "stopped taking writes: " + String.join("; ", w.reasons()));
        }
        jdbc.sql("""
                        UPDATE vault SET state = ?, state_since = CASE WHEN state <> ? THEN ? ELSE state_since END,
                          burn_in_until = ?, health = ?, writable = ?, not_writable = ?::jsonb, members_ok = ?, drives_online = ?,
                          drives_offline = ?, raw_bytes = ?, used_bytes = ?, free_bytes = ?, utilization = ?, assessed_at = ?
                        WHERE id = ?""")
                .params(state.name(), state.name(), Timestamp.from(now), burnInUntil == null ? null : Timestamp.from(burnInUntil),
                        health.name(), w.writable(), json.writeValueAsString(w.reasons()), a.membersOk(), a.drivesOnline(),
                        a.drivesOffline(), a.rawBytes(), a.usedBytes(), a.freeBytes(), a.utilization(), Timestamp.from(now), vault.id())
                .update();
        return Optional.of(a);
    }

    /** The assessment of a vault from what its members reported, without storing anything. */
    Assessment assess(Stored vault) {
        List<Assessment.Member> members = jdbc.sql("""
                        SELECT position, host_id, rebuilding FROM vault_member WHERE vault_id = ? AND left_at IS NULL
                        ORDER BY position""")
                .param(vault.id())
                .query((rs, i) -> new Assessment.Member(rs.getInt(1), rs.getLong(2), rs.getBoolean(3))).list();
        List<Long> hostIds = members.stream().map(Assessment.Member::hostId).toList();
        Map<Long, HostInventory.Host> hosts = new HashMap<>();
        inventory.hosts(hostIds).forEach(h -> hosts.put(h.id(), h));
        Map<Long, Map<Integer, HostInventory.Bay>> bays = new HashMap<>();
        inventory.bays(hostIds).forEach(b -> bays.computeIfAbsent(b.hostId(), k -> new HashMap<>()).put(b.slot(), b));
        Map<Long, Map<Integer, HostInventory.ShardFs>> shards = new HashMap<>();
        inventory.shards(hostIds).forEach(s -> shards.computeIfAbsent(s.hostId(), k -> new HashMap<>()).put(s.slot(), s));
        return Assessment.of(vault.geometry(), members, new Assessment.Inventory(hosts, bays, shards));
    }

    Optional<Stored> find(int vaultId) {
        return jdbc.sql("""
                        SELECT id, state, data_shards, parity_shards, width, tome_count, first_slot, burn_in_until, health, writable
                        FROM vault WHERE id = ?""")
                .param(vaultId).query(VaultKeeper::stored).optional();
    }

    private void storeTomes(int vaultId, Assessment a, Instant now) {
        Map<Integer, Tome> before = new HashMap<>();
        jdbc.sql("SELECT tome, health, lost, at_risk FROM tome WHERE vault_id = ?").param(vaultId)
                .query(rs -> {
                    before.put(rs.getInt(1), new Tome(rs.getInt(1), TomeHealth.valueOf(rs.getString(2)), rs.getInt(3),
                            rs.getInt(4), List.of()));
                });
        List<Object[]> changed = new ArrayList<>();
        for (Tome t : a.tomes()) {
            Tome old = before.get(t.index());
            if (old != null && old.health() == t.health() && old.lost() == t.lost() && old.atRisk() == t.atRisk()) {
                continue;
            }
            TomeHealth was = old == null ? TomeHealth.HEALTHY : old.health();
            Timestamp since = Timestamp.from(now);
            changed.add(new Object[]{vaultId, t.index(), t.health().name(), t.lost(), t.atRisk(), since});
            if (t.health() != was) {
                events.add(vaultId, now, "tome-health", t.index(), was, t.health(), describe(t));
            }
        }
        if (!changed.isEmpty()) {
            template.batchUpdate("""
                    INSERT INTO tome (vault_id, tome, health, lost, at_risk, since) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (vault_id, tome) DO UPDATE SET lost = EXCLUDED.lost, at_risk = EXCLUDED.at_risk,
                      since = CASE WHEN tome.health = EXCLUDED.health THEN tome.since ELSE EXCLUDED.since END,
                      health = EXCLUDED.health""", changed);
        }
    }

    private static String describe(Tome t) {
        List<String> lost = t.shards().stream().filter(s -> s.status() == Shard.Status.LOST)
                .map(s -> "position " + s.position() + ": " + s.why()).toList();
        return t.lost() + " shard" + (t.lost() == 1 ? "" : "s") + " lost" + (lost.isEmpty() ? "" : " (" + String.join("; ", lost) + ")");
    }

    private static Stored stored(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        Timestamp burnIn = rs.getTimestamp(8);
        return new Stored(rs.getInt(1), VaultState.valueOf(rs.getString(2)),
                new Geometry(rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7)),
                burnIn == null ? null : burnIn.toInstant(), TomeHealth.valueOf(rs.getString(9)), rs.getBoolean(10));
    }
}
