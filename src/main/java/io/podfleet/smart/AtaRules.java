package io.podfleet.smart;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ATA attribute table: thresholds the drive itself sets, then the Backblaze five counted against our limits. */
final class AtaRules {

    private static final int COMMAND_TIMEOUT = 188;
    private static final int UDMA_CRC_ERRORS = 199;

    private AtaRules() {
    }

    static void judge(DriveReading r, Map<Integer, SmartThresholds.Limit> limits, List<Reason> reasons) {
        for (DriveReading.AtaAttribute a : r.ataAttributes()) {
            String field = "attribute " + a.id() + (a.name() == null ? "" : " " + a.name());
            driveThreshold(a, field, reasons);
            SmartThresholds.Limit limit = limits.get(a.id());
            Long count = count(a, r);
            if (limit != null && count != null) {
                Health h = limit.judge(count);
                if (h != Health.HEALTHY) {
                    String value = count.equals(a.raw()) ? Long.toString(count)
                            : count + " (raw " + a.raw() + ": three 16-bit counters, low 16 bits read)";
                    reasons.add(new Reason(h, field, value, h == Health.FAILING
                            ? "raw count at or above " + limit.failingAt() : "raw count at or above " + limit.warnAt()));
                }
            }
            if (a.id() == UDMA_CRC_ERRORS && a.raw() != null && a.raw() > 0) {
                reasons.add(new Reason(Health.HEALTHY, field, Long.toString(a.raw()),
                        "note: interface CRC errors point at the cable or backplane, not the drive"));
            }
        }
    }

    private static void driveThreshold(DriveReading.AtaAttribute a, String field, List<Reason> reasons) {
        String when = a.whenFailed() == null ? "" : a.whenFailed().toLowerCase(Locale.ROOT);
        boolean atThreshold = a.threshold() != null && a.threshold() > 0 && a.value() != null && a.value() <= a.threshold();
        if (when.equals("now") || (atThreshold && a.prefailure())) {
            reasons.add(new Reason(Health.FAILING, field, "value " + a.value() + ", threshold " + a.threshold(),
                    a.prefailure() ? "prefail attribute failing now" : "attribute failing now"));
        } else if (when.equals("past") || atThreshold) {
            reasons.add(new Reason(Health.WARNING, field, "value " + a.value() + ", worst " + a.worst() + ", threshold " + a.threshold(),
                    when.equals("past") ? "attribute was at its threshold in the past" : "old-age attribute at its threshold"));
        }
    }

    /**
     * The event count an attribute stands for. Seagate packs three 16-bit counters into 188's 48-bit raw value
     * (e.g. 51540393996 = 0x000C000C000C, meaning 12); a 16-bit counter cannot exceed 65535, so any larger 188 is
     * packed whatever the vendor.
     */
    static Long count(DriveReading.AtaAttribute a, DriveReading r) {
        if (a.raw() == null) {
            return null;
        }
        if (a.id() == COMMAND_TIMEOUT && (a.raw() > 0xFFFF || isSeagate(r))) {
            return a.raw() & 0xFFFF;
        }
        return a.raw();
    }

    private static boolean isSeagate(DriveReading r) {
        return (r.model() != null && r.model().startsWith("ST"))
                || (r.modelFamily() != null && r.modelFamily().toLowerCase(Locale.ROOT).contains("seagate"));
    }
}
