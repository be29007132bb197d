package io.podfleet.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent as its own process, killed with SIGKILL while sending and while writing reports, then started again:
 * every report reaches the stand-in server exactly once as new, and no half-written report is ever sent.
 */
class AgentCrashTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    private StandinServer server;
    private StandinHost host;
    private final List<Process> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new StandinServer();
        host = StandinHost.withDrives(Files.createDirectories(dir.resolve("host")), 4);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : agents) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        server.close();
    }

    @Test
    void killedMidSendTheReportIsResentAndAcknowledgedAsADuplicate() throws Exception {
        server.commitDelayMillis = 5_000; // the server commits, then answers slowly: the kill lands in between
        Process agent = agent("--report-interval", "1h");
        await().atMost(30, TimeUnit.SECONDS).until(() -> server.newReports.size() == 1);
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String first = server.newReports.get(0);
        assertThat(spooled()).as("not acknowledged, so still spooled").hasSize(1);

        server.commitDelayMillis = 0;
        Process again = agent("--once");
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isZero();

        assertThat(server.newReports).hasSize(2).doesNotHaveDuplicates().contains(first);
        assertThat(server.duplicates).containsExactly(first);
        assertThat(spooled()).isEmpty();
    }

    @Test
    void killedAtRandomWhileCollectingAndWritingNothingHalfWrittenIsEverSent() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 3; round++) {
            int before = server.newReports.size();
            Process agent = agent("--report-interval", "100ms");
            await().atMost(60, TimeUnit.SECONDS).until(() -> server.newReports.size() > before);
            Thread.sleep(300 + random.nextInt(900));
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (Path f : spooled()) {
                assertThat(JSON.readTree(Files.readAllBytes(f)).path("drives").size()).as(f.toString()).isEqualTo(4);
            }
        }
        Process drain = agent("--once");
        assertThat(drain.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(spooled()).isEmpty();
        assertThat(server.newReports).doesNotHaveDuplicates().hasSizeGreaterThan(3);
        assertThat(new HashSet<>(server.newReports)).isEqualTo(server.committed);
        assertThat(server.duplicates).as("a resend is only ever of a committed report").allMatch(server.committed::contains);
        try (var tmp = Files.list(dir.resolve("spool/tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void sigtermStopsTheAgentCleanlyWithItsSpoolIntact() throws Exception {
        server.close(); // nothing answers: reports stay spooled
        Process agent = agent("--report-interval", "1h");
        await().atMost(30, TimeUnit.SECONDS).until(() -> spooled().size() == 1);
        agent.destroy(); // SIGTERM
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as("a clean exit, not a kill").isIn(0, 143);
        assertThat(Files.readString(dir.resolve("agent.log"))).contains("stopping (spool kept)");
        assertThat(spooled()).hasSize(1);
        assertThat(JSON.readTree(Files.readAllBytes(spooled().get(0))).path("drives").size()).isEqualTo(4);
    }

    private Process agent(String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--server", server.uri().toString(), "--enrollment-token", "t",
                "--credential-file", dir.resolve("credential.json").toString(),
                "--spool", dir.resolve("spool").toString(), "--smartctl", host.executable(),
                "--heartbeat-interval", "1h", "--sysfs-root", dir.resolve("sys").toString(),
                "--dev-root", dir.resolve("dev").toString()));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile())).start();
        agents.add(p);
        return p;
    }

    private List<Path> spooled() throws Exception {
        Path ready = dir.resolve("spool/ready");
        if (!Files.isDirectory(ready)) {
            return List.of();
        }
        try (var files = Files.list(ready)) {
            return files.sorted().toList();
        }
    }
}
