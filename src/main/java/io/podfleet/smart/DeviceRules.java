package io.podfleet.smart;

import java.util.ArrayList;
import java.util.List;

/** NVMe health log and SAS (SCSI) counters. */
final class DeviceRules {

    private static final String[] CRITICAL_WARNING_BITS = {
            "available spare below threshold", "temperature outside limits", "reliability degraded",
            "media in read-only mode", "volatile memory backup failed", "persistent memory region unreliable"};

    private DeviceRules() {
    }

    static void nvme(DriveReading.NvmeHealth n, SmartThresholds t, List<Reason> reasons) {
        if (n == null) {
            return;
        }
        String log = "nvme_smart_health_information_log.";
        if (n.criticalWarning() != null && n.criticalWarning() != 0) {
            int w = n.criticalWarning();
            List<String> bits = new ArrayList<>();
            for (int i = 0; i < CRITICAL_WARNING_BITS.length; i++) {
                if ((w & (1 << i)) != 0) {
                    bits.add(CRITICAL_WARNING_BITS[i]);
                }
            }
            // temperature alone is the environment's problem, not yet the drive's
            Health h = w == 0x02 ? Health.WARNING : Health.FAILING;
            reasons.add(new Reason(h, log + "critical_warning", w + " (" + String.join(", ", bits) + ")",
                    "the controller raised a critical warning"));
        }
        if (n.availableSpare() != null && n.availableSpareThreshold() != null && n.availableSpare() < n.availableSpareThreshold()) {
            reasons.add(new Reason(Health.FAILING, log + "available_spare", n.availableSpare() + " %",
                    "below the threshold " + n.availableSpareThreshold() + " %"));
        }
        if (n.percentageUsed() != null && n.percentageUsed() >= 100) {
            reasons.add(new Reason(Health.FAILING, log + "percentage_used", n.percentageUsed() + " %", "rated endurance used up"));
        } else if (n.percentageUsed() != null && n.percentageUsed() >= t.nvmePercentageUsedWarn()) {
            reasons.add(new Reason(Health.WARNING, log + "percentage_used", n.percentageUsed() + " %",
                    "at or above " + t.nvmePercentageUsedWarn() + " % of rated endurance"));
        }
        counter(log + "media_errors", n.mediaErrors(), t.nvmeMediaErrors(), "unrecovered data integrity errors", reasons);
    }

    static void scsi(DriveReading.ScsiHealth s, SmartThresholds t, List<Reason> reasons) {
        if (s == null) {
            return;
        }
        counter("scsi_grown_defect_list", s.grownDefects(), t.scsiGrownDefects(), "sectors remapped since manufacture", reasons);
        counter("scsi_error_counter_log.read.total_uncorrected_errors", s.readUncorrected(), t.scsiUncorrected(), "uncorrected read errors", reasons);
        counter("scsi_error_counter_log.write.total_uncorrected_errors", s.writeUncorrected(), t.scsiUncorrected(), "uncorrected write errors", reasons);
        counter("scsi_error_counter_log.verify.total_uncorrected_errors", s.verifyUncorrected(), t.scsiUncorrected(), "uncorrected verify errors", reasons);
    }

    private static void counter(String field, Long value, SmartThresholds.Limit limit, String what, List<Reason> reasons) {
        if (value == null) {
            return;
        }
        Health h = limit.judge(value);
        if (h != Health.HEALTHY) {
            reasons.add(new Reason(h, field, Long.toString(value), what + " at or above "
                    + (h == Health.FAILING ? limit.failingAt() : limit.warnAt())));
        }
    }
}
