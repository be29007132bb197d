package io.podfleet.agent;

import java.util.List;

/**
 * {@code podfleet agent [--config FILE] [--server URL] [--enrollment-token T] [--profile ID] [--spool DIR]
 * [--smartctl PATH] [--once [--print]]}; the main class of podfleet-agent.jar.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            System.out.println(USAGE);
            return 0;
        }
        // OSHI logs through SLF4J; the agent has its own one-line log and no SLF4J provider to configure
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        AgentLog.debug(list.contains("--debug"));
        AgentConfig config;
        try {
            config = AgentConfig.load(list);
        } catch (Exception e) {
            System.err.println("podfleet agent: " + e.getMessage());
            System.err.println("Run 'podfleet agent --help' for the options.");
            return 2;
        }
        try (Agent agent = new Agent(config)) {
            if (list.contains("--once") && list.contains("--print")) {
                agent.printOnce(System.out);
                return 0;
            }
            if (list.contains("--once")) {
                return agent.runOnce() ? 0 : 1;
            }
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                AgentLog.info("stopping (spool kept)");
                agent.close();
                try {
                    main.join(10_000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "agent-shutdown"));
            agent.run();
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("podfleet agent: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            AgentLog.warn("agent failed: %s", e);
            return 1;
        }
    }

    static final String USAGE = """
            Usage: podfleet agent [--config /etc/podfleet/agent.yml] [OPTIONS] [--once [--print]]

            Collects SMART data (smartctl), host facts (OSHI) and tome shard filesystems on this storage host, keeps
            every report on disk until the server has committed it, and reports to the server.

              --config FILE             YAML file with the settings below (kebab-case keys); flags win over it
              --server URL              the Podfleet server, e.g. https://podfleet.example:8443
              --enrollment-token T      one-time token for the first start (POST /api/v1/enrollment-tokens)
              --credential-file FILE    where the host credential is kept (/var/lib/podfleet-agent/credential.json)
              --profile ID              hardware profile id; default: detected from the system model
              --spool DIR               report spool (/var/lib/podfleet-agent/spool)
              --spool-max-bytes N       spool bound, e.g. 256MiB (oldest reports are dropped beyond it)
              --smartctl PATH           smartctl executable (smartctl on the PATH)
              --device-type T           smartctl -d type for every drive (default: the profile's, else smartctl's)
              --smartctl-timeout D      per-device deadline, e.g. 20s; a hung smartctl is killed
              --smartctl-parallelism N  drives read at once (16)
              --heartbeat-interval D    30s      --report-interval D    15m
              --shard-mount-pattern P   /srv/podfleet/tome{slot:02d}
              --ca-file FILE            PEM CA certificates to trust for the server's TLS
              --once                    collect one report, spool it, send the spool, exit (0 when all was sent)
              --once --print            collect one report and print it as JSON; send and keep nothing
              --debug                   log every heartbeat
            """;
}
