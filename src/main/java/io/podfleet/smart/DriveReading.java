package io.podfleet.smart;

import java.util.List;
import java.util.Optional;

/**
 * One drive as smartctl saw it. Fields smartctl did not print are null (or empty lists); numbers that were out of
 * any sensible range (negative counters, raw values past 48 bits) are dropped and named in {@link #anomalies()}.
 *
 * @param unreadable why smartctl could not read the drive (open failed, standby, no SMART data), or null
 */
public record DriveReading(
        Device device,
        String modelFamily,
        String model,
        String serial,
        String wwn,
        String firmware,
        Long capacityBytes,
        DriveInterface driveInterface,
        Integer rotationRateRpm,
        Boolean smartSupported,
        Boolean smartEnabled,
        Boolean smartPassed,
        Integer temperatureC,
        Long powerOnHours,
        Long powerCycles,
        List<AtaAttribute> ataAttributes,
        NvmeHealth nvme,
        ScsiHealth scsi,
        SelfTests selfTests,
        ExitStatus exitStatus,
        List<String> messages,
        boolean standby,
        String unreadable,
        List<String> anomalies) implements SmartctlOutput {

    public DriveReading {
        ataAttributes = ataAttributes == null ? List.of() : List.copyOf(ataAttributes);
        messages = messages == null ? List.of() : List.copyOf(messages);
        anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
        exitStatus = exitStatus == null ? ExitStatus.OK : exitStatus;
    }

    /** @param type smartctl's {@code -d} type (sat, nvme, megaraid,N, ...); protocol ATA, SCSI or NVMe */
    public record Device(String name, String infoName, String type, String protocol) {
    }

    /**
     * One row of the ATA attribute table. {@code raw} is smartctl's 48-bit raw number as printed; vendor packing
     * (Seagate's three 16-bit counters in 188) is undone by the rules, which know which attributes pack.
     */
    public record AtaAttribute(int id, String name, Integer value, Integer worst, Integer threshold, Long raw,
                               String rawString, String whenFailed, boolean prefailure) {
    }

    public record NvmeHealth(Integer criticalWarning, Integer availableSpare, Integer availableSpareThreshold,
                             Integer percentageUsed, Long mediaErrors, Long errorLogEntries, Long unsafeShutdowns,
                             Long dataUnitsRead, Long dataUnitsWritten) {
    }

    public record ScsiHealth(Long grownDefects, Long readUncorrected, Long writeUncorrected, Long verifyUncorrected) {
    }

    /** The self-test log: how many entries, how many did not pass, and the newest one. */
    public record SelfTests(int count, int failed, String latestStatus, Long latestLifetimeHours) {
    }

    public boolean readable() {
        return unreadable == null;
    }

    public Optional<AtaAttribute> attribute(int id) {
        for (AtaAttribute a : ataAttributes) { // read several times per drive per report: no stream
            if (a.id() == id) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
