package io.podfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code podfleet smart inspect} as an operator runs it on files smartctl wrote. */
class SmartInspectTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SAMPLES = Path.of("src/test/resources/smart-samples");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsOneLinePerFileWithTheVerdict() throws Exception {
        Path failed = SAMPLES.resolve("AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-fail2.json");
        Path scan = SAMPLES.resolve("AnalogJ__scrutiny__collector__pkg__detect__testdata__smartctl_scan_nvme.json");
        int exit = run("inspect", failed.toString(), scan.toString());

        assertThat(exit).isZero();
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        JsonNode drive = lines.get(0);
        assertThat(drive.path("file").asString()).isEqualTo(failed.toString());
        assertThat(drive.path("ok").asBoolean()).isTrue();
        assertThat(drive.path("kind").asString()).isEqualTo("drive");
        assertThat(drive.path("model").asString()).isEqualTo("Hitachi HDS721050DLE630");
        assertThat(drive.path("serial").asString()).isEqualTo("MSK423Y20S3HBC");
        assertThat(drive.path("capacity_bytes").asLong()).isEqualTo(500107862016L);
        assertThat(drive.path("interface").asString()).isEqualTo("ATA");
        assertThat(drive.path("smart_passed").asBoolean()).isFalse();
        assertThat(drive.path("exit_status").asInt()).isEqualTo(216);
        assertThat(drive.path("verdict").asString()).isEqualTo("FAILED");
        assertThat(drive.path("reasons").get(0).path("field").asString()).isEqualTo("smart_status.passed");
        assertThat(drive.path("device").path("type").asString()).isEqualTo("usbjmicron");

        JsonNode devices = lines.get(1);
        assertThat(devices.path("kind").asString()).isEqualTo("scan");
        assertThat(devices.path("devices").get(0).path("name").asString()).isEqualTo("/dev/nvme0");
        assertThat(devices.path("devices").get(0).path("protocol").asString()).isEqualTo("NVMe");
    }

    @Test
    void anUnparseableFileIsReportedAndTheExitStatusIsOne(@TempDir Path dir) throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"smartctl\": {\"exit_status\":");
        Path good = SAMPLES.resolve("prometheus-community__smartctl_exporter__testdata__sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json");
        int exit = run("inspect", broken.toString(), dir.resolve("missing.json").toString(), good.toString());

        assertThat(exit).isEqualTo(1);
        List<JsonNode> lines = lines();
        assertThat(lines.get(0).path("ok").asBoolean()).isFalse();
        assertThat(lines.get(0).path("error").asString()).startsWith("not well-formed JSON");
        assertThat(lines.get(1).path("error").asString()).startsWith("cannot read the file");
        assertThat(lines.get(2).path("verdict").asString()).isEqualTo("HEALTHY");
    }

    @Test
    void readsStandardInputAndTakesTemperatureLimits() throws Exception {
        byte[] wd = Files.readAllBytes(SAMPLES.resolve("AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-ata.json"));
        int exit = SmartInspect.run(new String[]{"inspect", "--temp-warn", "30", "--temp-critical", "60", "-"},
                new ByteArrayInputStream(wd), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err));
        assertThat(exit).isZero();
        assertThat(lines().get(0).path("verdict").asString()).isEqualTo("WARNING");
    }

    @Test
    void helpExplainsTheCommand() {
        assertThat(run("inspect", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("smart inspect").contains("Exit status");
        assertThat(run("bogus")).isEqualTo(2);
    }

    private int run(String... args) {
        return SmartInspect.run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<JsonNode> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().map(JSON::readTree).toList();
    }
}
