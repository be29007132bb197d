package io.podfleet.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;

/**
 * Runs smartctl as a child process with a deadline. A smartctl that hangs (a drive stuck in error recovery can block
 * it for minutes) is killed with its children, so one bad drive never stalls a collection.
 */
final class Smartctl {

    /** What one run printed and how it exited; {@code timedOut} when it was killed at the deadline. */
    record Run(int exitCode, byte[] stdout, boolean timedOut, String error) {
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smartctl-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final String executable;
    private final Duration timeout;

    Smartctl(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    Run run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return new Run(-1, new byte[0], false, "cannot run " + executable + ": " + e.getMessage());
        }
        // the calling thread reads the output; a watchdog kills the process tree at the deadline, which ends the read
        AtomicBoolean killed = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            killed.set(true);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            byte[] out = readAll(process.getInputStream());
            process.waitFor();
            if (killed.get()) {
                return new Run(-1, new byte[0], true, "smartctl " + String.join(" ", args) + " did not finish within "
                        + timeout.toMillis() + " ms and was killed");
            }
            return new Run(process.exitValue(), out, false, null);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Run(-1, new byte[0], false, "interrupted");
        } catch (UncheckedIOException e) {
            process.destroyForcibly();
            return new Run(-1, new byte[0], killed.get(), "reading smartctl output failed: " + e.getMessage());
        } finally {
            watchdog.cancel(false);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
