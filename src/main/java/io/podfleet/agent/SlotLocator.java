package io.podfleet.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the bay each block device sits in. First the SCSI enclosure services view in sysfs
 * ({@code /sys/class/enclosure/<encl>/<slot>/device/block/<sdX>}), which names the physical slot; else the order of
 * the {@code /dev/disk/by-path} links (controller port order), which matches the bays on chassis wired in order.
 */
final class SlotLocator {

    /** A device's bay and how it was found ({@code enclosure}, {@code by-path}, {@code megaraid}). */
    record Slot(int number, String source) {
    }

    private static final Pattern DIGITS = Pattern.compile("(\\d+)");

    private final Map<String, Slot> byBlockName = new HashMap<>();

    SlotLocator(Path sysfsRoot, Path devRoot, int firstSlot) {
        readEnclosures(sysfsRoot.resolve("class/enclosure"));
        if (byBlockName.isEmpty()) {
            readByPath(devRoot.resolve("disk/by-path"), firstSlot);
        }
    }

    /** The slot of a device such as {@code /dev/sdc}, or of {@code /dev/bus/0} with smartctl type {@code megaraid,7}. */
    Slot locate(String deviceName, String deviceType) {
        if (deviceType != null && deviceType.contains("megaraid,")) {
            Matcher m = Pattern.compile("megaraid,(\\d+)").matcher(deviceType);
            if (m.find()) {
                return new Slot(Integer.parseInt(m.group(1)), "megaraid");
            }
        }
        if (deviceName == null) {
            return null;
        }
        return byBlockName.get(Path.of(deviceName).getFileName().toString());
    }

    private void readEnclosures(Path enclosures) {
        if (!Files.isDirectory(enclosures)) {
            return;
        }
        try (DirectoryStream<Path> encls = Files.newDirectoryStream(enclosures)) {
            for (Path encl : encls) {
                try (DirectoryStream<Path> slots = Files.newDirectoryStream(encl, Files::isDirectory)) {
                    for (Path slot : slots) {
                        Integer number = slotNumber(slot);
                        Path block = slot.resolve("device/block");
                        if (number == null || !Files.isDirectory(block)) {
                            continue;
                        }
                        try (Stream<Path> names = Files.list(block)) {
                            names.forEach(n -> byBlockName.put(n.getFileName().toString(), new Slot(number, "enclosure")));
                        }
                    }
                }
            }
        } catch (IOException e) {
            AgentLog.warn("cannot read %s: %s", enclosures, e.getMessage());
        }
    }

    /** The {@code slot} attribute where the kernel has it, else the number in the folder name ("Slot 07", "Disk012"). */
    private static Integer slotNumber(Path slotDir) throws IOException {
        Path slotFile = slotDir.resolve("slot");
        if (Files.isRegularFile(slotFile)) {
            String s = Files.readString(slotFile).trim();
            if (s.matches("\\d+")) {
                return Integer.parseInt(s);
            }
        }
        Matcher m = DIGITS.matcher(slotDir.getFileName().toString());
        return m.find() ? Integer.parseInt(m.group(1)) : null;
    }

    private void readByPath(Path byPath, int firstSlot) {
        if (!Files.isDirectory(byPath)) {
            return;
        }
        try (Stream<Path> links = Files.list(byPath)) {
            List<Path> disks = links.filter(l -> !l.getFileName().toString().contains("-part")).sorted().toList();
            int slot = firstSlot;
            for (Path link : disks) {
                Path target = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link) : link;
                byBlockName.putIfAbsent(target.getFileName().toString(), new Slot(slot++, "by-path"));
            }
        } catch (IOException e) {
            AgentLog.warn("cannot read %s: %s", byPath, e.getMessage());
        }
    }
}
