package io.podfleet.agent;

import io.podfleet.protocol.v1.DriveSample;
import io.podfleet.protocol.v1.HostReport;
import io.podfleet.smart.DeviceScan;
import io.podfleet.smart.DriveReading;
import io.podfleet.smart.MalformedSmartctlOutput;
import io.podfleet.smart.SmartctlOutput;
import io.podfleet.smart.SmartctlParser;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every drive: {@code smartctl --scan-open -j}, then {@code smartctl -x -j -n standby} per device on a bounded
 * pool, so 60 drives take about as long as the slowest few, and a sleeping drive is not woken.
 */
final class DriveCollector implements AutoCloseable {

    /** The drives of one collection and how it went. */
    record Collection(List<DriveSample> drives, HostReport.CollectionStats stats) {
    }

    private final Smartctl smartctl;
    private final SmartctlParser parser = new SmartctlParser();
    private final String deviceType;
    private final List<String> extraArgs;
    private final ExecutorService pool;

    DriveCollector(Smartctl smartctl, String deviceType, List<String> extraArgs, int parallelism) {
        this.smartctl = smartctl;
        this.deviceType = deviceType == null || deviceType.isBlank() ? null : deviceType;
        this.extraArgs = List.copyOf(extraArgs);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "smartctl-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The devices smartctl finds; empty when the scan itself failed (logged). */
    List<DriveReading.Device> scan() {
        Smartctl.Run run = smartctl.run(List.of("--scan-open", "-j"));
        if (run.error() != null) {
            AgentLog.warn("device scan failed: %s", run.error());
            return List.of();
        }
        try {
            SmartctlOutput out = parser.parse(run.stdout());
            return out instanceof DeviceScan scan ? scan.devices() : List.of();
        } catch (MalformedSmartctlOutput e) {
            AgentLog.warn("device scan printed something unreadable: %s", e.getMessage());
            return List.of();
        }
    }

    Collection collect(SlotLocator slots) {
        long started = System.nanoTime();
        List<DriveReading.Device> devices = scan();
        List<Future<DriveReading>> futures = new ArrayList<>();
        for (DriveReading.Device d : devices) {
            futures.add(pool.submit(() -> read(d)));
        }
        List<DriveSample> samples = new ArrayList<>();
        int read = 0;
        int timedOut = 0;
        int standby = 0;
        for (int i = 0; i < devices.size(); i++) {
            DriveReading.Device device = devices.get(i);
            DriveReading reading;
            try {
                reading = futures.get(i).get();
            } catch (Exception e) {
                reading = unreadable(device, -1, "collection failed: " + e.getMessage());
            }
            if (reading.readable()) {
                read++;
            }
            if (reading.standby()) {
                standby++;
            }
            if (reading.unreadable() != null && reading.unreadable().contains("did not finish")) {
                timedOut++;
            }
            SlotLocator.Slot slot = slots.locate(device.name(), device.type());
            samples.add(new DriveSample(slot == null ? null : slot.number(), slot == null ? "none" : slot.source(), reading));
        }
        samples = new ArrayList<>(DriveSample.oncePerSerial(samples)); // two paths to one drive: reported once
        samples.sort(Comparator.comparing(DriveSample::slot, Comparator.nullsLast(Comparator.naturalOrder())));
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Collection(samples, new HostReport.CollectionStats(millis, devices.size(), read, timedOut, standby));
    }

    private DriveReading read(DriveReading.Device device) {
        List<String> args = new ArrayList<>(List.of("-x", "-j", "-n", "standby"));
        String type = deviceType != null && !"nvme".equals(device.type()) ? deviceType : device.type();
        if (type != null) {
            args.add("-d");
            args.add(type);
        }
        args.addAll(extraArgs);
        args.add(device.name());
        Smartctl.Run run = smartctl.run(args);
        if (run.error() != null) {
            return unreadable(device, run.exitCode(), run.error());
        }
        try {
            SmartctlOutput out = parser.parse(run.stdout());
            if (out instanceof DriveReading r) {
                return r.device() == null ? withDevice(r, device) : r;
            }
            return unreadable(device, run.exitCode(), "smartctl printed a device list instead of a drive");
        } catch (MalformedSmartctlOutput e) {
            return unreadable(device, run.exitCode(), "smartctl output unreadable: " + e.getMessage());
        }
    }

    private static DriveReading unreadable(DriveReading.Device device, int exit, String why) {
        return new DriveReading(device, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, List.of(), null, null, null, new io.podfleet.smart.ExitStatus(Math.max(0, exit) & 0xFF),
                List.of(), false, why, List.of());
    }

    private static DriveReading withDevice(DriveReading r, DriveReading.Device device) {
        return new DriveReading(device, r.modelFamily(), r.model(), r.serial(), r.wwn(), r.firmware(), r.capacityBytes(),
                r.driveInterface(), r.rotationRateRpm(), r.smartSupported(), r.smartEnabled(), r.smartPassed(),
                r.temperatureC(), r.powerOnHours(), r.powerCycles(), r.ataAttributes(), r.nvme(), r.scsi(), r.selfTests(),
                r.exitStatus(), r.messages(), r.standby(), r.unreadable(), r.anomalies());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
