package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps each vault's stored tome health, lifecycle state, health, writability and capacity true to its members'
 * drives. A re-assessment locks the vault rows first, so two reports from hosts of one vault cannot store an older
 * view over a newer one. It reads a batch of vaults in a fixed number of queries (members, host states, slots,
 * tomes) whatever the batch size, and writes only tomes that changed, with an event for every health change.
 */
@Component
class VaultKeeper {

    /** The vault row as stored. */
    record Stored(int id, VaultState state, Geometry geometry, Instant burnInUntil, TomeHealth health, boolean writable) {
    }

    private static final String STORED = """
            SELECT id, state, data_shards, parity_shards, width, tome_count, first_slot, burn_in_until, health, writable FROM vault
            """;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final HostInventory inventory;
    private final VaultEvents events;
    private final VaultSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;

    VaultKeeper(JdbcClient jdbc, JdbcTemplate template, HostInventory inventory, VaultEvents events, VaultSettings settings,
                JsonMapper json, Clock clock, ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.template = template;
        this.inventory = inventory;
        this.events = events;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Re-assesses vaults in a transaction of their own: a failure here never undoes the report that asked for it.
     * The result is derived data that the next pass recomputes, so its commit does not wait for the WAL flush.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public int reassessAlone(Collection<Integer> vaultIds, Set<Long> changedHosts) {
        jdbc.sql("SET LOCAL synchronous_commit = off").update();
        return reassess(vaultIds, changedHosts).size();
    }

    /**
     * Re-assesses vaults inside the caller's transaction; retired and unknown ids are skipped. Only the members on
     * {@code changedHosts} are judged again from their drives (all members when null); the others' stored columns
     * are used as they are.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<Integer, Assessment> reassess(Collection<Integer> vaultIds, Set<Long> changedHosts) {
        List<Stored> vaults = jdbc.sql(STORED + " WHERE id = ANY(?) AND state <> 'RETIRED' ORDER BY id FOR UPDATE")
                .param(vaultIds.toArray(Integer[]::new)).query((RowMapper<Stored>) VaultKeeper::stored).list();
        if (vaults.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Assessment> assessed = assess(vaults, changedHosts);
        Instant now = clock.instant();
        Map<Integer, Map<Integer, Tome>> before = storedTomes(assessed.keySet());
        List<Object[]> vaultRows = new ArrayList<>();
        TomeWrites tomes = new TomeWrites();
        for (Stored vault : vaults) {
            Assessment a = assessed.get(vault.id());
            compareTomes(vault.id(), a, before.getOrDefault(vault.id(), Map.of()), now, tomes);
            vaultRows.add(summary(vault, a, now));
        }
        tomes.write(jdbc);
        template.batchUpdate("""
                UPDATE vault SET state = ?, state_since = CASE WHEN state <> ? THEN ? ELSE state_since END,
                  burn_in_until = ?, health = ?, writable = ?, not_writable = ?::jsonb, members_ok = ?, drives_online = ?,
                  drives_offline = ?, raw_bytes = ?, used_bytes = ?, free_bytes = ?, utilization = ?, assessed_at = ?
                WHERE id = ?""", vaultRows);
        return assessed;
    }

    /** Every cell of a vault's tome matrix with its reason, judged now from what its members reported. */
    List<Tome.Row> matrix(Stored vault) {
        List<Assessment.Member> members = jdbc.sql("""
                        SELECT position, host_id, rebuilding FROM vault_member WHERE vault_id = ? AND left_at IS NULL ORDER BY position""")
                .param(vault.id()).query((rs, i) -> new Assessment.Member(rs.getInt(1), rs.getLong(2), rs.getBoolean(3))).list();
        Assessment.Inventory known = inventory(members.stream().map(Assessment.Member::hostId).toList());
        List<List<Shard>> cells = Assessment.matrix(vault.geometry(), members, known);
        List<Tome.Row> rows = new ArrayList<>(cells.size());
        for (int t = 0; t < cells.size(); t++) {
            rows.add(new Tome.Row(Tome.of(t, cells.get(t), vault.geometry().parity()), cells.get(t)));
        }
        return rows;
    }

    Optional<Stored> find(int vaultId) {
        return jdbc.sql(STORED + " WHERE id = ?").param(vaultId).query((RowMapper<Stored>) VaultKeeper::stored).optional();
    }

    private Map<Integer, Assessment> assess(List<Stored> vaults, Set<Long> changedHosts) {
        record Row(int vaultId, Assessment.Member member, MemberColumn column) {
        }
        List<Row> rows = jdbc.sql("""
                        SELECT vault_id, position, host_id, rebuilding, cells, available, raw_bytes, used_bytes, free_bytes
                        FROM vault_member WHERE vault_id = ANY(?) AND left_at IS NULL ORDER BY vault_id, position""")
                .param(vaults.stream().map(Stored::id).toArray(Integer[]::new))
                .query((rs, i) -> {
                    Assessment.Member m = new Assessment.Member(rs.getInt(2), rs.getLong(3), rs.getBoolean(4));
                    String cells = rs.getString(5);
                    MemberColumn c = cells == null ? null : new MemberColumn(m.position(), m.hostId(), cells, rs.getBoolean(6),
                            rs.getLong(7), rs.getLong(8), rs.getLong(9));
                    return new Row(rs.getInt(1), m, c);
                })
                .list();
        Map<Integer, Stored> byId = new HashMap<>();
        vaults.forEach(v -> byId.put(v.id(), v));
        List<Long> stale = rows.stream()
                .filter(r -> r.column() == null || changedHosts == null || changedHosts.contains(r.member().hostId())
                        || r.column().cells().length() != byId.get(r.vaultId()).geometry().tomeCount())
                .map(r -> r.member().hostId()).toList();
        Assessment.Inventory known = stale.isEmpty() ? null : inventory(stale);
        Set<Long> rejudge = new HashSet<>(stale);
        Map<Integer, List<MemberColumn>> columns = new HashMap<>();
        List<Object[]> changed = new ArrayList<>();
        for (Row r : rows) {
            MemberColumn column = r.column();
            if (rejudge.contains(r.member().hostId())) {
                long host = r.member().hostId();
                column = MemberColumn.judge(r.member(), known.hosts().get(host), known.slots().getOrDefault(host, Map.of()),
                        byId.get(r.vaultId()).geometry());
                if (!column.equals(r.column())) {
                    changed.add(new Object[]{column.cells(), column.available(), column.rawBytes(), column.usedBytes(),
                            column.freeBytes(), r.vaultId(), r.member().position()});
                }
            }
            columns.computeIfAbsent(r.vaultId(), k -> new ArrayList<>()).add(column);
        }
        if (!changed.isEmpty()) {
            template.batchUpdate("""
                    UPDATE vault_member SET cells = ?, available = ?, raw_bytes = ?, used_bytes = ?, free_bytes = ?
                    WHERE vault_id = ? AND position = ? AND left_at IS NULL""", changed);
        }
        Map<Integer, Assessment> out = new LinkedHashMap<>();
        for (Stored v : vaults) {
            out.put(v.id(), Assessment.of(v.geometry(), columns.getOrDefault(v.id(), List.of())));
        }
        return out;
    }

    private Assessment.Inventory inventory(List<Long> hostIds) {
        Map<Long, HostInventory.HostStatus> hosts = new HashMap<>();
        inventory.statuses(hostIds).forEach(h -> hosts.put(h.id(), h));
        Map<Long, Map<Integer, HostInventory.Slot>> slots = new HashMap<>();
        inventory.slots(hostIds).forEach(s -> slots.computeIfAbsent(s.hostId(), k -> new HashMap<>()).put(s.slot(), s));
        return new Assessment.Inventory(hosts, slots);
    }

    /** The lifecycle step, health and writability events, and the vault row to write. */
    private Object[] summary(Stored vault, Assessment a, Instant now) {
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
            if (!w.writable()) {
                publisher.publishEvent(new VaultStoppedWriting(vault.id()));
            }
        }
        return new Object[]{state.name(), state.name(), Timestamp.from(now), burnInUntil == null ? null : Timestamp.from(burnInUntil),
                health.name(), w.writable(), json.writeValueAsString(w.reasons()), a.membersOk(), a.drivesOnline(),
                a.drivesOffline(), a.rawBytes(), a.usedBytes(), a.freeBytes(), a.utilization(), Timestamp.from(now), vault.id()};
    }

    private Map<Integer, Map<Integer, Tome>> storedTomes(Collection<Integer> vaultIds) {
        Map<Integer, Map<Integer, Tome>> before = new HashMap<>();
        jdbc.sql("SELECT vault_id, tome, health, lost, at_risk FROM tome WHERE vault_id = ANY(?)")
                .param(vaultIds.toArray(Integer[]::new))
                .query(rs -> {
                    before.computeIfAbsent(rs.getInt(1), k -> new HashMap<>()).put(rs.getInt(2),
                            new Tome(rs.getInt(2), TomeHealth.valueOf(rs.getString(3)), rs.getInt(4), rs.getInt(5), List.of()));
                });
        return before;
    }

    private void compareTomes(int vaultId, Assessment a, Map<Integer, Tome> before, Instant now, TomeWrites writes) {
        for (Tome t : a.tomes()) {
            Tome old = before.get(t.index());
            if (old != null && old.health() == t.health() && old.lost() == t.lost() && old.atRisk() == t.atRisk()) {
                continue;
            }
            writes.add(vaultId, t, now);
            TomeHealth was = old == null ? TomeHealth.HEALTHY : old.health();
            if (t.health() != was) {
                events.add(vaultId, now, "tome-health", t.index(), was, t.health(), describe(t));
            }
        }
    }

    /** Changed tome rows, written with one statement whatever their number. */
    private static final class TomeWrites {
        private final List<Integer> vaults = new ArrayList<>();
        private final List<Integer> tomes = new ArrayList<>();
        private final List<String> health = new ArrayList<>();
        private final List<Integer> lost = new ArrayList<>();
        private final List<Integer> atRisk = new ArrayList<>();
        private Timestamp at;

        void add(int vault, Tome t, Instant now) {
            vaults.add(vault);
            tomes.add(t.index());
            health.add(t.health().name());
            lost.add(t.lost());
            atRisk.add(t.atRisk());
            at = Timestamp.from(now);
        }

        void write(JdbcClient jdbc) {
            if (vaults.isEmpty()) {
                return;
            }
            jdbc.sql("""
                            INSERT INTO tome (vault_id, tome, health, lost, at_risk, since)
                            SELECT v, t, h, l, r, ? FROM unnest(?::int[], ?::int[], ?::varchar[], ?::int[], ?::int[]) AS x(v, t, h, l, r)
                            ON CONFLICT (vault_id, tome) DO UPDATE SET lost = EXCLUDED.lost, at_risk = EXCLUDED.at_risk,
                              since = CASE WHEN tome.health = EXCLUDED.health THEN tome.since ELSE EXCLUDED.since END,
                              health = EXCLUDED.health""")
                    .params(at, vaults.toArray(Integer[]::new), tomes.toArray(Integer[]::new), health.toArray(String[]::new),
                            lost.toArray(Integer[]::new), atRisk.toArray(Integer[]::new))
                    .update();
        }
    }

    private static String describe(Tome t) {
        return t.lost() + " shard" + (t.lost() == 1 ? "" : "s") + " lost" + (t.lost() == 0 ? ""
                : " (position" + (t.lost() == 1 ? " " : "s ") + String.join(", ", t.lostPositions().stream().map(String::valueOf).toList()) + ")")
                + (t.atRisk() == 0 ? "" : ", " + t.atRisk() + " at risk");
    }

    private static Stored stored(ResultSet rs, int i) throws SQLException {
        Timestamp burnIn = rs.getTimestamp(8);
        return new Stored(rs.getInt(1), VaultState.valueOf(rs.getString(2)),
                new Geometry(rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7)),
                burnIn == null ? null : burnIn.toInstant(), TomeHealth.valueOf(rs.getString(9)), rs.getBoolean(10));
    }
}
