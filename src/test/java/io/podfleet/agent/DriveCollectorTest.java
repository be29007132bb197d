package io.podfleet.agent;

import io.podfleet.protocol.v1.DriveSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A simulated 60-drive host read end to end through the stand-in smartctl printing real outputs. */
class DriveCollectorTest {

    @TempDir
    Path dir;

    @Test
    void sixtyDrivesAreReadInParallelWithAHungAndAnUnreadableOne() {
        StandinHost host = StandinHost.withDrives(dir, 60);
        for (int i = 0; i < 60; i++) {
            host.delay(StandinHost.deviceName(i), 0.05);
        }
        host.hang("sdc");
        host.sample("sdd", "AnalogJ__scrutiny__webapp__backend__pkg__models__testdata__smart-fail.json");
        host.document("sde", """
                {"json_format_version":[1,0],"smartctl":{"exit_status":2,
                 "messages":[{"string":"Device is in STANDBY mode, exit(2)","severity":"information"}]}}
                """);

        long started = System.nanoTime();
        DriveCollector.Collection c;
        try (DriveCollector collector = new DriveCollector(new Smartctl(host.executable(), Duration.ofSeconds(2)), null, List.of(), 16)) {
            c = collector.collect(new SlotLocator(dir.resolve("no-sysfs"), dir.resolve("no-dev"), 0));
        }
        long wallMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(c.drives()).hasSize(60);
        assertThat(c.stats().devicesScanned()).isEqualTo(60);
        assertThat(c.stats().devicesTimedOut()).isEqualTo(1);
        assertThat(c.stats().devicesInStandby()).isEqualTo(1);
        assertThat(c.stats().devicesRead()).isEqualTo(57);
        assertThat(wallMillis).as("a hung drive costs its deadline, not the cycle").isLessThan(10_000);

        DriveSample hung = sample(c, "/dev/sdc");
        assertThat(hung.reading().unreadable()).contains("did not finish within 2000 ms and was killed");
        DriveSample unreadable = sample(c, "/dev/sdd");
        assertThat(unreadable.reading().readable()).isFalse();
        assertThat(sample(c, "/dev/sde").reading().standby()).isTrue();
        DriveSample first = sample(c, "/dev/sda");
        assertThat(first.reading().serial()).isEqualTo("SIM-sda");
        assertThat(first.reading().model()).isEqualTo("ST16000NM001G-2KK103");
        assertThat(first.slotSource()).isEqualTo("none");
    }

    @Test
    void aDriveSeenOnTwoPathsIsReportedOnce() throws Exception {
        StandinHost host = StandinHost.withDrives(dir, 2);
        // sdc is the second path to sda: the same drive, the same serial
        host.sample("sdc", StandinHost.ATA_SAMPLES.get(0)).write("sda.keep-serial", "").write("sdc.keep-serial", "");
        host.write("devices", java.nio.file.Files.readString(dir.resolve("devices")) + "sdc sat ATA\n");
        DriveCollector.Collection c;
        try (DriveCollector collector = new DriveCollector(new Smartctl(host.executable(), Duration.ofSeconds(5)), null, List.of(), 4)) {
            c = collector.collect(new SlotLocator(dir.resolve("no-sysfs"), dir.resolve("no-dev"), 0));
        }
        assertThat(c.stats().devicesScanned()).isEqualTo(3);
        assertThat(c.drives()).hasSize(2);
        assertThat(c.drives().stream().map(d -> d.reading().serial()).distinct()).hasSize(2);
    }

    @Test
    void theProfilesDeviceTypeIsPassedToSmartctl() throws Exception {
        StandinHost host = StandinHost.withDrives(dir, 1);
        // a wrapper that records its arguments, then behaves as the stand-in
        host.write("recording", "#!/bin/sh\necho \"$@\" >> '" + dir.resolve("args.log") + "'\nexec '" + host.executable() + "' \"$@\"\n");
        dir.resolve("recording").toFile().setExecutable(true);
        try (DriveCollector collector = new DriveCollector(new Smartctl(dir.resolve("recording").toString(), Duration.ofSeconds(5)),
                "sat", List.of("-T", "permissive"), 2)) {
            collector.collect(new SlotLocator(dir, dir, 0));
        }
        assertThat(java.nio.file.Files.readAllLines(dir.resolve("args.log")))
                .containsExactly("--scan-open -j", "-x -j -n standby -d sat -T permissive /dev/sda");
    }

    private static DriveSample sample(DriveCollector.Collection c, String device) {
        return c.drives().stream().filter(d -> device.equals(d.reading().device().name())).findFirst().orElseThrow();
    }
}
