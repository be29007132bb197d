package io.podfleet.admission;

import io.podfleet.vault.VaultCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes grants and ends in groups: one writer thread per instance takes every grant and end that queued while the
 * previous group was being written and commits them in one transaction (group commit). A vault's counter row is
 * then locked and flushed once per group instead of once per lease, which is what bounded admission before (each
 * lease held its vault's row until its own commit reached the disk). The database stays the arbiter: the group
 * locks the counter rows it needs, in vault order, reads them as they are now, grants only while {@code active <
 * limit} on a writable vault, and writes counters and lease rows in the same transaction, so instances writing
 * their own groups can never push a vault past its limit. A group that fails (a deadlock with another instance, a
 * bad row) is written again one entry at a time, so one entry's error is only its own.
 *
 * <p>Lock order, shared with the expiry job: lease rows, then vault counters in vault order, then pod counters
 * (which only a holder of their vault's row changes).
 */
final class LeaseLedger {

    private static final Logger log = LoggerFactory.getLogger(LeaseLedger.class);
    /** Most entries in one transaction: bounds its statements' size; a busy instance still writes every few ms. */
    private static final int MOST_PER_GROUP = 256;
    /** Vaults one upload may try, in its order (the documented policy). */
    static final int VAULTS_TRIED = 4;

    /** A grant asked for: the vaults to try in order and their pods as last read. */
    record Ask(List<VaultChoice.Candidate> order, Map<Integer, List<VaultCatalog.Pod>> pods, String clientId,
               Long sizeHint, String grantedBy, CompletableFuture<Granted> result) implements Entry {
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

    sealed interface Entry permits Ask, End {
        CompletableFuture<?> result();
    }

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final AdmissionSettings settings;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    LeaseLedger(JdbcClient jdbc, TransactionOperations transactions, Clock clock, AdmissionSettings settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.settings = settings;
        this.writer = new Thread(this::writeGroups, "admission-ledger");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    CompletableFuture<Granted> grant(List<VaultChoice.Candidate> order, Map<Integer, List<VaultCatalog.Pod>> pods,
                                     String clientId, Long sizeHint, String grantedBy) {
        Ask ask = new Ask(order.subList(0, Math.min(order.size(), VAULTS_TRIED)), pods, clientId, sizeHint, grantedBy,
                new CompletableFuture<>());
        enqueue(ask);
        return ask.result();
    }

    CompletableFuture<Closed> end(UUID leaseId, Admission.Outcome outcome, Long bytes, Integer files) {
        End end = new End(leaseId, outcome, bytes, files, new CompletableFuture<>());
        enqueue(end);
        return end.result();
    }

    private void enqueue(Entry entry) {
        if (!writer.isAlive()) {
            throw new IllegalStateException("admission is shutting down");
        }
        queue.add(entry);
    }

    void stop() {
        writer.interrupt();
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Entry> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(e -> fail(e, new IllegalStateException("admission is shutting down")));
    }

    private void writeGroups() {
        List<Entry> group = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(group, MOST_PER_GROUP - 1);
            try {
                write(group);
            } catch (RuntimeException e) {
                if (group.size() == 1) {
                    fail(group.get(0), e);
                } else {
                    log.debug("A group of {} grants and ends failed; writing them one by one", group.size(), e);
                    for (Entry one : group) {
                        try {
                            write(List.of(one));
                        } catch (RuntimeException alone) {
                            fail(one, alone);
                        }
                    }
                }
            } catch (Error e) {
                group.forEach(one -> fail(one, e));
                throw e;
            } finally {
                group.clear();
            }
        }
    }

    private static void fail(Entry entry, Throwable e) {
        entry.result().completeExceptionally(e);
    }

    /** Writes one group in one transaction; answers its callers only after the commit. */
    private void write(List<Entry> group) {
        Instant now = clock.instant();
        List<End> ends = new ArrayList<>();
        List<Ask> asks = new ArrayList<>();
        for (Entry e : group) {
            if (e instanceof End end) {
                ends.add(end);
            } else {
                asks.add((Ask) e);
            }
        }
        Answers answers = transactions.execute(status -> {
            Map<UUID, EndedRow> ended = endLeases(ends, now);
            Map<UUID, Admission.Outcome> earlier = earlierOutcomes(ends, ended);
            Map<Integer, Counter> counters = lockCounters(asks, ended.values());
            ended.values().forEach(row -> counters.get(row.vault()).release(row.position()));
            List<Granted> granted = new ArrayList<>(asks.size());
            List<Grant> writes = new ArrayList<>();
            for (Ask ask : asks) {
                Grant grant = place(ask, counters, now);
                if (grant != null) {
                    writes.add(grant);
                }
                granted.add(grant == null ? Granted.REFUSED : grant.granted());
            }
            writeCounters(counters.values(), writes, now);
            return new Answers(ended, earlier, granted);
        });
        answer(ends, asks, answers, now);
    }

    private record Answers(Map<UUID, EndedRow> ended, Map<UUID, Admission.Outcome> earlier, List<Granted> granted) {
    }

    private record EndedRow(int vault, int position, Instant acquiredAt, Admission.Outcome outcome) {
    }

    private static void answer(List<End> ends, List<Ask> asks, Answers answers, Instant now) {
        Map<UUID, EndedRow> unclaimed = new HashMap<>(answers.ended());
        for (End end : ends) {
            EndedRow row = unclaimed.remove(end.leaseId());
            if (row != null) {
                end.result().complete(new Closed(row.outcome(), row.acquiredAt(), now));
            } else if (answers.ended().containsKey(end.leaseId())) { // ended twice in one group: the first call ended it
                end.result().complete(new Closed(answers.ended().get(end.leaseId()).outcome(), null, null));
            } else {
                end.result().complete(new Closed(answers.earlier().get(end.leaseId()), null, null));
            }
        }
        for (int i = 0; i < asks.size(); i++) {
            asks.get(i).result().complete(answers.granted().get(i));
        }
    }

    /** Ends the open leases among the ends asked for; returns them with where they were. */
    private Map<UUID, EndedRow> endLeases(List<End> ends, Instant now) {
        if (ends.isEmpty()) {
            return Map.of();
        }
        Map<UUID, End> first = new LinkedHashMap<>();
        ends.forEach(e -> first.putIfAbsent(e.leaseId(), e));
        Map<UUID, EndedRow> ended = new HashMap<>();
        jdbc.sql("""
                        UPDATE upload_lease l SET ended_at = ?, outcome = c.outcome, bytes = c.bytes, files = c.files
                        FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::int[]) AS c(id, outcome, bytes, files)
                        WHERE l.id = c.id AND l.ended_at IS NULL
                        RETURNING l.id, l.vault_id, l.position, l.acquired_at, l.outcome""")
                .params(Timestamp.from(now),
                        first.keySet().stream().map(UUID::toString).toArray(String[]::new),
                        first.values().stream().map(e -> e.outcome().name()).toArray(String[]::new),
                        first.values().stream().map(End::bytes).toArray(Long[]::new),
                        first.values().stream().map(End::files).toArray(Integer[]::new))
                .query(rs -> {
                    ended.put(rs.getObject(1, UUID.class),
                            new EndedRow(rs.getInt(2), rs.getInt(3), rs.getTimestamp(4).toInstant(),
                                    Admission.Outcome.valueOf(rs.getString(5))));
                });
        return ended;
    }

    /** The outcome of each lease asked to end that this group did not end: ended before, or (absent) never granted. */
    private Map<UUID, Admission.Outcome> earlierOutcomes(List<End> ends, Map<UUID, EndedRow> ended) {
        String[] others = ends.stream().map(End::leaseId).filter(id -> !ended.containsKey(id)).distinct()
                .map(UUID::toString).toArray(String[]::new);
        if (others.length == 0) {
            return Map.of();
        }
        Map<UUID, Admission.Outcome> outcomes = new HashMap<>();
        jdbc.sql("SELECT id, outcome FROM upload_lease WHERE id = ANY(?::uuid[]) AND outcome IS NOT NULL")
                .param(others)
                .query(rs -> {
                    outcomes.put(rs.getObject(1, UUID.class), Admission.Outcome.valueOf(rs.getString(2)));
                });
        return outcomes;
    }

    /**
     * Locks the counter rows of the vaults this group touches, in vault order (so groups of several instances, and
     * the expiry job, never wait on each other in a cycle), and reads them and their pods' counters.
     */
    private Map<Integer, Counter> lockCounters(List<Ask> asks, Iterable<EndedRow> ended) {
        TreeSet<Integer> vaults = new TreeSet<>();
        asks.forEach(a -> a.order().forEach(c -> vaults.add(c.vault().id())));
        ended.forEach(row -> vaults.add(row.vault()));
        Map<Integer, Counter> counters = new TreeMap<>();
        if (vaults.isEmpty()) {
            return counters;
        }
        // the pods' counts are read in the same statement: only holders of a vault's row change its pods' counts
        jdbc.sql("""
                        SELECT a.vault_id, a.active, a.limit_override, w.writable,
                          ARRAY(SELECT p.position FROM pod_admission p WHERE p.vault_id = a.vault_id ORDER BY p.position),
                          ARRAY(SELECT p.active FROM pod_admission p WHERE p.vault_id = a.vault_id ORDER BY p.position)
                        FROM vault_admission a JOIN vault w ON w.id = a.vault_id
                        WHERE a.vault_id = ANY(?) ORDER BY a.vault_id FOR UPDATE OF a""")
                .param(vaults.toArray(Integer[]::new))
                .query(rs -> {
                    Integer[] positions = (Integer[]) rs.getArray(5).getArray();
                    Integer[] active = (Integer[]) rs.getArray(6).getArray();
                    Map<Integer, int[]> pods = new HashMap<>();
                    for (int i = 0; i < positions.length; i++) {
                        pods.put(positions[i], new int[]{active[i], 0});
                    }
                    counters.put(rs.getInt(1), new Counter(rs.getInt(1), rs.getInt(2), (Integer) rs.getObject(3),
                            rs.getBoolean(4), pods));
                });
        return counters;
    }

    /** A vault's counter as locked by this group, and what the group changes in it and its pods. */
    private static final class Counter {
        final int vault;
        int active;
        int delta;
        final Integer override;
        final boolean writable;
        final Map<Integer, int[]> pods; // position -> {active as read, this group's change}

        Counter(int vault, int active, Integer override, boolean writable, Map<Integer, int[]> pods) {
            this.vault = vault;
            this.active = active;
            this.override = override;
            this.writable = writable;
            this.pods = pods;
        }

        void release(int position) {
            active--;
            delta--;
            int[] pod = pods.get(position);
            if (pod != null) {
                pod[1]--;
            }
        }

        /** The available pod with the fewest open leases (ties at random), or null when none has a counter row. */
        Integer leastBusy(List<VaultCatalog.Pod> members, ThreadLocalRandom random) {
            Integer best = null;
            int bestCount = Integer.MAX_VALUE;
            int ties = 0;
            for (VaultCatalog.Pod member : members) {
                int[] pod = pods.get(member.position());
                if (pod == null) {
                    continue;
                }
                int count = pod[0] + pod[1];
                if (count < bestCount) {
                    best = member.position();
                    bestCount = count;
                    ties = 1;
                } else if (count == bestCount && random.nextInt(++ties) == 0) {
                    best = member.position();
                }
            }
            return best;
        }
    }

    private record Grant(Granted granted, long hostId, Ask ask) {
    }

    /** The first vault in the ask's order with room, and its least busy pod; null when none has room. */
    private Grant place(Ask ask, Map<Integer, Counter> counters, Instant now) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (VaultChoice.Candidate candidate : ask.order()) {
            VaultCatalog.WritableVault vault = candidate.vault();
            Counter counter = counters.get(vault.id());
            if (counter == null || !counter.writable
                    || counter.active >= ConnectionLimit.of(counter.override, vault.burnInUntil(), now, settings).limit()) {
                continue;
            }
            List<VaultCatalog.Pod> members = ask.pods().getOrDefault(vault.id(), List.of());
            List<VaultCatalog.Pod> available = members.stream().filter(VaultCatalog.Pod::available).toList();
            // a writable vault has at most one member unavailable; never fail a grant on this
            Integer position = counter.leastBusy(available.isEmpty() ? members : available, random);
            if (position == null) {
                continue; // no pod to count the connection on: not this vault
            }
            VaultCatalog.Pod pod = members.stream().filter(p -> p.position() == position).findFirst().orElseThrow();
            counter.active++;
            counter.delta++;
            counter.pods.get(position)[1]++;
            int tome = random.nextInt(Math.max(1, vault.tomeCount())); // writable: every tome is HEALTHY or DEGRADED
            return new Grant(new Granted(candidate, UUID.randomUUID(), position, pod.hostname(), tome, now), pod.hostId(), ask);
        }
        return null;
    }

    /** The counters' net changes and the new lease rows, in one statement. */
    private void writeCounters(Iterable<Counter> counters, List<Grant> grants, Instant now) {
        List<Integer> vaults = new ArrayList<>();
        List<Integer> vaultDeltas = new ArrayList<>();
        List<Integer> podVaults = new ArrayList<>();
        List<Integer> podPositions = new ArrayList<>();
        List<Integer> podDeltas = new ArrayList<>();
        for (Counter c : counters) {
            if (c.delta != 0) {
                vaults.add(c.vault);
                vaultDeltas.add(c.delta);
            }
            c.pods.forEach((position, pod) -> {
                if (pod[1] != 0) {
                    podVaults.add(c.vault);
                    podPositions.add(position);
                    podDeltas.add(pod[1]);
                }
            });
        }
        if (vaults.isEmpty() && podVaults.isEmpty() && grants.isEmpty()) {
            return;
        }
        Timestamp at = Timestamp.from(now);
        jdbc.sql("""
                        WITH v AS (
                          UPDATE vault_admission a SET active = a.active + c.n, updated_at = ?
                          FROM unnest(?::int[], ?::int[]) AS c(vault_id, n) WHERE a.vault_id = c.vault_id),
                        p AS (
                          UPDATE pod_admission d SET active = d.active + c.n
                          FROM unnest(?::int[], ?::int[], ?::int[]) AS c(vault_id, position, n)
                          WHERE d.vault_id = c.vault_id AND d.position = c.position)
                        INSERT INTO upload_lease (id, vault_id, position, host_id, tome, client_id, size_hint, granted_by,
                          acquired_at, expires_at)
                        SELECT g.id, g.vault_id, g.position, g.host_id, g.tome, g.client_id, g.size_hint, g.granted_by, ?, ?
                        FROM unnest(?::uuid[], ?::int[], ?::int[], ?::bigint[], ?::int[], ?::text[], ?::bigint[], ?::text[])
                          AS g(id, vault_id, position, host_id, tome, client_id, size_hint, granted_by)""")
                .params(at, vaults.toArray(Integer[]::new), vaultDeltas.toArray(Integer[]::new),
                        podVaults.toArray(Integer[]::new), podPositions.toArray(Integer[]::new), podDeltas.toArray(Integer[]::new),
                        at, Timestamp.from(now.plus(settings.leaseTtl())),
                        grants.stream().map(g -> g.granted().id().toString()).toArray(String[]::new),
                        grants.stream().map(g -> g.granted().candidate().vault().id()).toArray(Integer[]::new),
                        grants.stream().map(g -> g.granted().position()).toArray(Integer[]::new),
                        grants.stream().map(Grant::hostId).toArray(Long[]::new),
                        grants.stream().map(g -> g.granted().tome()).toArray(Integer[]::new),
                        grants.stream().map(g -> g.ask().clientId()).toArray(String[]::new),
                        grants.stream().map(g -> g.ask().sizeHint()).toArray(Long[]::new),
                        grants.stream().map(g -> g.ask().grantedBy()).toArray(String[]::new))
                .update();
    }
}
