package io.podfleet.admission;

import io.micrometer.core.instrument.MeterRegistry;
import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.security.AuditLog;
import io.podfleet.vault.VaultCatalog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The dispatcher upload front-ends ask "where do I send this upload?". The database is the arbiter: a grant is a
 * conditional increment of the vault's counter ({@code active < limit}, and the vault still writable) in the same
 * transaction as the lease row, so no number of server instances can push a vault past its limit; ending or
 * expiring a lease decrements it in the same transaction that ends the lease, so the counter always equals the
 * number of open leases.
 */
@Service
class Admission {

    enum Outcome { COMPLETED, FAILED, ABANDONED }

    /** What the front-end gets: where to send the upload, until when. */
    record Lease(UUID leaseId, int vaultId, int pod, String hostname, int tome, String uploadUrl, Instant expiresAt) {
    }

    /** A lease after it ended (or was found already ended). */
    record Ended(UUID leaseId, Outcome outcome, boolean alreadyEnded) {
    }

    private final JdbcClient jdbc;
    private final VaultCatalog catalog;
    private final AdmissionSettings settings;
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry meters;
    private volatile Cached cached = new Cached(Instant.EPOCH, List.of(), Map.of());

    private record Cached(Instant at, List<VaultCatalog.WritableVault> vaults, Map<Integer, List<VaultCatalog.Pod>> pods) {
    }

    Admission(JdbcClient jdbc, VaultCatalog catalog, AdmissionSettings settings, AuditLog audit, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
    }

    @Transactional
    Lease acquire(String clientId, Long sizeHint, String datacenter, String grantedBy) {
        if (clientId == null || clientId.isBlank() || clientId.length() > 200) {
            throw new AdmissionProblems.InvalidField("clientId", "is required, at most 200 characters");
        }
        if (sizeHint != null && sizeHint < 0) {
            throw new AdmissionProblems.InvalidField("sizeHint", "must be 0 or more");
        }
        Instant now = clock.instant();
        Cached known = candidates(now);
        if (known.vaults().isEmpty()) {
            throw reject("no-writable-vault", "no vault takes writes");
        }
        Map<Integer, int[]> counters = new HashMap<>(); // vault -> {active, override or -1}
        jdbc.sql("SELECT vault_id, active, COALESCE(limit_override, -1) FROM vault_admission WHERE vault_id = ANY(?)")
                .param(known.vaults().stream().map(VaultCatalog.WritableVault::id).toArray(Integer[]::new))
                .query(rs -> {
                    counters.put(rs.getInt(1), new int[]{rs.getInt(2), rs.getInt(3)});
                });
        List<VaultChoice.Candidate> candidates = new ArrayList<>();
        for (VaultCatalog.WritableVault v : known.vaults()) {
            int[] c = counters.get(v.id());
            Integer override = c == null || c[1] < 0 ? null : c[1];
            candidates.add(new VaultChoice.Candidate(v, c == null ? 0 : c[0], ConnectionLimit.of(override, v.burnInUntil(), now, settings).limit()));
        }
        List<VaultChoice.Candidate> order = VaultChoice.order(candidates, datacenter, ThreadLocalRandom.current());
        for (VaultChoice.Candidate c : order.subList(0, Math.min(order.size(), 4))) {
            if (!counters.containsKey(c.vault().id())) {
                jdbc.sql("INSERT INTO vault_admission (vault_id, updated_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
                        .params(c.vault().id(), Timestamp.from(now)).update();
            }
            int granted = jdbc.sql("""
                            UPDATE vault_admission a SET active = a.active + 1, updated_at = ? FROM vault v
                            WHERE a.vault_id = ? AND v.id = a.vault_id AND v.writable AND a.active < ?""")
                    .params(Timestamp.from(now), c.vault().id(), c.limit()).update();
            if (granted == 1) {
                Lease lease = grant(c.vault(), known.pods().getOrDefault(c.vault().id(), List.of()), clientId, sizeHint, grantedBy, now);
                meters.counter("podfleet.admission.admits", "vault", Integer.toString(c.vault().id())).increment();
                return lease;
            }
        }
        throw reject("at-limit", order.isEmpty() ? "every writable vault is at its connection limit"
                : "the vaults tried are at their connection limit or stopped taking writes");
    }

    private Lease grant(VaultCatalog.WritableVault vault, List<VaultCatalog.Pod> pods, String clientId, Long sizeHint,
                        String grantedBy, Instant now) {
        Map<Integer, Integer> load = new HashMap<>();
        jdbc.sql("SELECT position, active FROM pod_admission WHERE vault_id = ?").param(vault.id())
                .query(rs -> {
                    load.put(rs.getInt(1), rs.getInt(2));
                });
        List<VaultCatalog.Pod> available = pods.stream().filter(VaultCatalog.Pod::available).toList();
        if (available.isEmpty()) {
            available = pods; // writable with every member unavailable cannot happen; never fail a granted slot on it
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        VaultCatalog.Pod pod = available.stream()
                .min(Comparator.comparingInt((VaultCatalog.Pod p) -> load.getOrDefault(p.position(), 0))
                        .thenComparingInt(p -> random.nextInt()))
                .orElseThrow(() -> new IllegalStateException("vault " + vault.id() + " has no members"));
        jdbc.sql("""
                        INSERT INTO pod_admission (vault_id, position, active) VALUES (?, ?, 1)
                        ON CONFLICT (vault_id, position) DO UPDATE SET active = pod_admission.active + 1""")
                .params(vault.id(), pod.position()).update();
        int tome = random.nextInt(Math.max(1, vault.tomeCount())); // writable: every tome is HEALTHY or DEGRADED
        UUID id = UUID.randomUUID();
        Instant expires = now.plus(settings.leaseTtl());
        jdbc.sql("""
                        INSERT INTO upload_lease (id, vault_id, position, host_id, tome, client_id, size_hint, granted_by,
                          acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, vault.id(), pod.position(), pod.hostId(), tome, clientId, sizeHint, grantedBy,
                        Timestamp.from(now), Timestamp.from(expires))
                .update();
        String url = UploadUrl.fill(settings.urlTemplate(), VaultChoice.urlValues(vault, pod.position(), tome, pod.hostname(), settings.domain()));
        return new Lease(id, vault.id(), pod.position(), pod.hostname(), tome, url, expires);
    }

    @Transactional
    Instant renew(UUID leaseId) {
        Instant expires = clock.instant().plus(settings.leaseTtl());
        int renewed = jdbc.sql("UPDATE upload_lease SET expires_at = ?, renewals = renewals + 1 WHERE id = ? AND ended_at IS NULL")
                .params(Timestamp.from(expires), leaseId).update();
        if (renewed == 0) {
            String outcome = jdbc.sql("SELECT outcome FROM upload_lease WHERE id = ?").param(leaseId).query(String.class)
                    .optional().orElseThrow(() -> new DomainProblem.NotFound("Lease", leaseId));
            throw new AdmissionProblems.LeaseEnded(leaseId.toString(), outcome);
        }
        return expires;
    }

    /** Ends a lease with what the upload did. Ending an ended lease changes nothing and says so. */
    @Transactional
    Ended release(UUID leaseId, Outcome outcome, Long bytes, Integer files) {
        if (outcome == null || outcome == Outcome.ABANDONED) {
            throw new AdmissionProblems.InvalidField("outcome", "is required: COMPLETED or FAILED");
        }
        if (bytes != null && bytes < 0) {
            throw new AdmissionProblems.InvalidField("bytes", "must be 0 or more");
        }
        if (files != null && files < 0) {
            throw new AdmissionProblems.InvalidField("files", "must be 0 or more");
        }
        Instant now = clock.instant();
        record Open(int vault, int position, Instant acquiredAt) {
        }
        List<Open> ended = jdbc.sql("""
                        UPDATE upload_lease SET ended_at = ?, outcome = ?, bytes = ?, files = ? WHERE id = ? AND ended_at IS NULL
                        RETURNING vault_id, position, acquired_at""")
                .params(Timestamp.from(now), outcome.name(), bytes, files, leaseId)
                .query((rs, i) -> new Open(rs.getInt(1), rs.getInt(2), rs.getTimestamp(3).toInstant())).list();
        if (ended.isEmpty()) {
            String was = jdbc.sql("SELECT outcome FROM upload_lease WHERE id = ?").param(leaseId).query(String.class)
                    .optional().orElseThrow(() -> new DomainProblem.NotFound("Lease", leaseId));
            return new Ended(leaseId, Outcome.valueOf(was), true);
        }
        Open o = ended.get(0);
        jdbc.sql("UPDATE vault_admission SET active = active - 1, updated_at = ? WHERE vault_id = ?")
                .params(Timestamp.from(now), o.vault()).update();
        jdbc.sql("UPDATE pod_admission SET active = active - 1 WHERE vault_id = ? AND position = ?").params(o.vault(), o.position()).update();
        meters.timer("podfleet.admission.lease.duration", "outcome", outcome.name())
                .record(Duration.between(o.acquiredAt(), now));
        return new Ended(leaseId, outcome, false);
    }

    /** Sets (or, with null, clears) a vault's operator limit; audited. */
    @Transactional
    ConnectionLimit setLimit(int vaultId, Integer limit) {
        if (limit != null && (limit < 0 || limit > 1_000_000)) {
            throw new AdmissionProblems.InvalidField("limit", "must be between 0 and 1000000, or null to clear the override");
        }
        Instant burnIn = catalog.burnInUntil(vaultId).orElse(null);
        if (!catalog.exists(vaultId)) {
            throw new DomainProblem.NotFound("Vault", vaultId);
        }
        Instant now = clock.instant();
        Integer before = jdbc.sql("SELECT limit_override FROM vault_admission WHERE vault_id = ? FOR UPDATE").param(vaultId)
                .query((rs, i) -> (Integer) rs.getObject(1)).optional().orElse(null);
        jdbc.sql("""
                        INSERT INTO vault_admission (vault_id, limit_override, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT (vault_id) DO UPDATE SET limit_override = EXCLUDED.limit_override, updated_at = EXCLUDED.updated_at""")
                .params(vaultId, limit, Timestamp.from(now)).update();
        ConnectionLimit was = ConnectionLimit.of(before, burnIn, now, settings);
        ConnectionLimit is = ConnectionLimit.of(limit, burnIn, now, settings);
        audit.record("vault.connection-limit", "vault:" + vaultId, was, is);
        return is;
    }

    /** A vault's limit now and its open leases. */
    record VaultLoad(int vaultId, int active, ConnectionLimit limit) {
    }

    List<VaultLoad> loads() {
        Instant now = clock.instant();
        return jdbc.sql("""
                        SELECT v.id, COALESCE(a.active, 0), a.limit_override, v.burn_in_until FROM vault v
                        LEFT JOIN vault_admission a ON a.vault_id = v.id WHERE v.state <> 'RETIRED' ORDER BY v.id""")
                .query((rs, i) -> {
                    Timestamp burnIn = rs.getTimestamp(4);
                    return new VaultLoad(rs.getInt(1), rs.getInt(2), ConnectionLimit.of((Integer) rs.getObject(3),
                            burnIn == null ? null : burnIn.toInstant(), now, settings));
                })
                .list();
    }

    private Cached candidates(Instant now) {
        Cached c = cached;
        if (now.isBefore(c.at().plus(settings.candidateCacheTtl())) && !now.isBefore(c.at())) {
            return c;
        }
        List<VaultCatalog.WritableVault> vaults = catalog.writable();
        Map<Integer, List<VaultCatalog.Pod>> pods = vaults.isEmpty() ? Map.of()
                : catalog.pods(vaults.stream().map(VaultCatalog.WritableVault::id).toList());
        Cached fresh = new Cached(now, vaults, pods);
        cached = fresh;
        return fresh;
    }

    /** Drops the cached list of writable vaults (tests, and after an operator change on this instance). */
    void forgetCandidates() {
        cached = new Cached(Instant.EPOCH, List.of(), Map.of());
    }

    private AdmissionProblems.NoTomesAvailable reject(String reason, String why) {
        meters.counter("podfleet.admission.rejections", "reason", reason).increment();
        return new AdmissionProblems.NoTomesAvailable(why, settings.retryAfter());
    }
}
