package io.podfleet.agent;

import io.podfleet.protocol.v1.HostFacts;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.ComputerSystem;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.Sensors;
import oshi.software.os.OperatingSystem;

import java.util.ArrayList;
import java.util.List;

/** Host facts from OSHI. Every probe is guarded: a platform that lacks one sensor still gives the rest. */
final class HostCollector {

    private final SystemInfo system = new SystemInfo();
    private final String hostnameOverride;

    HostCollector(String hostnameOverride) {
        this.hostnameOverride = hostnameOverride;
    }

    HostFacts collect() {
        HardwareAbstractionLayer hw = system.getHardware();
        OperatingSystem os = system.getOperatingSystem();
        ComputerSystem cs = hw.getComputerSystem();
        CentralProcessor cpu = hw.getProcessor();
        Sensors sensors = hw.getSensors();
        List<Double> load = new ArrayList<>();
        for (double l : guard(() -> cpu.getSystemLoadAverage(3), new double[0])) {
            load.add(l < 0 ? null : l);
        }
        Double cpuTemp = guard(sensors::getCpuTemperature, 0.0);
        List<Integer> fans = new ArrayList<>();
        for (int rpm : guard(sensors::getFanSpeeds, new int[0])) {
            fans.add(rpm);
        }
        List<HostFacts.NetworkInterface> nics = guard(() -> hw.getNetworkIFs().stream()
                .map(n -> new HostFacts.NetworkInterface(n.getName(), n.getMacaddr(), n.getSpeed(), n.getInErrors(), n.getOutErrors()))
                .toList(), List.of());
        List<HostFacts.Disk> disks = guard(() -> hw.getDiskStores().stream()
                .map(d -> new HostFacts.Disk(d.getName(), blankToNull(d.getModel()), blankToNull(d.getSerial()), d.getSize()))
                .toList(), List.of());
        return new HostFacts(
                hostname(os),
                blankToNull(guard(cs::getManufacturer, null)),
                blankToNull(guard(cs::getModel, null)),
                blankToNull(guard(cs::getSerialNumber, null)),
                blankToNull(guard(() -> cs.getFirmware().getManufacturer(), null)),
                blankToNull(guard(() -> cs.getFirmware().getVersion(), null)),
                guard(() -> cpu.getProcessorIdentifier().getName().trim(), null),
                guard(() -> Math.max(1, cpu.getPhysicalPackageCount()), 1),
                guard(cpu::getPhysicalProcessorCount, 0),
                guard(cpu::getLogicalProcessorCount, 0),
                load,
                guard(() -> hw.getMemory().getTotal(), 0L),
                guard(() -> hw.getMemory().getAvailable(), 0L),
                guard(os::getSystemUptime, 0L),
                guard(() -> os.getFamily() + " " + os.getVersionInfo().getVersion(), null),
                guard(() -> os.getVersionInfo().getBuildNumber(), null),
                cpuTemp == null || cpuTemp <= 0 || cpuTemp.isNaN() ? null : cpuTemp,
                fans,
                nics,
                disks);
    }

    long uptimeSeconds() {
        return guard(() -> system.getOperatingSystem().getSystemUptime(), 0L);
    }

    double load1() {
        double[] l = guard(() -> system.getHardware().getProcessor().getSystemLoadAverage(1), new double[]{-1});
        return l.length == 0 ? -1 : l[0];
    }

    String systemModel() {
        return blankToNull(guard(() -> system.getHardware().getComputerSystem().getModel(), null));
    }

    String systemSerial() {
        return blankToNull(guard(() -> system.getHardware().getComputerSystem().getSerialNumber(), null));
    }

    String hostname() {
        return hostname(system.getOperatingSystem());
    }

    private String hostname(OperatingSystem os) {
        if (hostnameOverride != null) {
            return hostnameOverride;
        }
        return guard(() -> os.getNetworkParams().getHostName(), "unknown");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() || s.equalsIgnoreCase("unknown") ? null : s.trim();
    }

    private static <T> T guard(java.util.function.Supplier<T> probe, T fallback) {
        try {
            T value = probe.get();
            return value == null ? fallback : value;
        } catch (RuntimeException | LinkageError e) {
            AgentLog.fine("host probe failed: %s", e);
            return fallback;
        }
    }
}
