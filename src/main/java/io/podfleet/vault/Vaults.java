package io.podfleet.vault;

import io.podfleet.fleet.HostInventory;
import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.security.AuditLog;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What operators and provisioning tools do to vaults: form one, replace the host at a position, mark a rebuild done,
 * drain, retire. Each change is checked against the placement rules and the lifecycle table, audited and recorded
 * as a vault event in the same transaction, and the vault is re-assessed before the answer.
 */
@Service
public class Vaults {

    /**
     * A request to form a vault. With {@code hosts} (ids by position) those hosts are checked; without, the server
     * picks eligible hosts of {@code datacenter} (and {@code profile}, when given).
     */
    public record Formation(Integer id, String name, String datacenter, String profile, Integer cluster, Integer dataShards,
                            Integer parityShards, List<Long> hosts) {
    }

    private final JdbcClient jdbc;
    private final HostInventory inventory;
    private final VaultKeeper keeper;
    private final VaultEvents events;
    private final VaultSettings settings;
    private final AuditLog audit;
    private final Clock clock;

    private final org.springframework.context.ApplicationEventPublisher publisher;

    Vaults(JdbcClient jdbc, HostInventory inventory, VaultKeeper keeper, VaultEvents events, VaultSettings settings,
           AuditLog audit, Clock clock, org.springframework.context.ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.inventory = inventory;
        this.keeper = keeper;
        this.events = events;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public int form(Formation f) {
        int data = f.dataShards() == null ? settings.dataShards() : f.dataShards();
        int parity = f.parityShards() == null ? settings.parityShards() : f.parityShards();
        if (data < 1) {
            throw new VaultProblems.InvalidField("dataShards", "must be at least 1");
        }
        if (parity < 1) {
            throw new VaultProblems.InvalidField("parityShards", "must be at least 1");
        }
        int width = data + parity;
        if (width > 100) {
            throw new VaultProblems.InvalidField("parityShards", "data + parity must be at most 100 hosts");
        }
        int cluster = f.cluster() == null ? 0 : f.cluster();
        if (cluster < 0 || cluster > 999) {
            throw new VaultProblems.InvalidField("cluster", "must be between 0 and 999");
        }
        if (f.id() != null && (f.id() < 1 || f.id() > 9999)) {
            throw new VaultProblems.InvalidField("id", "must be a vault number from 1 to 9999");
        }
        if (f.name() != null && (f.name().isBlank() || f.name().length() > 100)) {
            throw new VaultProblems.InvalidField("name", "must be 1 to 100 characters");
        }
        Set<Long> inVaults = membersOfAnyVault();
        List<Long> hostIds = f.hosts() != null ? f.hosts() : pick(f, width, inVaults);
        if (hostIds.size() != width) {
            throw new VaultProblems.InvalidField("hosts", "a " + data + " + " + parity + " vault needs " + width
                    + " hosts, one per position; got " + hostIds.size());
        }
        if (hostIds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new VaultProblems.InvalidField("hosts", "must not contain null");
        }
        Map<Long, HostInventory.Host> hosts = byId(inventory.hosts(hostIds));
        Map<Integer, Long> byPosition = new LinkedHashMap<>();
        for (int p = 0; p < hostIds.size(); p++) {
            byPosition.put(p, hostIds.get(p));
        }
        List<VaultProblems.Violation> violations = Placement.check(byPosition, hosts, inVaults,
                new Placement.Shape(f.datacenter(), null, null, null), Set.of());
        if (!violations.isEmpty()) {
            throw new VaultProblems.PlacementRefused(violations);
        }
        HostInventory.Host first = hosts.get(hostIds.get(0));
        int id = f.id() != null ? f.id() : jdbc.sql("SELECT GREATEST(COALESCE(max(id) + 1, ?), ?) FROM vault")
                .params(settings.firstVaultId(), settings.firstVaultId()).query(Integer.class).single();
        String name = f.name() != null ? f.name() : String.format("vault-%04d", id);
        if (keeper.find(id).isPresent()) {
            throw new VaultProblems.VaultIdTaken(id);
        }
        if (jdbc.sql("SELECT count(*) FROM vault WHERE name = ?").param(name).query(Long.class).single() > 0) {
            throw new VaultProblems.VaultNameTaken(name);
        }
        Instant now = clock.instant();
        try {
            jdbc.sql("""
                            INSERT INTO vault (id, name, datacenter, cluster, data_shards, parity_shards, width, tome_count,
                              first_slot, drive_capacity, state, state_since, created_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'FORMING', ?, ?)""")
                    .params(id, name, first.datacenter(), cluster, data, parity, width, first.driveCount(), first.firstSlot(),
                            first.driveCapacity(), Timestamp.from(now), Timestamp.from(now))
                    .update();
            for (Map.Entry<Integer, Long> e : byPosition.entrySet()) {
                join(id, e.getKey(), e.getValue(), false, now);
            }
        } catch (DuplicateKeyException e) {
            throw e.getMessage() != null && e.getMessage().contains("vault_member_host") ? new VaultProblems.HostTaken()
                    : new VaultProblems.VaultIdTaken(id);
        }
        events.add(id, now, "created", null, null, VaultState.FORMING, "formed " + name + " in " + first.datacenter() + ": "
                + data + " + " + parity + " over " + width + " hosts of " + first.driveCount() + " drives");
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("name", name);
        after.put("datacenter", first.datacenter());
        after.put("geometry", data + "+" + parity);
        after.put("hosts", hostIds);
        audit.record("vault.create", "vault:" + id, null, after);
        keeper.reassess(List.of(id), null);
        return id;
    }

    /** Puts {@code hostId} at {@code position} in place of the host there; its shards are rebuilt onto it. */
    @Transactional
    public void replace(int vaultId, int position, Long hostId, String reason) {
        if (hostId == null) {
            throw new VaultProblems.InvalidField("hostId", "is required");
        }
        VaultKeeper.Stored vault = lockHoldingHosts(vaultId);
        if (position < 0 || position >= vault.geometry().width()) {
            throw new VaultProblems.InvalidField("position", "must be between 0 and " + (vault.geometry().width() - 1));
        }
        Map<Integer, Long> members = members(vaultId);
        Long leaving = members.get(position);
        if (hostId.equals(leaving)) {
            throw new VaultProblems.InvalidField("hostId", "host " + hostId + " already holds position " + position);
        }
        Map<Long, HostInventory.Host> hosts = byId(inventory.hosts(new java.util.ArrayList<>(members.values())));
        hosts.putAll(byId(inventory.hosts(List.of(hostId))));
        Set<String> cabinets = new HashSet<>();
        members.forEach((p, h) -> {
            if (p != position && hosts.get(h) != null && hosts.get(h).cabinet() != null) {
                cabinets.add(hosts.get(h).cabinet());
            }
        });
        String datacenter = jdbc.sql("SELECT datacenter FROM vault WHERE id = ?").param(vaultId).query(String.class).single();
        Long capacity = jdbc.sql("SELECT drive_capacity FROM vault WHERE id = ?").param(vaultId).query(Long.class).optional().orElse(null);
        List<VaultProblems.Violation> violations = Placement.check(Map.of(position, hostId), hosts, membersOfAnyVault(),
                new Placement.Shape(datacenter, vault.geometry().tomeCount(), capacity, vault.geometry().firstSlot()), cabinets);
        if (!violations.isEmpty()) {
            throw new VaultProblems.PlacementRefused(violations);
        }
        Instant now = clock.instant();
        jdbc.sql("UPDATE vault_member SET left_at = ? WHERE vault_id = ? AND position = ? AND left_at IS NULL")
                .params(Timestamp.from(now), vaultId, position).update();
        try {
            join(vaultId, position, hostId, true, now);
        } catch (DuplicateKeyException e) {
            throw new VaultProblems.HostTaken();
        }
        String what = "position " + position + ": " + name(hosts, leaving) + " replaced by " + name(hosts, hostId)
                + (reason == null || reason.isBlank() ? "" : " (" + reason + ")") + "; its shards are being rebuilt";
        events.add(vaultId, now, "member-replaced", null, leaving, hostId, what);
        audit.record("vault.replace-member", "vault:" + vaultId, Map.of("position", position, "hostId", String.valueOf(leaving)),
                Map.of("position", position, "hostId", hostId, "reason", reason == null ? "" : reason));
        keeper.reassess(List.of(vaultId), null);
    }

    /** The rebuild onto the host at {@code position} is finished: its shards count again. */
    @Transactional
    public void rebuilt(int vaultId, int position) {
        lockHoldingHosts(vaultId);
        int changed = jdbc.sql("UPDATE vault_member SET rebuilding = false WHERE vault_id = ? AND position = ? AND left_at IS NULL AND rebuilding")
                .params(vaultId, position).update();
        if (changed == 0) {
            throw new VaultProblems.InvalidVaultTransition("position " + position + " of vault " + vaultId + " is not being rebuilt");
        }
        events.add(vaultId, clock.instant(), "member-rebuilt", null, null, position, "position " + position + " is rebuilt");
        audit.record("vault.member-rebuilt", "vault:" + vaultId, Map.of("position", position, "rebuilding", true),
                Map.of("position", position, "rebuilding", false));
        keeper.reassess(List.of(vaultId), null);
    }

    /** Stops writes so the data can be moved off. */
    @Transactional
    public void drain(int vaultId, String reason) {
        VaultKeeper.Stored vault = lockHoldingHosts(vaultId);
        move(vault, VaultState.DRAINING, reason);
        keeper.reassess(List.of(vaultId), null);
    }

    /** Ends a drained vault and frees its hosts for other vaults. */
    @Transactional
    public void retire(int vaultId, String reason) {
        VaultKeeper.Stored vault = lockHoldingHosts(vaultId);
        if (vault.state().canBecome(VaultState.RETIRED)) { // (else move refuses it, with its own reason)
            publisher.publishEvent(new VaultRetiring(vaultId));
        }
        move(vault, VaultState.RETIRED, reason);
        Instant now = clock.instant();
        int released = jdbc.sql("UPDATE vault_member SET left_at = ? WHERE vault_id = ? AND left_at IS NULL")
                .params(Timestamp.from(now), vaultId).update();
        jdbc.sql("UPDATE vault SET writable = false, not_writable = '[\"vault is RETIRED\"]'::jsonb WHERE id = ?")
                .param(vaultId).update();
        events.add(vaultId, now, "released", null, null, null, released + " hosts are free to join another vault");
    }

    private void move(VaultKeeper.Stored vault, VaultState to, String reason) {
        if (!vault.state().canBecome(to)) {
            throw new VaultProblems.InvalidVaultTransition("vault " + vault.id() + " is " + vault.state() + " and cannot become "
                    + to + (to == VaultState.RETIRED ? "; drain it first" : ""));
        }
        Instant now = clock.instant();
        jdbc.sql("UPDATE vault SET state = ?, state_since = ? WHERE id = ?").params(to.name(), Timestamp.from(now), vault.id()).update();
        String why = "by " + AuditLog.currentActor() + (reason == null || reason.isBlank() ? "" : ": " + reason);
        events.add(vault.id(), now, "state", null, vault.state(), to, why);
        audit.record("vault.state", "vault:" + vault.id(), Map.of("state", vault.state().name()),
                Map.of("state", to.name(), "reason", reason == null ? "" : reason));
    }

    private VaultKeeper.Stored lockHoldingHosts(int vaultId) {
        VaultKeeper.Stored vault = jdbc.sql("SELECT id FROM vault WHERE id = ? FOR UPDATE").param(vaultId).query(Integer.class)
                .optional().flatMap(keeper::find).orElseThrow(() -> new DomainProblem.NotFound("Vault", vaultId));
        if (!vault.state().holdsHosts()) {
            throw new VaultProblems.InvalidVaultTransition("vault " + vaultId + " is " + vault.state());
        }
        return vault;
    }

    private List<Long> pick(Formation f, int width, Set<Long> inVaults) {
        if (f.datacenter() == null || f.datacenter().isBlank()) {
            throw new VaultProblems.InvalidField("hosts", "give the hosts by position, or a datacenter to pick them from");
        }
        List<HostInventory.Host> candidates = inventory.placeable(f.datacenter(), f.profile());
        List<HostInventory.Host> picked = Placement.pick(candidates, inVaults, width);
        if (picked.isEmpty()) {
            long free = candidates.stream().filter(h -> !inVaults.contains(h.id())).count();
            long cabinets = candidates.stream().filter(h -> !inVaults.contains(h.id())).map(HostInventory.Host::cabinet).distinct().count();
            throw new VaultProblems.NotEnoughHosts("a vault needs " + width + " hosts of one drive shape in " + width
                    + " cabinets; " + f.datacenter() + (f.profile() == null ? "" : " has for profile " + f.profile() + ",")
                    + " has " + free + " healthy in-service hosts in no vault, in " + cabinets + " cabinets");
        }
        return picked.stream().map(HostInventory.Host::id).toList();
    }

    private void join(int vaultId, int position, long hostId, boolean rebuilding, Instant at) {
        jdbc.sql("INSERT INTO vault_member (vault_id, position, host_id, rebuilding, joined_at) VALUES (?, ?, ?, ?, ?)")
                .params(vaultId, position, hostId, rebuilding, Timestamp.from(at)).update();
    }

    private Map<Integer, Long> members(int vaultId) {
        Map<Integer, Long> m = new java.util.TreeMap<>();
        jdbc.sql("SELECT position, host_id FROM vault_member WHERE vault_id = ? AND left_at IS NULL").param(vaultId)
                .query(rs -> {
                    m.put(rs.getInt(1), rs.getLong(2));
                });
        return m;
    }

    private Set<Long> membersOfAnyVault() {
        return new HashSet<>(jdbc.sql("SELECT host_id FROM vault_member WHERE left_at IS NULL").query(Long.class).list());
    }

    private static Map<Long, HostInventory.Host> byId(List<HostInventory.Host> hosts) {
        Map<Long, HostInventory.Host> m = new HashMap<>();
        hosts.forEach(h -> m.put(h.id(), h));
        return m;
    }

    private static String name(Map<Long, HostInventory.Host> hosts, Long id) {
        HostInventory.Host h = id == null ? null : hosts.get(id);
        return h == null ? "host " + id : h.hostname();
    }
}
