package io.podfleet.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Reports on disk until the server has committed them. A report is written to {@code tmp/}, fsynced, and renamed
 * into {@code ready/} (then the folder is fsynced), so a crash leaves either the whole report or none of it. Names
 * sort by age, so replay is oldest first. Bounded: past {@code maxBytes} the oldest reports are dropped and counted.
 * Reports the server refused as invalid go to {@code rejected/} with the server's answer beside them.
 */
final class Spool {

    /** One spooled report. */
    record Entry(Path file, UUID reportId, long bytes) {
    }

    private final Path ready;
    private final Path tmp;
    private final Path rejected;
    private final Path droppedFile;
    private final long maxBytes;
    private long sequence;

    Spool(Path dir, long maxBytes) throws IOException {
        this.ready = Files.createDirectories(dir.resolve("ready"));
        this.tmp = Files.createDirectories(dir.resolve("tmp"));
        this.rejected = Files.createDirectories(dir.resolve("rejected"));
        this.droppedFile = dir.resolve("dropped.count");
        this.maxBytes = maxBytes;
        try (Stream<Path> partial = Files.list(tmp)) {
            // a write that a crash interrupted never reached ready/: it was never accepted into the spool
            for (Path p : partial.toList()) {
                Files.deleteIfExists(p);
            }
        }
        List<Entry> pending = pending();
        this.sequence = pending.isEmpty() ? 0 : sequenceOf(pending.get(pending.size() - 1).file()) + 1;
    }

    /** Makes the report durable; returns how many old reports had to be dropped to stay within the bound. */
    synchronized int put(UUID reportId, byte[] json) throws IOException {
        long seq = Math.max(sequence, System.currentTimeMillis() * 1000);
        sequence = seq + 1;
        String name = String.format("%019d-%s.json", seq, reportId);
        Path part = tmp.resolve(name);
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(json);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        move(part, ready.resolve(name));
        fsyncDirectory(ready);
        return enforceBound();
    }

    /** Spooled reports, oldest first. */
    synchronized List<Entry> pending() throws IOException {
        try (Stream<Path> files = Files.list(ready)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().map(Spool::entry).toList();
        }
    }

    byte[] read(Entry e) throws IOException {
        return Files.readAllBytes(e.file());
    }

    /** The server committed it. */
    synchronized void delete(Entry e) throws IOException {
        Files.deleteIfExists(e.file());
    }

    /** The server refused it as invalid: keep it for a person, with the answer, and never send it again. */
    synchronized void reject(Entry e, String answer) throws IOException {
        Path target = rejected.resolve(e.file().getFileName());
        Files.writeString(rejected.resolve(e.file().getFileName() + ".answer.txt"), answer, StandardCharsets.UTF_8);
        move(e.file(), target);
        fsyncDirectory(rejected);
    }

    synchronized int depth() throws IOException {
        return pending().size();
    }

    /** Reports dropped because the spool was full, since the spool was created. */
    synchronized long dropped() throws IOException {
        return Files.exists(droppedFile) ? Long.parseLong(Files.readString(droppedFile).trim()) : 0;
    }

    List<Path> rejectedFiles() throws IOException {
        try (Stream<Path> files = Files.list(rejected)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private int enforceBound() throws IOException {
        List<Entry> all = pending();
        long total = all.stream().mapToLong(Entry::bytes).sum();
        int dropped = 0;
        for (int i = 0; total > maxBytes && i < all.size() - 1; i++) {
            Files.deleteIfExists(all.get(i).file());
            total -= all.get(i).bytes();
            dropped++;
        }
        if (dropped > 0) {
            long count = dropped() + dropped;
            Path part = tmp.resolve("dropped.count");
            Files.writeString(part, Long.toString(count));
            move(part, droppedFile);
            AgentLog.warn("spool full (%d bytes max): dropped the %d oldest reports, %d in all", maxBytes, dropped, count);
        }
        return dropped;
    }

    private static Entry entry(Path f) {
        String name = f.getFileName().toString();
        UUID id = UUID.fromString(name.substring(name.indexOf('-') + 1, name.length() - ".json".length()));
        try {
            return new Entry(f, id, Files.size(f));
        } catch (IOException e) {
            return new Entry(f, id, 0);
        }
    }

    private static long sequenceOf(Path f) {
        String name = f.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('-')));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void fsyncDirectory(Path dir) {
        // makes the rename itself durable; not supported on every platform, where the file fsync is the best we get
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // directories cannot be opened for fsync on some systems
        }
    }
}
