package io.podfleet.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A simulated storage host at the hardware boundary: a folder the stand-in {@code smartctl} script reads, with real
 * smartctl outputs from src/test/resources/smart-samples per device.
 */
final class StandinHost {

    static final Path SCRIPT = Path.of("src/test/resources/standin/smartctl").toAbsolutePath();
    private static final Path SAMPLES = Path.of("src/test/resources/smart-samples");
    static final List<String> ATA_SAMPLES = List.of(
            "prometheus-community__smartctl_exporter__testdata__sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json",
            "prometheus-community__smartctl_exporter__testdata__sat-null-ST18000NM000J-2TV103-sda.json",
            "prometheus-community__smartctl_exporter__testdata__sat-Western_Digital_Ultrastar_DC_HC550-WDC__WUH721816ALE6L4-sdx.json",
            "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-ata.json");

    final Path dir;

    StandinHost(Path dir) {
        this.dir = dir;
    }

    /** {@code count} SATA drives sda, sdb, ... printing the real samples in turn. */
    static StandinHost withDrives(Path dir, int count) {
        StandinHost host = new StandinHost(dir);
        StringBuilder devices = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String name = deviceName(i);
            devices.append(name).append(" sat ATA\n");
            host.sample(name, ATA_SAMPLES.get(i % ATA_SAMPLES.size()));
        }
        host.write("devices", devices.toString());
        return host;
    }

    static String deviceName(int i) {
        return i < 26 ? "sd" + (char) ('a' + i) : "sd" + (char) ('a' + i / 26 - 1) + (char) ('a' + i % 26);
    }

    StandinHost sample(String device, String sampleFile) {
        try {
            Files.copy(SAMPLES.resolve(sampleFile), dir.resolve(device + ".json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    StandinHost document(String device, String json) {
        return write(device + ".json", json);
    }

    StandinHost delay(String device, double seconds) {
        return write(device + ".delay", Double.toString(seconds));
    }

    StandinHost hang(String device) {
        return write(device + ".hang", "");
    }

    StandinHost removeDevice(String device) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("devices")).stream().filter(l -> !l.startsWith(device + " ")).toList();
            Files.write(dir.resolve("devices"), lines);
            Files.deleteIfExists(dir.resolve(device + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    StandinHost write(String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A smartctl executable for this host: a wrapper that points the stand-in script at this folder. */
    String executable() {
        Path wrapper = dir.resolve("smartctl");
        write("smartctl", "#!/bin/sh\nSMARTCTL_STANDIN='" + dir + "' exec '" + SCRIPT + "' \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        return wrapper.toString();
    }
}
