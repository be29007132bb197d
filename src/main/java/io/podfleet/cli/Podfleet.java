package io.podfleet.cli;

import io.podfleet.PodfleetServer;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The one entry point of the jar: {@code podfleet [server|agent|simulate|smart|drive-stats] ...}. Commands other than {@code server}
 * never start a Spring context, so they stay small and fast.
 */
public final class Podfleet {

    private Podfleet() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 || args[0].startsWith("--") && !isHelp(args[0]) ? "server" : args[0];
        if (UnpackedLaunch.run(Podfleet.class, args, command.equals("server"))) {
            return; // it ran in the unpacked copy
        }
        String[] rest = args.length == 0 || !command.equals(args[0]) ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "server" -> PodfleetServer.start(rest);
            case "agent" -> System.exit(io.podfleet.agent.AgentMain.run(rest));
            case "simulate" -> System.exit(SimulateCommand.run(rest, System.out, System.err));
            case "smart" -> System.exit(SmartInspect.run(rest, System.in, System.out, System.err));
            case "drive-stats" -> System.exit(DriveStatsCommand.run(rest, System.out, System.err));
            case "help", "--help", "-h" -> usage(System.out);
            default -> {
                System.err.println("podfleet: unknown command '" + command + "'");
                usage(System.err);
                System.exit(2);
            }
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    static void usage(PrintStream out) {
        out.println("""
                Usage: java -jar podfleet.jar [COMMAND] [OPTIONS]

                Commands:
                  server          the central service: REST API and scheduled jobs on PostgreSQL (the default)
                  agent           the host agent: collects SMART, host and shard data, spools and reports it
                  simulate        a simulated fleet of hosts reporting to a server over HTTP
                  smart inspect   parse smartctl --json output files and print each drive's verdict
                  drive-stats import  send Drive Stats CSV files to a server (one transaction per file)

                Run 'podfleet COMMAND --help' for the options of one command.
                Server options are Spring Boot properties, e.g. --server.port=8080 --podfleet.data-dir=/var/lib/podfleet
                """);
    }
}
