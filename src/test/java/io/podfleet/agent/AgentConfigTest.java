package io.podfleet.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigTest {

    @TempDir
    Path dir;

    @Test
    void flagsOverrideTheFileWhichOverridesTheDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("agent.yml"), """
                server: https://podfleet.example:8443/
                profile: backblaze-pod-6.0
                spool: /var/spool/podfleet
                report-interval: 10m
                smartctl-args: [-T, permissive]
                """);
        AgentConfig c = AgentConfig.load(List.of("--config", file.toString(), "--spool", "/tmp/s", "--once",
                "--smartctl=/opt/smartctl"));
        assertThat(c.server().toString()).isEqualTo("https://podfleet.example:8443");
        assertThat(c.profile()).isEqualTo("backblaze-pod-6.0");
        assertThat(c.spool()).isEqualTo(Path.of("/tmp/s"));
        assertThat(c.smartctl()).isEqualTo("/opt/smartctl");
        assertThat(c.reportInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.smartctlArgs()).containsExactly("-T", "permissive");
        assertThat(c.spoolMaxBytes()).isEqualTo(256L << 20);
    }

    @Test
    void mistakesNameTheSetting() {
        assertThatThrownBy(() -> AgentConfig.load(List.of("--report-intervall", "5m")))
                .hasMessageContaining("unknown setting 'report-intervall'");
        assertThatThrownBy(() -> AgentConfig.load(List.of("--report-interval", "soon")))
                .hasMessageStartingWith("report-interval: 'soon' is not valid");
        assertThatThrownBy(() -> AgentConfig.load(List.of("--smartctl-parallelism", "0")))
                .hasMessageStartingWith("smartctl-parallelism:");
    }

    @Test
    void shardMountPointsFollowThePattern() throws Exception {
        AgentConfig c = AgentConfig.load(List.of());
        assertThat(c.shardMountPoint(7)).isEqualTo("/srv/podfleet/tome07");
        AgentConfig custom = AgentConfig.load(List.of("--shard-mount-pattern", "/data/{slot}"));
        assertThat(custom.shardMountPoint(42)).isEqualTo("/data/42");
        assertThat(AgentConfig.bytes("64MiB")).isEqualTo(64L << 20);
        assertThat(AgentConfig.duration("PT1M")).isEqualTo(Duration.ofMinutes(1));
    }
}
