package io.podfleet.admission;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The spare connections this instance holds per vault: reserved in the database ahead of the asks (counted in the
 * vault's {@code reserved}, so no instance can grant them), spent here without a database round trip. A request
 * thread takes one with {@link #take}; the ledger's writer alone plans the block changes of its next call
 * ({@link #plan}) and applies their answers ({@link #reserved}).
 *
 * <p>A block is sized {@code block-size} but at most a quarter of the vault's limit, so with small limits blocks
 * hold little (a limit under 4 gets none: every grant is decided by the database at the time). A block not drawn
 * on for {@code block-idle} is given back, and so is one whose vault stopped taking writes here ({@link #drop}).
 * Blocks are usable only while the database has seen them renewed recently ({@link #renewed}): the expiry job takes
 * back the blocks of an instance that stopped renewing, and this instance must have stopped spending them first.
 */
final class CapacityBlocks {

    private static final class Block {
        final AtomicInteger free = new AtomicInteger();
        /** Spare connections taken out of {@code free}, to be given back in the next call. */
        final AtomicInteger giveBack = new AtomicInteger();
        volatile int target;
        volatile int limit;
        volatile long lastAsked;
    }

    private final int blockSize;
    private final long idleNanos;
    private final long usableNanos;
    private final Map<Integer, Block> blocks = new ConcurrentHashMap<>();
    /** When the last renewal that committed began (writer thread), and until when the blocks may be spent. */
    private long lastRenewStarted = System.nanoTime() - 60_000_000_000L;
    private volatile long usableUntil = System.nanoTime();
    private volatile boolean closed;

    /**
     * @param usable how long after a renewal's call began the blocks may still be spent: less than the time after
     *               which the expiry job takes them back
     */
    CapacityBlocks(int blockSize, Duration idle, Duration usable) {
        this.blockSize = blockSize;
        this.idleNanos = idle.toNanos();
        this.usableNanos = usable.toNanos();
    }

    /** The spare connections wanted on a vault with this limit. */
    int targetFor(int limit) {
        return Math.min(blockSize, limit / 4);
    }

    /**
     * Takes one spare connection of the vault if this instance holds one; either way notes that the vault is asked
     * for, so that the writer tops its block up to the target for {@code limit}.
     */
    boolean take(int vault, int limit) {
        if (blockSize == 0 || closed) {
            return false;
        }
        Block b = blocks.computeIfAbsent(vault, v -> new Block());
        if (b.limit != limit) { // (written only when it changed: every request thread asking this vault reads these)
            b.target = targetFor(limit);
            b.limit = limit;
        }
        long now = System.nanoTime();
        b.lastAsked = now;
        if (b.target == 0 || now - usableUntil >= 0) {
            return false; // (a limit too small for blocks: what is held is given back with the next call)
        }
        for (int f = b.free.get(); f > 0; f = b.free.get()) {
            if (b.free.compareAndSet(f, f - 1)) {
                return true;
            }
        }
        return false;
    }

    /** Returns a spare connection taken but not spent. */
    void putBack(int vault) {
        blocks.get(vault).free.incrementAndGet();
    }

    /** Stops spending the vault's spare connections now; the writer gives them back with its next call. */
    void drop(int vault) {
        Block b = blocks.get(vault);
        if (b != null) {
            b.lastAsked = System.nanoTime() - idleNanos - 1;
            b.giveBack.addAndGet(b.free.getAndSet(0));
        }
    }

    /** Stops spending every block; the writer's next plan gives them all back. */
    void close() {
        closed = true;
        blocks.keySet().forEach(this::drop);
    }

    /**
     * The block changes for the writer's next call, vault to delta: a positive one asks for that many more spare
     * connections, a negative one gives that many back (already out of reach of {@link #take}). Writer thread only.
     */
    Map<Integer, Integer> plan() {
        Map<Integer, Integer> changes = new LinkedHashMap<>();
        long now = System.nanoTime();
        for (Map.Entry<Integer, Block> e : blocks.entrySet()) {
            Block b = e.getValue();
            if (closed || now - b.lastAsked > idleNanos) {
                b.giveBack.addAndGet(b.free.getAndSet(0));
            } else {
                for (int f = b.free.get(); f > b.target; f = b.free.get()) { // the limit went down
                    if (b.free.compareAndSet(f, b.target)) {
                        b.giveBack.addAndGet(f - b.target);
                        break;
                    }
                }
            }
            int back = b.giveBack.getAndSet(0);
            if (back > 0) {
                changes.put(e.getKey(), -back);
            } else if (!closed && now - b.lastAsked <= idleNanos && b.free.get() < b.target) {
                changes.put(e.getKey(), b.target - b.free.get());
            }
        }
        return changes;
    }

    /** A call with these changes failed: what it was to give back is given back with the next. */
    void failed(Map<Integer, Integer> changes) {
        changes.forEach((vault, delta) -> {
            if (delta < 0) {
                blocks.get(vault).giveBack.addAndGet(-delta);
            }
        });
    }

    /** The database reserved this many more spare connections on the vault. */
    void reserved(int vault, int slots) {
        if (slots > 0) {
            Block b = blocks.get(vault);
            if (closed) {
                b.giveBack.addAndGet(slots);
            } else {
                b.free.addAndGet(slots);
            }
        }
    }

    /**
     * Whether the next call must renew the blocks in the database (if it holds any): none renewed for a second, or
     * they may no longer be spent. Writer thread only.
     */
    boolean renewDue() {
        long now = System.nanoTime();
        return now - lastRenewStarted > 1_000_000_000L || now - usableUntil >= 0;
    }

    /** A call that renewed the blocks, begun at {@code started} (nano time), committed. Writer thread only. */
    void renewed(long started) {
        lastRenewStarted = started;
        usableUntil = started + usableNanos;
    }

    /** Whether any spare connection is held here or owed back: the writer keeps renewing and planning while so. */
    boolean holdsAny() {
        for (Block b : blocks.values()) {
            if (b.free.get() > 0 || b.giveBack.get() > 0 || System.nanoTime() - b.lastAsked <= idleNanos) {
                return true;
            }
        }
        return false;
    }

    /** The vault's limit as last asked for (the database's override, when set, wins over it). */
    int limitOf(int vault) {
        return blocks.get(vault).limit;
    }

    /** Spare connections held here now, per vault (for tests and the admission page). */
    int free(int vault) {
        Block b = blocks.get(vault);
        return b == null ? 0 : b.free.get();
    }
}
