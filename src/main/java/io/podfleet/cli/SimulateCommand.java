package io.podfleet.cli;

import io.podfleet.agent.Durations;
import io.podfleet.simulate.Simulator;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code podfleet simulate --server URL --token T --hosts N ...}: a simulated fleet over real HTTP. */
final class SimulateCommand {

    private SimulateCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("podfleet simulate: expected --option value, got '" + args[i] + "'\n" + USAGE);
                return 2;
            }
            o.put(args[i].substring(2), args[++i]);
        }
        if (!o.containsKey("server") || !o.containsKey("token")) {
            err.println("podfleet simulate: --server and --token are required\n" + USAGE);
            return 2;
        }
        Simulator.Settings settings;
        Duration duration;
        try {
            settings = new Simulator.Settings(URI.create(o.get("server")), o.get("token"),
                    Integer.parseInt(o.getOrDefault("hosts", "40")), Integer.parseInt(o.getOrDefault("drives", "60")),
                    Durations.parse(o.getOrDefault("interval", "15m")), Durations.parse(o.getOrDefault("heartbeat", "30s")),
                    Double.parseDouble(o.getOrDefault("afr", "1.5")), Double.parseDouble(o.getOrDefault("speedup", "1")),
                    o.getOrDefault("datacenters", "sac1,phx1").split(","), o.getOrDefault("profile", "backblaze-pod-6.0"),
                    o.getOrDefault("prefix", "sim"), Long.parseLong(o.getOrDefault("seed", "42")));
            duration = o.containsKey("duration") ? Durations.parse(o.get("duration")) : null;
        } catch (RuntimeException e) {
            err.println("podfleet simulate: " + e.getMessage());
            return 2;
        }
        try (Simulator simulator = new Simulator(settings, line -> out.println(Instant.now() + " " + line))) {
            simulator.start();
            Thread.sleep(duration == null ? Long.MAX_VALUE : duration.toMillis());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            err.println("podfleet simulate: " + e.getMessage());
            return 1;
        }
    }

    static final String USAGE = """
            Usage: java -jar podfleet.jar simulate --server URL --token T [--hosts 40] [--drives 60] [--interval 15m]
                   [--heartbeat 30s] [--afr 1.5] [--speedup 1] [--datacenters sac1,phx1] [--profile backblaze-pod-6.0]
                   [--prefix sim] [--seed 42] [--duration D]

            Simulated storage hosts that pre-register (one per cabinet in each group of 20), enroll, heartbeat and
            report over the real HTTP protocol. Drives age, fail at the annualized rate --afr (percent per year of
            simulated time), go missing and are replaced. --speedup K runs simulated time K times faster.
            --token is an API token with the OPERATOR role.
            """;
}
