package io.podfleet.agent;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One line per event on standard error, which systemd keeps in the journal. */
final class AgentLog {

    private static volatile PrintStream out = System.err;
    private static volatile boolean debug = false;

    private AgentLog() {
    }

    static void redirect(PrintStream stream) {
        out = stream;
    }

    static void debug(boolean on) {
        debug = on;
    }

    static void info(String format, Object... args) {
        line("INFO", format, args);
    }

    static void warn(String format, Object... args) {
        line("WARN", format, args);
    }

    static void fine(String format, Object... args) {
        if (debug) {
            line("DEBUG", format, args);
        }
    }

    private static void line(String level, String format, Object... args) {
        out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + String.format(format, args));
    }
}
