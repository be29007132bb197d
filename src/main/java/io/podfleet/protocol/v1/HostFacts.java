package io.podfleet.protocol.v1;

import java.util.List;

/** What the host is and how it is doing, from OSHI. Any field may be null where the platform does not tell. */
public record HostFacts(String hostname, String systemVendor, String systemModel, String systemSerial,
                        String biosVendor, String biosVersion, String cpuModel, int sockets, int physicalCores,
                        int logicalCores, List<Double> loadAverage, long memoryTotalBytes, long memoryAvailableBytes,
                        long uptimeSeconds, String os, String kernel, Double cpuTemperatureC, List<Integer> fanRpm,
                        List<NetworkInterface> networkInterfaces, List<Disk> disks) {

    public record NetworkInterface(String name, String mac, long speedBitsPerSecond, long inErrors, long outErrors) {
    }

    public record Disk(String name, String model, String serial, long sizeBytes) {
    }
}
