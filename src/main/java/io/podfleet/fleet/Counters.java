package io.podfleet.fleet;

import io.podfleet.smart.DriveReading;

/** The counters the server keeps per sample, read the way the health rules read them. */
final class Counters {

    private Counters() {
    }

    /** An ATA attribute's count as the health rules read it. */
    static Long ata(DriveReading r, int id) {
        return io.podfleet.smart.HealthRules.eventCount(r, id);
    }

    static Long scsiUncorrected(DriveReading r) {
        if (r.scsi() == null) {
            return null;
        }
        long sum = 0;
        boolean any = false;
        for (Long v : new Long[]{r.scsi().readUncorrected(), r.scsi().writeUncorrected(), r.scsi().verifyUncorrected()}) {
            if (v != null) {
                sum += v;
                any = true;
            }
        }
        return any ? sum : null;
    }
}
