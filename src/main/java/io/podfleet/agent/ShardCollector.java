package io.podfleet.agent;

import io.podfleet.protocol.v1.ShardFilesystem;
import oshi.SystemInfo;
import oshi.software.os.OSFileStore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The tome shard filesystem of each slot: whatever is mounted at the slot's mount point (by default
 * {@code /srv/podfleet/tome{slot:02d}}). A slot whose mount point has nothing mounted is reported unmounted: a lost
 * shard for the vault even if the drive is fine.
 */
final class ShardCollector {

    private final IntFunction<String> mountPointOfSlot;
    private final SystemInfo system = new SystemInfo();

    ShardCollector(IntFunction<String> mountPointOfSlot) {
        this.mountPointOfSlot = mountPointOfSlot;
    }

    List<ShardFilesystem> collect(List<Integer> slots) {
        Map<String, OSFileStore> mounted = new HashMap<>();
        try {
            for (OSFileStore fs : system.getOperatingSystem().getFileSystem().getFileStores(true)) {
                mounted.put(normalize(fs.getMount()), fs);
            }
        } catch (RuntimeException | LinkageError e) {
            AgentLog.warn("cannot list mounted filesystems: %s", e.getMessage());
        }
        return slots.stream().map(slot -> shard(slot, mounted)).toList();
    }

    private ShardFilesystem shard(int slot, Map<String, OSFileStore> mounted) {
        String mountPoint = mountPointOfSlot.apply(slot);
        OSFileStore fs = mounted.get(normalize(mountPoint));
        if (fs == null) {
            return new ShardFilesystem(slot, mountPoint, false, null, null, false, null, null, null, null, null);
        }
        boolean readOnly = fs.getOptions() != null && List.of(fs.getOptions().split(",")).contains("ro");
        long total = fs.getTotalSpace();
        long free = fs.getUsableSpace();
        return new ShardFilesystem(slot, mountPoint, true, fs.getVolume(), fs.getType(), readOnly, total,
                Math.max(0, total - fs.getFreeSpace()), free, fs.getTotalInodes(), fs.getFreeInodes());
    }

    private static String normalize(String mount) {
        return mount == null ? "" : Path.of(mount).normalize().toString();
    }
}
