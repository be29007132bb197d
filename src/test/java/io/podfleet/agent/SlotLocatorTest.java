package io.podfleet.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SlotLocatorTest {

    @TempDir
    Path root;

    @Test
    void enclosureSlotsComeFromSysfs() throws Exception {
        Path encl = root.resolve("sys/class/enclosure/0:0:60:0");
        slot(encl.resolve("Slot 00"), "0", "sdb");
        slot(encl.resolve("Slot 01"), "1", "sda");
        slot(encl.resolve("Disk012"), null, "sdq");
        SlotLocator locator = new SlotLocator(root.resolve("sys"), root.resolve("dev"), 0);
        assertThat(locator.locate("/dev/sda", "sat")).isEqualTo(new SlotLocator.Slot(1, "enclosure"));
        assertThat(locator.locate("/dev/sdb", "sat")).isEqualTo(new SlotLocator.Slot(0, "enclosure"));
        assertThat(locator.locate("/dev/sdq", "sat")).isEqualTo(new SlotLocator.Slot(12, "enclosure"));
        assertThat(locator.locate("/dev/sdz", "sat")).isNull();
    }

    @Test
    void withoutAnEnclosureTheByPathOrderNumbersTheBays() throws Exception {
        Path byPath = Files.createDirectories(root.resolve("dev/disk/by-path"));
        Files.createSymbolicLink(byPath.resolve("pci-0000:02:00.0-sas-phy1-lun-0"), Path.of("../../sdc"));
        Files.createSymbolicLink(byPath.resolve("pci-0000:02:00.0-sas-phy0-lun-0"), Path.of("../../sdd"));
        Files.createSymbolicLink(byPath.resolve("pci-0000:02:00.0-sas-phy0-lun-0-part1"), Path.of("../../sdd1"));
        SlotLocator locator = new SlotLocator(root.resolve("sys"), root.resolve("dev"), 1);
        assertThat(locator.locate("/dev/sdd", null)).isEqualTo(new SlotLocator.Slot(1, "by-path"));
        assertThat(locator.locate("/dev/sdc", null)).isEqualTo(new SlotLocator.Slot(2, "by-path"));
    }

    @Test
    void drivesBehindMegaraidAreNumberedByTheController() {
        SlotLocator locator = new SlotLocator(root.resolve("sys"), root.resolve("dev"), 0);
        assertThat(locator.locate("/dev/bus/0", "sat+megaraid,7")).isEqualTo(new SlotLocator.Slot(7, "megaraid"));
    }

    private static void slot(Path dir, String slotFile, String block) throws Exception {
        Files.createDirectories(dir.resolve("device/block/" + block));
        if (slotFile != null) {
            Files.writeString(dir.resolve("slot"), slotFile + "\n");
        }
    }
}
