package io.podfleet.smart;

import java.util.ArrayList;
import java.util.List;

/**
 * smartctl's exit status, a bit mask. Bits 0-2 mean data may be missing; bits 3-7 describe the drive and come
 * with valid data.
 */
public record ExitStatus(int value) {

    public static final ExitStatus OK = new ExitStatus(0);

    private static final String[] MEANING = {
            "command line did not parse",
            "device open failed, or device did not return an IDENTIFY answer",
            "some SMART or other ATA command to the disk failed, or a checksum error in a SMART data structure",
            "SMART status check returned \"DISK FAILING\"",
            "prefail attributes at or below threshold",
            "some attributes have been at or below threshold in the past",
            "the device error log contains records of errors",
            "the device self-test log contains records of errors",
    };

    public boolean bit(int n) {
        return (value & (1 << n)) != 0;
    }

    /** Bits 0 or 1: smartctl could not talk to the drive at all. */
    public boolean unreadable() {
        return bit(0) || bit(1);
    }

    public boolean commandFailed() {
        return bit(2);
    }

    public boolean diskFailing() {
        return bit(3);
    }

    public boolean prefailAtThreshold() {
        return bit(4);
    }

    public boolean atThresholdInPast() {
        return bit(5);
    }

    public boolean errorLogHasEntries() {
        return bit(6);
    }

    public boolean selfTestLogHasErrors() {
        return bit(7);
    }

    /** The meaning of each set bit, lowest first. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < MEANING.length; i++) {
            if (bit(i)) {
                out.add("bit " + i + ": " + MEANING[i]);
            }
        }
        return out;
    }
}
