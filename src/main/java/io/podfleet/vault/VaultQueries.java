package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;
import io.podfleet.platform.problem.DomainProblem;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the read API shows of vaults: summaries from the last assessment, members, the tome matrix computed fresh. */
@Component
public class VaultQueries {

    public record Capacity(long rawBytes, long usableBytes, long usedBytes, long freeBytes, double utilization) {
    }

    public record VaultSummary(int id, String name, String datacenter, int cluster, VaultState state, Instant stateSince,
                        Instant burnInUntil, int dataShards, int parityShards, int width, int tomeCount, Long driveCapacityBytes,
                        TomeHealth health, int membersOk, int members, int drivesOnline, int drivesOffline,
                        Map<TomeHealth, Integer> tomesByHealth, Capacity capacity, boolean writable,
                        List<String> notWritableBecause, Instant assessedAt, Instant createdAt) {
    }

    public record Member(int position, long hostId, String hostname, String cabinet, String health, String adminState,
                  boolean available, boolean rebuilding, Instant joinedAt) {
    }

    public record VaultDetail(VaultSummary vault, List<Member> members) {
    }

    public record TomeRow(int tome, int slot, TomeHealth health, int lost, int atRisk, List<Shard> shards) {
    }

    public record Matrix(int vaultId, int width, int tomeCount, int firstSlot, Map<TomeHealth, Integer> tomesByHealth,
                  List<TomeRow> tomes) {
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final VaultKeeper keeper;
    private final HostInventory inventory;
    private final JsonMapper json;

    VaultQueries(JdbcClient jdbc, VaultKeeper keeper, HostInventory inventory, JsonMapper json) {
        this.jdbc = jdbc;
        this.keeper = keeper;
        this.inventory = inventory;
        this.json = json;
    }

    public List<VaultSummary> list(String datacenter, VaultState state) {
        Map<Integer, Map<TomeHealth, Integer>> tomes = new HashMap<>();
        jdbc.sql("SELECT vault_id, health, count(*) FROM tome GROUP BY vault_id, health").query(rs -> {
            tomes.computeIfAbsent(rs.getInt(1), k -> emptyCounts()).put(TomeHealth.valueOf(rs.getString(2)), rs.getInt(3));
        });
        return jdbc.sql("SELECT * FROM vault WHERE (?::text IS NULL OR datacenter = ?) AND (?::text IS NULL OR state = ?) ORDER BY id")
                .params(datacenter, datacenter, state == null ? null : state.name(), state == null ? null : state.name())
                .query((RowMapper<VaultSummary>) (rs, i) -> summary(rs, tomes.getOrDefault(rs.getInt("id"), emptyCounts())))
                .list();
    }

    public VaultDetail one(int id) {
        Map<TomeHealth, Integer> tomes = emptyCounts();
        jdbc.sql("SELECT health, count(*) FROM tome WHERE vault_id = ? GROUP BY health").param(id).query(rs -> {
            tomes.put(TomeHealth.valueOf(rs.getString(1)), rs.getInt(2));
        });
        VaultSummary summary = jdbc.sql("SELECT * FROM vault WHERE id = ?").param(id)
                .query((RowMapper<VaultSummary>) (rs, i) -> summary(rs, tomes)).optional()
                .orElseThrow(() -> new DomainProblem.NotFound("Vault", id));
        record Row(int position, long hostId, boolean rebuilding, Instant joinedAt) {
        }
        List<Row> rows = jdbc.sql("""
                        SELECT position, host_id, rebuilding, joined_at FROM vault_member WHERE vault_id = ? AND left_at IS NULL
                        ORDER BY position""")
                .param(id).query((rs, i) -> new Row(rs.getInt(1), rs.getLong(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant()))
                .list();
        Map<Long, HostInventory.Host> hosts = new HashMap<>();
        inventory.hosts(rows.stream().map(Row::hostId).toList()).forEach(h -> hosts.put(h.id(), h));
        List<Member> members = rows.stream().map(r -> {
            HostInventory.Host h = hosts.get(r.hostId());
            return new Member(r.position(), r.hostId(), h == null ? null : h.hostname(), h == null ? null : h.cabinet(),
                    h == null ? null : h.health(), h == null ? null : h.adminState(), h != null && h.healthy() && h.inService(),
                    r.rebuilding(), r.joinedAt());
        }).toList();
        return new VaultDetail(summary, members);
    }

    /** The tome matrix as the members report it now (not the stored assessment, which may be a moment older). */
    public Matrix matrix(int id) {
        VaultKeeper.Stored vault = keeper.find(id).orElseThrow(() -> new DomainProblem.NotFound("Vault", id));
        Geometry g = vault.geometry();
        Map<TomeHealth, Integer> counts = emptyCounts();
        List<TomeRow> rows = keeper.matrix(vault).stream().map(r -> {
            counts.merge(r.tome().health(), 1, Integer::sum);
            return new TomeRow(r.tome().index(), g.firstSlot() + r.tome().index(), r.tome().health(), r.tome().lost(),
                    r.tome().atRisk(), r.shards());
        }).toList();
        return new Matrix(id, g.width(), g.tomeCount(), g.firstSlot(), counts, rows);
    }

    private VaultSummary summary(ResultSet rs, Map<TomeHealth, Integer> tomes) throws SQLException {
        int width = rs.getInt("width");
        int data = rs.getInt("data_shards");
        long raw = rs.getLong("raw_bytes");
        Capacity capacity = new Capacity(raw, raw * data / width, rs.getLong("used_bytes"), rs.getLong("free_bytes"),
                rs.getDouble("utilization"));
        return new VaultSummary(rs.getInt("id"), rs.getString("name"), rs.getString("datacenter"), rs.getInt("cluster"),
                VaultState.valueOf(rs.getString("state")), instant(rs, "state_since"), instant(rs, "burn_in_until"), data,
                rs.getInt("parity_shards"), width, rs.getInt("tome_count"), (Long) rs.getObject("drive_capacity"),
                TomeHealth.valueOf(rs.getString("health")), rs.getInt("members_ok"),
                VaultState.valueOf(rs.getString("state")).holdsHosts() ? width : 0, rs.getInt("drives_online"),
                rs.getInt("drives_offline"), tomes, capacity, rs.getBoolean("writable"),
                json.readValue(rs.getString("not_writable"), STRINGS), instant(rs, "assessed_at"), instant(rs, "created_at"));
    }

    private static Map<TomeHealth, Integer> emptyCounts() {
        Map<TomeHealth, Integer> m = new EnumMap<>(TomeHealth.class);
        for (TomeHealth h : TomeHealth.values()) {
            m.put(h, 0);
        }
        return m;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
