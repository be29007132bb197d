package io.podfleet.admission;

import io.podfleet.vault.VaultCatalog;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Writes grants and ends in groups: a writer thread per instance takes every grant and end that queued while it was
 * writing its previous group, waits up to {@code group-linger} for more (larger groups cost the database less per
 * grant), and writes them with one call of the database function {@code admission_write} (one round trip, one
 * commit). Before, each lease was its own transaction and held its vault's counter row for the
 * whole of it, so with a few hot vaults grants queued on those rows; now a row is taken once per group, for as long
 * as the function runs. The database stays the arbiter: the function locks the counters of the vaults the group
 * touches in vault order, reads them as they are now, grants only on a writable vault under its limit, and writes
 * counters and lease rows in the same transaction, so instances writing their own groups never push a vault past
 * its limit. A group that fails (a deadlock with another instance, a bad row) is written again one entry at a time,
 * so one entry's error is only its own. This side only chooses: each ask's vaults in order (with the limit each
 * would have without an operator override), and on each vault a tome and the least busy pod this instance knows of
 * ({@link PodLoad}).
 *
 * <p>The same call writes the rows of leases already granted from this instance's spare connections
 * ({@link Placed}: answered before, never dropped, retried until written), gives back or reserves spare connections
 * as {@link CapacityBlocks} plans, and renews the instance's blocks about once a second. Asks that found no spare
 * connection wait for the call's commit as before.
 */
final class LeaseLedger {

    private static final Logger log = LoggerFactory.getLogger(LeaseLedger.class);
    /** Most entries in one transaction: bounds its statements' size; a busy instance still writes every few ms. */
    private static final int MOST_PER_GROUP = 256;
    /** Vaults one upload may try, in its order (the documented policy). */
    static final int VAULTS_TRIED = 4;

    /** A grant asked for: the vaults to try in order and their pods as last read. */
    record Ask(List<VaultChoice.Candidate> order, Map<Integer, List<VaultCatalog.Pod>> pods, Map<Long, Integer> podOpen,
               String clientId, Long sizeHint, String grantedBy, CompletableFuture<Granted> result) implements Entry {
    }

    /** A lease written, or {@code candidate == null} when every vault tried was full or stopped taking writes. */
    record Granted(VaultChoice.Candidate candidate, UUID id, int position, String hostname, int tome, Instant acquiredAt) {
        static final Granted REFUSED = new Granted(null, null, 0, null, 0, null);
    }

    /** An end asked for. */
    record End(UUID leaseId, Admission.Outcome outcome, Long bytes, Integer files, CompletableFuture<Closed> result)
            implements Entry {
    }

    /**
     * What became of an end: {@code acquiredAt} is set when this call ended the lease; {@code outcome} is the
     * lease's outcome (the earlier one when it had already ended); both null when no such lease exists.
     */
    record Closed(Admission.Outcome outcome, Instant acquiredAt, Instant endedAt) {
    }

    /**
     * A lease already granted from this instance's block and answered: its row is written behind, in the next group
     * (retried until written: its client holds it).
     */
    record Placed(UUID id, int vault, int position, long hostId, int tome, String clientId, Long sizeHint,
                  String grantedBy, Instant at) implements Entry {
    }

    /** Completes once everything queued before it is written (tests, and a clean stop). */
    record Barrier(CompletableFuture<Void> result) implements Entry {
    }

    sealed interface Entry permits Ask, End, Placed, Barrier {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AdmissionSettings settings;
    private final LeaseIds leaseIds;
    private final PodLoad podLoad;
    private final CapacityBlocks blocks;
    /** This instance's key in admission_block: new on every start, so a restarted instance never spends old blocks. */
    private final UUID instance = UUID.randomUUID();
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    /** Leases granted from blocks whose write failed: written with the next group. The writer thread's alone. */
    private final List<Placed> unwritten = new ArrayList<>();
    /**
     * One writer per instance. Four were tried: each group locks the same hot vault counters, so the writers queued
     * behind each other with groups of two entries instead of seven, and admission halved (docs/benchmarks.md).
     */
    private final Thread writer;
    private volatile boolean stopping;
    private final DistributionSummary groupSizes;
    private final Timer groupWrites;
    private final Timer groupCalls;

    LeaseLedger(JdbcClient jdbc, Clock clock, AdmissionSettings settings, MeterRegistry meters, PodLoad podLoad,
                CapacityBlocks blocks) {
        this.groupSizes = DistributionSummary.builder("podfleet.admission.group.entries")
                .description("grants and ends written in one transaction").register(meters);
        this.groupCalls = Timer.builder("podfleet.admission.group.call")
                .description("of a group's write, the call of the database function: round trip, run and commit").register(meters);
        this.groupWrites = Timer.builder("podfleet.admission.group.write")
                .description("time to write and commit one group of grants and ends").register(meters);
        this.jdbc = jdbc;
        this.clock = clock;
        this.leaseIds = new LeaseIds(clock);
        this.settings = settings;
        this.podLoad = podLoad;
        this.blocks = blocks;
        this.writer = new Thread(this::writeGroups, "admission-ledger");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * @param pods    each vault's pods as last read
     * @param podOpen open leases per pod ({@link PodLoad#key}) as read at the same time
     */
    CompletableFuture<Granted> grant(List<VaultChoice.Candidate> order, Map<Integer, List<VaultCatalog.Pod>> pods,
                                     Map<Long, Integer> podOpen, String clientId, Long sizeHint, String grantedBy) {
        Ask ask = new Ask(order.subList(0, Math.min(order.size(), VAULTS_TRIED)), pods, podOpen, clientId, sizeHint,
                grantedBy, new CompletableFuture<>());
        enqueue(ask);
        return ask.result();
    }

    CompletableFuture<Closed> end(UUID leaseId, Admission.Outcome outcome, Long bytes, Integer files) {
        End end = new End(leaseId, outcome, bytes, files, new CompletableFuture<>());
        enqueue(end);
        return end.result();
    }

    /** Queues the row of a lease granted from a block; it is written with the next group. */
    void placed(Placed lease) {
        queue.add(lease); // even while stopping: the writer's last call writes what is queued
    }

    /** Completes when everything queued so far is written. */
    CompletableFuture<Void> barrier() {
        Barrier b = new Barrier(new CompletableFuture<>());
        enqueue(b);
        return b.result();
    }

    UUID newLeaseId() {
        return leaseIds.next();
    }

    private void enqueue(Entry entry) {
        if (stopping) {
            throw new IllegalStateException("admission is shutting down");
        }
        queue.add(entry);
        if (stopping) {
            failQueued(); // stop() may have drained the queue just before this entry arrived
        }
    }

    /**
     * Stops taking grants and ends, writes the leases granted from blocks that are still queued and gives every
     * block back (a clean stop leaves nothing for the expiry job), then stops the writer.
     */
    void stop() {
        blocks.close();
        stopping = true;
        queue.add(new Barrier(new CompletableFuture<>())); // wakes the writer for its last call
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
            log.warn("The admission writer did not finish in 10 s; blocks it held return through the expiry job");
        }
        failQueued();
    }

    private void failQueued() {
        List<Entry> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(e -> fail(e, new IllegalStateException("admission is shutting down")));
    }

    private void writeGroups() {
        List<Entry> group = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Entry first = blocks.holdsAny() || !unwritten.isEmpty() ? queue.poll(1, TimeUnit.SECONDS) : queue.take();
                if (first != null) {
                    group.add(first);
                }
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(group, MOST_PER_GROUP - 1);
            long until = System.nanoTime() + settings.groupLinger().toNanos();
            for (long left = until - System.nanoTime(); !group.isEmpty() && left > 0 && group.size() < MOST_PER_GROUP;
                 left = until - System.nanoTime()) {
                Entry next;
                try {
                    next = queue.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break; // write what is here; the loop ends after it
                }
                if (next == null) {
                    break;
                }
                group.add(next);
                queue.drainTo(group, MOST_PER_GROUP - group.size());
            }
            boolean last = stopping && queue.isEmpty();
            long started = System.nanoTime();
            try {
                writeAll(group);
                if (!group.isEmpty()) { // (not the upkeep of blocks alone, about once a second)
                    groupSizes.record(group.size());
                    groupWrites.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }
            } catch (Error e) {
                // the writer dies with it: refuse what is queued and what comes, rather than leave callers waiting
                stopping = true;
                group.forEach(one -> fail(one, e));
                failQueued();
                throw e;
            } finally {
                group.clear();
            }
            if (last) {
                return;
            }
        }
    }

    /**
     * Writes a group in one call; if that fails (a deadlock with another instance, one bad entry), its entries one
     * at a time, so an error is only its own entry's. Leases granted from blocks are never failed: they are kept
     * and written with the next group.
     */
    private void writeAll(List<Entry> group) {
        List<Entry> all = new ArrayList<>(unwritten);
        unwritten.clear();
        all.addAll(group);
        try {
            write(all);
        } catch (RuntimeException e) {
            if (all.size() > 1) {
                log.warn("A group of {} grants and ends failed; writing them one by one", all.size(), e);
            }
            for (Entry one : all) {
                try {
                    write(List.of(one));
                } catch (RuntimeException alone) {
                    if (one instanceof Placed p) {
                        unwritten.add(p);
                    } else {
                        fail(one, alone);
                    }
                }
            }
            if (!unwritten.isEmpty()) {
                log.warn("{} leases granted from blocks are not written yet; retrying with the next group", unwritten.size(), e);
                try {
                    Thread.sleep(100); // the database is likely unreachable: do not spin
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void fail(Entry entry, Throwable e) {
        if (entry instanceof Ask a) {
            a.result().completeExceptionally(e);
        } else if (entry instanceof End end) {
            end.result().completeExceptionally(e);
        } else if (entry instanceof Barrier b) {
            b.result().completeExceptionally(e);
        } else if (entry instanceof Placed p) {
            log.error("Lease {} granted from a block could not be written: {}", p.id(), e.toString());
        }
    }

    /**
     * Writes one group with one call of {@code admission_write} (migrations V14, V16, V18) in its own transaction:
     * one round trip and one commit, so the vaults' counter rows are held only while the database runs it. The call
     * also writes the rows of leases granted from blocks, changes this instance's blocks as {@link CapacityBlocks}
     * plans, and renews them when due. Answers the callers after the commit.
     */
    private void write(List<Entry> group) {
        Instant now = clock.instant();
        List<End> ends = new ArrayList<>();
        List<Ask> asks = new ArrayList<>();
        List<Placed> placed = new ArrayList<>();
        List<Barrier> barriers = new ArrayList<>();
        for (Entry e : group) {
            if (e instanceof End end) {
                ends.add(end);
            } else if (e instanceof Ask ask) {
                asks.add(ask);
            } else if (e instanceof Placed p) {
                placed.add(p);
            } else {
                barriers.add((Barrier) e);
            }
        }
        Map<Integer, Integer> changes = blocks.plan();
        boolean renew = blocks.renewDue() && (!changes.isEmpty() || blocks.holdsAny());
        if (ends.isEmpty() && asks.isEmpty() && placed.isEmpty() && changes.isEmpty() && !renew) {
            barriers.forEach(b -> b.result().complete(null));
            return;
        }
        Call call = new Call(asks, now);
        Map<UUID, Closed> closed = new HashMap<>();
        Map<UUID, Admission.Outcome> earlier = new HashMap<>();
        Map<UUID, Granted> granted = new HashMap<>();
        Map<Integer, Integer> reserved = new HashMap<>();
        long called = System.nanoTime();
        try {
            jdbc.sql("""
                            SELECT * FROM admission_write(?, ?, ?::uuid[], ?::text[], ?::bigint[], ?::int[],
                              ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::int[], ?::int[], ?::int[], ?::int[],
                              ?::int[], ?::bigint[], ?::uuid, ?, ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::int[],
                              ?::int[], ?::bigint[], ?::int[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::int[], ?::int[])""")
                    .params(Timestamp.from(now), Timestamp.from(now.plus(settings.leaseTtl())),
                            ends.stream().map(e -> e.leaseId().toString()).toArray(String[]::new),
                            ends.stream().map(e -> e.outcome().name()).toArray(String[]::new),
                            ends.stream().map(End::bytes).toArray(Long[]::new),
                            ends.stream().map(End::files).toArray(Integer[]::new),
                            call.ids.stream().map(UUID::toString).toArray(String[]::new),
                            asks.stream().map(Ask::clientId).toArray(String[]::new),
                            asks.stream().map(Ask::sizeHint).toArray(Long[]::new),
                            asks.stream().map(Ask::grantedBy).toArray(String[]::new),
                            call.candidateAsk.toArray(Integer[]::new), call.candidateVault.toArray(Integer[]::new),
                            call.candidateLimit.toArray(Integer[]::new), call.candidateTome.toArray(Integer[]::new),
                            call.candidatePosition.toArray(Integer[]::new), call.candidateHost.toArray(Long[]::new),
                            instance.toString(), renew,
                            placed.stream().map(p -> p.id().toString()).toArray(String[]::new),
                            placed.stream().map(Placed::clientId).toArray(String[]::new),
                            placed.stream().map(Placed::sizeHint).toArray(Long[]::new),
                            placed.stream().map(Placed::grantedBy).toArray(String[]::new),
                            placed.stream().map(Placed::vault).toArray(Integer[]::new),
                            placed.stream().map(Placed::position).toArray(Integer[]::new),
                            placed.stream().map(Placed::hostId).toArray(Long[]::new),
                            placed.stream().map(Placed::tome).toArray(Integer[]::new),
                            placed.stream().map(p -> Timestamp.from(p.at())).toArray(Timestamp[]::new),
                            placed.stream().map(p -> Timestamp.from(p.at().plus(settings.leaseTtl()))).toArray(Timestamp[]::new),
                            changes.keySet().toArray(Integer[]::new), changes.values().toArray(Integer[]::new),
                            changes.keySet().stream().map(blocks::limitOf).toArray(Integer[]::new))
                    .query(rs -> {
                        UUID id = rs.getObject(2, UUID.class);
                        switch (rs.getString(1)) {
                            case "E" -> {
                                closed.put(id, new Closed(Admission.Outcome.valueOf(rs.getString(6)), rs.getTimestamp(5).toInstant(), now));
                                podLoad.add(rs.getInt(3), rs.getInt(4), -1);
                            }
                            case "O" -> earlier.put(id, Admission.Outcome.valueOf(rs.getString(6)));
                            case "G" -> granted.put(id, call.granted(id, rs.getInt(3), rs.getInt(4)));
                            case "R" -> reserved.merge(rs.getInt(3), rs.getInt(4), Integer::sum);
                            default -> throw new IllegalStateException("admission_write answered " + rs.getString(1));
                        }
                    });
        } catch (RuntimeException e) {
            blocks.failed(changes);
            throw e;
        }
        groupCalls.record(System.nanoTime() - called, TimeUnit.NANOSECONDS);
        if (renew) {
            blocks.renewed(called);
        }
        reserved.forEach(blocks::reserved);
        Map<UUID, Admission.Outcome> endedHere = new HashMap<>();
        closed.forEach((id, c) -> endedHere.put(id, c.outcome()));
        for (End end : ends) {
            Closed first = closed.remove(end.leaseId());
            if (first != null) {
                end.result().complete(first);
            } else { // ended before, or by an earlier end of this group; or (null outcome) no such lease
                Admission.Outcome was = endedHere.getOrDefault(end.leaseId(), earlier.get(end.leaseId()));
                end.result().complete(new Closed(was, null, null));
            }
        }
        for (int i = 0; i < asks.size(); i++) {
            Granted made = granted.getOrDefault(call.ids.get(i), Granted.REFUSED);
            call.settle(i, made);
            asks.get(i).result().complete(made);
        }
        barriers.forEach(b -> b.result().complete(null));
    }

    /**
     * One call's grant arguments: each ask's lease id and candidates, each candidate with its tome and pod (the least
     * busy one this instance knows of). Counting an ask on its first candidate's pod before the call lets the next
     * ask of the group see it; {@link #settle} moves the count where the database put the grant.
     */
    private final class Call {
        final List<UUID> ids = new ArrayList<>();
        final List<Integer> candidateAsk = new ArrayList<>();
        final List<Integer> candidateVault = new ArrayList<>();
        final List<Integer> candidateLimit = new ArrayList<>();
        final List<Integer> candidateTome = new ArrayList<>();
        final List<Integer> candidatePosition = new ArrayList<>();
        final List<Long> candidateHost = new ArrayList<>();
        private final Map<Integer, VaultChoice.Candidate> vaults = new HashMap<>();
        private final Map<Integer, List<VaultCatalog.Pod>> members = new HashMap<>();
        private final Map<UUID, Map<Integer, Integer>> tomes = new HashMap<>();
        private final List<long[]> counted = new ArrayList<>(); // per ask: {vault, position} counted before the call
        private final Instant now;

        Call(List<Ask> asks, Instant now) {
            this.now = now;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < asks.size(); i++) {
                Ask ask = asks.get(i);
                podLoad.adopt(ask.podOpen());
                UUID id = leaseIds.next();
                ids.add(id);
                Map<Integer, Integer> tomeByVault = new HashMap<>();
                tomes.put(id, tomeByVault);
                long[] first = null;
                for (VaultChoice.Candidate c : ask.order()) {
                    VaultCatalog.WritableVault vault = c.vault();
                    List<VaultCatalog.Pod> offered = members.computeIfAbsent(vault.id(), v -> {
                        List<VaultCatalog.Pod> all = ask.pods().getOrDefault(v, List.of());
                        List<VaultCatalog.Pod> available = all.stream().filter(VaultCatalog.Pod::available).toList();
                        return available.isEmpty() ? all : available; // a writable vault has at most one member unavailable; never fail a grant on this
                    });
                    VaultCatalog.Pod pod = podLoad.leastBusy(vault.id(), offered, random);
                    if (pod == null) {
                        continue; // no pod to count it on (a vault read without its members)
                    }
                    int tome = random.nextInt(Math.max(1, vault.tomeCount())); // writable: every tome takes writes
                    tomeByVault.put(vault.id(), tome);
                    candidateAsk.add(i + 1);
                    candidateVault.add(vault.id());
                    candidateLimit.add(ConnectionLimit.of(null, vault.burnInUntil(), now, settings).limit());
                    candidateTome.add(tome);
                    candidatePosition.add(pod.position());
                    candidateHost.add(pod.hostId());
                    vaults.putIfAbsent(vault.id(), c);
                    if (first == null) {
                        first = new long[]{vault.id(), pod.position()};
                        podLoad.add(vault.id(), pod.position(), 1);
                    }
                }
                counted.add(first);
            }
        }

        /** Moves ask {@code i}'s count from its first candidate's pod to where it was granted, or drops it. */
        void settle(int i, Granted made) {
            long[] first = counted.get(i);
            if (first == null || (made.candidate() != null && made.candidate().vault().id() == first[0] && made.position() == first[1])) {
                return;
            }
            podLoad.add((int) first[0], (int) first[1], -1);
            if (made.candidate() != null) {
                podLoad.add(made.candidate().vault().id(), made.position(), 1);
            }
        }

        Granted granted(UUID id, int vault, int position) {
            String hostname = members.getOrDefault(vault, List.of()).stream().filter(p -> p.position() == position)
                    .findFirst().map(VaultCatalog.Pod::hostname).orElse(null);
            return new Granted(vaults.get(vault), id, position, hostname, tomes.get(id).get(vault), now);
        }
    }
}
