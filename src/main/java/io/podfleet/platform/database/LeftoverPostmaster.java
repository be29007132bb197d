package io.podfleet.platform.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * After a kill -9 of the JVM the embedded PostgreSQL keeps running and the next start would fail on its
 * postmaster.pid. Callers hold the {@link DataDirectoryLock}, so a postmaster found here belongs to a dead server.
 */
final class LeftoverPostmaster {

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostmaster.class);

    private LeftoverPostmaster() {
    }

    static void stopIfRunning(Path pgData) throws IOException {
        Optional<ProcessHandle> postmaster = find(pgData);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        log.warn("Stopping PostgreSQL pid {} left running in {} by a server that did not shut down cleanly",
                process.pid(), pgData);
        signal(process.pid(), "INT"); // fast shutdown: a checkpoint, then exit
        if (!waitForExit(process, Duration.ofSeconds(30))) {
            signal(process.pid(), "QUIT"); // immediate shutdown: crash recovery replays the WAL at next start
            if (!waitForExit(process, Duration.ofSeconds(10))) {
                throw new IllegalStateException("PostgreSQL pid " + process.pid() + " in " + pgData + " did not stop");
            }
        }
    }

    static Optional<ProcessHandle> find(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        String first;
        try {
            first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!first.matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(first))
                .filter(ProcessHandle::isAlive)
                .filter(LeftoverPostmaster::isPostgres);
    }

    private static boolean isPostgres(ProcessHandle p) {
        // pid files outlive reboots: only a live postgres process with that pid is ours to stop.
        return p.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("postgres")).orElse(false);
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling PostgreSQL", e);
        }
    }

    private static boolean waitForExit(ProcessHandle p, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (p.isAlive() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !p.isAlive();
    }
}
