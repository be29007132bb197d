package io.podfleet.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.podfleet.platform.problem.DomainProblem;
import io.podfleet.security.AuditLog;
import io.podfleet.vault.VaultCatalog;
import io.podfleet.vault.VaultStoppedWriting;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dispatcher upload front-ends ask "where do I send this upload?". The database is the arbiter: a grant is a
 * conditional increment of the vault's counter ({@code active < limit}, and the vault still writable) in the same
 * transaction as the lease row, so no number of server instances can push a vault past its limit; ending or
 * expiring a lease decrements it in the same transaction that ends the lease, so the counter always equals the
 * number of open leases.
 */
@Service
public class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

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
    private final UploadUrl uploadUrl;
    private final LeaseLedger ledger;
    private final PodLoad podLoad = new PodLoad();
    private final CapacityBlocks blocks;
    private final Counter blockGrants;
    private final Map<Integer, Counter> admits = new ConcurrentHashMap<>();
    private final Map<Outcome, Timer> durations = new ConcurrentHashMap<>();
    private volatile Cached cached = new Cached(Instant.EPOCH, List.of(), Map.of(), Map.of(), Map.of());
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicLong generation = new AtomicLong();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "admission-candidates");
        t.setDaemon(true);
        return t;
    });

    /**
     * Writable vaults, their pods, and the vault and pod counters as read at {@code at}: for choosing; the database
     * decides.
     */
    private record Cached(Instant at, List<VaultCatalog.WritableVault> vaults, Map<Integer, List<VaultCatalog.Pod>> pods,
                          Map<Integer, int[]> counters, Map<Long, Integer> podOpen) {

        List<VaultChoice.Candidate> candidates(Instant now, AdmissionSettings settings) {
            List<VaultChoice.Candidate> out = new ArrayList<>(vaults.size());
            for (VaultCatalog.WritableVault v : vaults) {
                int[] c = counters.get(v.id());
                Integer override = c == null || c[1] < 0 ? null : c[1];
                out.add(new VaultChoice.Candidate(v, c == null ? 0 : c[0], ConnectionLimit.of(override, v.burnInUntil(), now, settings).limit()));
            }
            return out;
        }
    }

    Admission(JdbcClient jdbc, VaultCatalog catalog, AdmissionSettings settings, AuditLog audit, Clock clock, MeterRegistry meters) {
        this.uploadUrl = new UploadUrl(settings.urlTemplate());
        // spent only while renewed within half a lease's life: the expiry job takes a block back after a whole one
        this.blocks = new CapacityBlocks(settings.blockSize(), settings.blockIdle(), settings.leaseTtl().dividedBy(2));
        this.ledger = new LeaseLedger(jdbc, clock, settings, meters, podLoad, blocks);
        this.blockGrants = Counter.builder("podfleet.admission.block.grants")
                .description("leases granted from this instance's spare connections, answered before their row was written").register(meters);
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Grants a lease on the first vault, of up to four in the choice's order, that has room, on its least busy
     * available pod. Where this instance holds a spare connection of one of those vaults ({@link CapacityBlocks}) the
     * lease is granted at once and its row written behind, with the next group; otherwise the grant is decided by
     * the database with whatever other grants and ends this instance has waiting, in one transaction
     * ({@link LeaseLedger}), and the answer comes after its commit.
     */
    Lease acquire(String clientId, Long sizeHint, String datacenter, String grantedBy) {
        if (clientId == null || clientId.isBlank() || clientId.length() > 200 || clientId.chars().anyMatch(Character::isISOControl)) {
            // (a control character, NUL above all, cannot be stored: the group it was written with would fail)
            throw new AdmissionProblems.InvalidField("clientId", "is required, at most 200 characters, no control characters");
        }
        if (sizeHint != null && sizeHint < 0) {
            throw new AdmissionProblems.InvalidField("sizeHint", "must be 0 or more");
        }
        Instant now = clock.instant();
        Cached known = candidates(now);
        if (known.vaults().isEmpty()) {
            throw reject("no-writable-vault", "no vault takes writes");
        }
        List<VaultChoice.Candidate> order = VaultChoice.order(known.candidates(now, settings), datacenter, ThreadLocalRandom.current());
        Lease spare = fromBlocks(order, known, clientId, sizeHint, grantedBy);
        if (spare != null) {
            return spare;
        }
        LeaseLedger.Granted granted = await(ledger.grant(order, known.pods(), known.podOpen(), clientId, sizeHint, grantedBy));
        if (granted.candidate() == null) {
            // the connections the database found taken may have been reserved into this instance's blocks meanwhile
            // (a top-up committed while this ask waited): a full vault has none spare here
            spare = fromBlocks(order, known, clientId, sizeHint, grantedBy);
            if (spare != null) {
                return spare;
            }
            throw reject("at-limit", order.size() <= LeaseLedger.VAULTS_TRIED ? "every writable vault is at its connection limit"
                    : "the vaults tried are at their connection limit or stopped taking writes");
        }
        VaultCatalog.WritableVault vault = granted.candidate().vault();
        admits.computeIfAbsent(vault.id(), v -> meters.counter("podfleet.admission.admits", "vault", Integer.toString(v))).increment();
        String url = uploadUrl.fill(VaultChoice.urlValues(vault, granted.position(), granted.tome(), granted.hostname(), settings.domain()));
        return new Lease(granted.id(), vault.id(), granted.position(), granted.hostname(), granted.tome(), url,
                granted.acquiredAt().plus(settings.leaseTtl()));
    }

    /** A lease on the first vault of the order (of those tried) where this instance holds a spare connection. */
    private Lease fromBlocks(List<VaultChoice.Candidate> order, Cached known, String clientId, Long sizeHint, String grantedBy) {
        for (int i = 0; i < Math.min(order.size(), LeaseLedger.VAULTS_TRIED); i++) {
            VaultChoice.Candidate c = order.get(i);
            if (blocks.take(c.vault().id(), c.limit())) {
                Lease lease = grantFromBlock(c, known, clientId, sizeHint, grantedBy);
                if (lease != null) {
                    return lease;
                }
            }
        }
        return null;
    }

    /** A lease on a spare connection this instance holds: answered now, its row written with the next group. */
    private Lease grantFromBlock(VaultChoice.Candidate c, Cached known, String clientId, Long sizeHint, String grantedBy) {
        VaultCatalog.WritableVault vault = c.vault();
        List<VaultCatalog.Pod> all = known.pods().getOrDefault(vault.id(), List.of());
        List<VaultCatalog.Pod> available = all.stream().filter(VaultCatalog.Pod::available).toList();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        VaultCatalog.Pod pod = podLoad.choose(vault.id(), available.isEmpty() ? all : available, known.podOpen(), random);
        if (pod == null) { // a vault read without its members: leave it to the database
            blocks.putBack(vault.id());
            return null;
        }
        int tome = random.nextInt(Math.max(1, vault.tomeCount())); // writable: every tome takes writes
        UUID id = ledger.newLeaseId();
        Instant at = clock.instant();
        ledger.placed(new LeaseLedger.Placed(id, vault.id(), pod.position(), pod.hostId(), tome, clientId, sizeHint, grantedBy, at));
        blockGrants.increment();
        admits.computeIfAbsent(vault.id(), v -> meters.counter("podfleet.admission.admits", "vault", Integer.toString(v))).increment();
        String url = uploadUrl.fill(VaultChoice.urlValues(vault, pod.position(), tome, pod.hostname(), settings.domain()));
        return new Lease(id, vault.id(), pod.position(), pod.hostname(), tome, url, at.plus(settings.leaseTtl()));
    }

    /** The ledger's answer; its failure is the caller's, as if the call had run on this thread. */
    private static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the grant or end was being written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Extends an open lease by the lease TTL from now. */
    Instant renew(UUID leaseId) {
        for (long waited = 0; ; waited += UNWRITTEN_POLL_MS) {
            Instant expires = clock.instant().plus(settings.leaseTtl());
            int renewed = jdbc.sql("UPDATE upload_lease SET expires_at = ?, renewals = renewals + 1 WHERE id = ? AND ended_at IS NULL")
                    .params(Timestamp.from(expires), leaseId).update();
            if (renewed > 0) {
                return expires;
            }
            Optional<String> outcome = jdbc.sql("SELECT outcome FROM upload_lease WHERE id = ?").param(leaseId).query(String.class).optional();
            if (outcome.isPresent()) {
                throw new AdmissionProblems.LeaseEnded(leaseId.toString(), outcome.get());
            }
            if (!mayBeUnwritten(leaseId, waited)) {
                throw new DomainProblem.NotFound("Lease", leaseId);
            }
            pause();
        }
    }

    /**
     * Whether an unknown lease may be one granted from a block of some instance moments ago, whose row is not
     * written yet: its id's time (the first 48 bits, {@link LeaseIds}) is within the last two seconds and this
     * caller has not waited that long for it.
     */
    private boolean mayBeUnwritten(UUID leaseId, long waitedMillis) {
        long age = clock.millis() - (leaseId.getMostSignificantBits() >>> 16);
        return waitedMillis < UNWRITTEN_WAIT_MS && age >= -UNWRITTEN_WAIT_MS && age < UNWRITTEN_WAIT_MS;
    }

    private static void pause() {
        try {
            Thread.sleep(UNWRITTEN_POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a lease to be written", e);
        }
    }

    /** How long a call naming a lease unknown here waits for its row, in case another instance just granted it. */
    private static final long UNWRITTEN_WAIT_MS = 2_000;
    private static final long UNWRITTEN_POLL_MS = 10;

    /**
     * Ends a lease with what the upload did and gives its connection back (written in a group, like grants). Ending
     * an ended lease changes nothing and says so. The answer completes after the group's commit, on the ledger's
     * writer thread (or the retry timer's, for a lease whose row may be unwritten yet): what depends on it must be
     * quick or hand itself off, as {@link AnswerWhenDone} does. A bad field is refused at once, by exception.
     */
    CompletableFuture<Ended> release(UUID leaseId, Outcome outcome, Long bytes, Integer files) {
        if (outcome == null || outcome == Outcome.ABANDONED) {
            throw new AdmissionProblems.InvalidField("outcome", "is required: COMPLETED or FAILED");
        }
        if (bytes != null && bytes < 0) {
            throw new AdmissionProblems.InvalidField("bytes", "must be 0 or more");
        }
        if (files != null && files < 0) {
            throw new AdmissionProblems.InvalidField("files", "must be 0 or more");
        }
        return end(leaseId, outcome, bytes, files, 0);
    }

    /** One try at ending the lease; an unknown one that may be unwritten yet is tried again a little later. */
    private CompletableFuture<Ended> end(UUID leaseId, Outcome outcome, Long bytes, Integer files, long waited) {
        return ledger.end(leaseId, outcome, bytes, files).thenCompose(closed -> {
            if (closed.outcome() == null) {
                if (!mayBeUnwritten(leaseId, waited)) {
                    return CompletableFuture.failedFuture(new DomainProblem.NotFound("Lease", leaseId));
                }
                return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(UNWRITTEN_POLL_MS, TimeUnit.MILLISECONDS))
                        .thenCompose(later -> end(leaseId, outcome, bytes, files, waited + UNWRITTEN_POLL_MS));
            }
            if (closed.acquiredAt() == null) {
                return CompletableFuture.completedFuture(new Ended(leaseId, closed.outcome(), true));
            }
            durations.computeIfAbsent(outcome, o -> meters.timer("podfleet.admission.lease.duration", "outcome", o.name()))
                    .record(Duration.between(closed.acquiredAt(), closed.endedAt()));
            return CompletableFuture.completedFuture(new Ended(leaseId, outcome, false));
        });
    }

    /** Sets (or, with null, clears) a vault's operator limit; audited. */
    @Transactional
    public ConnectionLimit setLimit(int vaultId, Integer limit) {
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
        // spare connections reserved here under the old limit are given back; other instances resize theirs when
        // they next read the candidates (admission.md)
        blocks.drop(vaultId);
        forgetCandidates();
        return is;
    }

    /**
     * A vault's limit now, its open leases, and the spare connections instances hold reserved for it (granted
     * without a database round trip; admission.md): a vault is full when {@code active + reserved} reach the limit.
     */
    public record VaultLoad(int vaultId, int active, int reserved, ConnectionLimit limit) {
    }

    public List<VaultLoad> loads() {
        return loads(null);
    }

    /** One vault's load, for a page that shows one vault (not every vault's, filtered). */
    public Optional<VaultLoad> load(int vaultId) {
        return loads(vaultId).stream().findFirst();
    }

    private List<VaultLoad> loads(Integer vaultId) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        SELECT v.id, COALESCE(a.active, 0), a.limit_override, v.burn_in_until, COALESCE(a.reserved, 0) FROM vault v
                        LEFT JOIN vault_admission a ON a.vault_id = v.id
                        WHERE v.state <> 'RETIRED' AND (?::int IS NULL OR v.id = ?) ORDER BY v.id""")
                .params(vaultId, vaultId)
                .query((rs, i) -> {
                    Timestamp burnIn = rs.getTimestamp(4);
                    return new VaultLoad(rs.getInt(1), rs.getInt(2), rs.getInt(5), ConnectionLimit.of((Integer) rs.getObject(3),
                            burnIn == null ? null : burnIn.toInstant(), now, settings));
                })
                .list();
    }

    /**
     * The cached candidates. A stale list is still served while one background refresh reads the next (the database
     * decides every grant, so a list a second old only risks a refused try); only a list never read (or dropped)
     * or ten times past its age is read on the caller's thread. Before, every request that found the list expired
     * ran the same five queries itself, all at once, once a second.
     */
    private Cached candidates(Instant now) {
        Cached c = cached;
        if (now.isBefore(c.at())) { // the clock went back: trust nothing read "in the future"
            return load(now);
        }
        Instant fresh = c.at().plus(settings.candidateCacheTtl());
        if (now.isBefore(fresh)) {
            return c;
        }
        if (c.at().equals(Instant.EPOCH) || !now.isBefore(c.at().plus(settings.candidateCacheTtl().multipliedBy(10)))) {
            return load(now);
        }
        if (refreshing.compareAndSet(false, true)) {
            try {
                refresher.execute(() -> {
                    try {
                        load(clock.instant());
                    } catch (RuntimeException e) {
                        log.warn("Reading the writable vaults for admission failed; the last list is kept", e);
                    } finally {
                        refreshing.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                refreshing.set(false); // shutting down
            }
        }
        return c;
    }

    private Cached load(Instant now) {
        long generation = this.generation.get();
        List<VaultCatalog.WritableVault> vaults = catalog.writable();
        if (vaults.isEmpty()) {
            return publish(new Cached(now, vaults, Map.of(), Map.of(), Map.of()), generation);
        }
        Integer[] ids = vaults.stream().map(VaultCatalog.WritableVault::id).toArray(Integer[]::new);
        Map<Integer, List<VaultCatalog.Pod>> pods = catalog.pods(List.of(ids));
        // every writable vault has its counter row, which a grant locks and checks (a pod's row is made by
        // admission_write on the pod's first grant; until then it has none open)
        jdbc.sql("INSERT INTO vault_admission (vault_id, updated_at) SELECT unnest(?::int[]), ? ON CONFLICT DO NOTHING")
                .params(ids, Timestamp.from(now)).update();
        Map<Integer, int[]> counters = new HashMap<>(); // vault -> {active, override or -1}
        jdbc.sql("SELECT vault_id, active, COALESCE(limit_override, -1) FROM vault_admission WHERE vault_id = ANY(?)")
                .param(ids).query(rs -> {
                    counters.put(rs.getInt(1), new int[]{rs.getInt(2), rs.getInt(3)});
                });
        Map<Long, Integer> podOpen = new HashMap<>();
        jdbc.sql("SELECT vault_id, position, active FROM pod_admission WHERE vault_id = ANY(?)")
                .param(ids).query(rs -> {
                    podOpen.put(PodLoad.key(rs.getInt(1), rs.getInt(2)), rs.getInt(3));
                });
        return publish(new Cached(now, vaults, pods, counters, Map.copyOf(podOpen)), generation);
    }

    /** Keeps what was read unless the list was dropped meanwhile: then it may predate the change that dropped it. */
    private synchronized Cached publish(Cached read, long generation) {
        if (this.generation.get() == generation) {
            cached = read;
        }
        return read;
    }

    @PreDestroy
    void stop() {
        ledger.stop();
        refresher.shutdownNow();
    }

    /**
     * A vault stopped taking writes in a transaction of this instance: its spare connections here are given back at
     * once and the candidate list read again, so this instance grants nothing more there. Other instances stop within
     * their candidate list's age ({@code candidate-cache-ttl}); see docs/admission.md.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void vaultStoppedWriting(VaultStoppedWriting stopped) {
        blocks.drop(stopped.vaultId());
        forgetCandidates();
    }

    /** Waits until every lease granted from blocks so far is written (tests). */
    void awaitWritten() {
        await(ledger.barrier());
    }

    /** Spare connections this instance holds on a vault (tests). */
    int spare(int vaultId) {
        return blocks.free(vaultId);
    }

    /** Drops the cached list of writable vaults (tests, and after an operator change on this instance). */
    synchronized void forgetCandidates() {
        generation.incrementAndGet(); // a read already under way (the background one) must not bring the old list back
        cached = new Cached(Instant.EPOCH, List.of(), Map.of(), Map.of(), Map.of());
    }

    private AdmissionProblems.NoTomesAvailable reject(String reason, String why) {
        meters.counter("podfleet.admission.rejections", "reason", reason).increment();
        return new AdmissionProblems.NoTomesAvailable(why, settings.retryAfter());
    }
}
