package io.podfleet.smart;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges one reading: SMART overall status and smartctl's exit bits, then the interface's own evidence (ATA
 * attributes, NVMe health log, SAS counters), then temperature against the host's limits. The verdict is the worst
 * reason. Pure and thread-safe.
 */
public final class HealthRules {

    private final SmartThresholds thresholds;

    public HealthRules(SmartThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public HealthRules() {
        this(SmartThresholds.DEFAULT);
    }

    /**
     * The event count an ATA attribute stands for, as the rules read it (Seagate's packed 188 unpacked); null when
     * the drive does not report the attribute.
     */
    public static Long eventCount(DriveReading r, int attributeId) {
        return r.attribute(attributeId).map(a -> AtaRules.count(a, r)).orElse(null);
    }

    public Verdict judge(DriveReading r, TemperatureLimits limits) {
        List<Reason> reasons = new ArrayList<>();
        java.util.Map<Integer, SmartThresholds.Limit> attributeLimits = thresholds.attributeLimits(r.model());
        for (String anomaly : r.anomalies()) {
            String field = anomaly.substring(0, Math.max(0, anomaly.indexOf(':')));
            // a garbled number the rules rely on makes the drive unjudgeable; one in an attribute they ignore does not
            Health severity = unwatchedAttribute(field, attributeLimits) ? Health.HEALTHY : Health.UNKNOWN;
            reasons.add(new Reason(severity, field, "out of range", anomaly));
        }
        if (!r.readable()) {
            reasons.add(new Reason(Health.UNKNOWN, "device", r.unreadable(), "a drive that cannot be read is not healthy"));
            return Verdict.of(reasons);
        }
        if (Boolean.FALSE.equals(r.smartEnabled())) {
            reasons.add(new Reason(Health.UNKNOWN, "smart_support.enabled", "false", "SMART is disabled on the drive"));
        }
        overall(r, reasons);
        switch (r.driveInterface() == null ? DriveInterface.ATA : r.driveInterface()) {
            case ATA -> AtaRules.judge(r, attributeLimits, reasons);
            case NVME -> DeviceRules.nvme(r.nvme(), thresholds, reasons);
            case SCSI -> DeviceRules.scsi(r.scsi(), thresholds, reasons);
        }
        temperature(r.temperatureC(), limits, reasons);
        return Verdict.of(reasons);
    }

    private static void overall(DriveReading r, List<Reason> reasons) {
        ExitStatus exit = r.exitStatus();
        if (Boolean.FALSE.equals(r.smartPassed())) {
            reasons.add(new Reason(Health.FAILED, "smart_status.passed", "false", "the drive reports SMART overall-health FAILED"));
        } else if (exit.diskFailing()) {
            reasons.add(new Reason(Health.FAILED, "smartctl.exit_status", "bit 3", "smartctl: SMART status DISK FAILING"));
        }
        if (exit.prefailAtThreshold()) {
            reasons.add(new Reason(Health.FAILING, "smartctl.exit_status", "bit 4", "smartctl: a prefail attribute is at or below its threshold now"));
        }
        if (exit.atThresholdInPast()) {
            reasons.add(new Reason(Health.WARNING, "smartctl.exit_status", "bit 5", "smartctl: an attribute was at or below its threshold in the past"));
        }
        DriveReading.SelfTests tests = r.selfTests();
        if (tests != null && tests.failed() > 0) {
            reasons.add(new Reason(Health.WARNING, "self_test_log", tests.failed() + " of " + tests.count() + " failed",
                    "self-tests did not complete without error"));
        } else if (exit.selfTestLogHasErrors()) {
            reasons.add(new Reason(Health.WARNING, "smartctl.exit_status", "bit 7", "smartctl: the self-test log has errors"));
        }
        if (exit.errorLogHasEntries()) {
            reasons.add(new Reason(Health.HEALTHY, "smartctl.exit_status", "bit 6",
                    "note: the device error log has entries (often old or interface errors)"));
        }
        if (exit.commandFailed()) {
            reasons.add(new Reason(Health.HEALTHY, "smartctl.exit_status", "bit 2",
                    "note: some SMART commands failed; data may be partial (common behind RAID controllers)"));
        }
    }

    private static boolean unwatchedAttribute(String field, java.util.Map<Integer, SmartThresholds.Limit> limits) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^ata_smart_attributes\\[(\\d+)]").matcher(field);
        return m.find() && !limits.containsKey(Integer.parseInt(m.group(1)));
    }

    private static void temperature(Integer celsius, TemperatureLimits limits, List<Reason> reasons) {
        if (celsius == null || limits == null) {
            return;
        }
        if (celsius >= limits.criticalC()) {
            reasons.add(new Reason(Health.FAILING, "temperature.current", celsius + " C", "at or above the critical limit " + limits.criticalC() + " C"));
        } else if (celsius >= limits.warnC()) {
            reasons.add(new Reason(Health.WARNING, "temperature.current", celsius + " C", "at or above the warning limit " + limits.warnC() + " C"));
        }
    }
}
