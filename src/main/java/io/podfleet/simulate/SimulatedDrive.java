package io.podfleet.simulate;

import io.podfleet.smart.DriveInterface;
import io.podfleet.smart.DriveReading;
import io.podfleet.smart.ExitStatus;

import java.util.List;
import java.util.Random;

/**
 * One drive in a simulated bay. It ages; at its chosen moment it starts to fail: reallocated and pending sectors
 * grow for a few reports, then SMART fails or the drive drops off the bus, and a few reports later a technician
 * puts a new drive in the bay.
 */
final class SimulatedDrive {

    enum Phase { HEALTHY, DEGRADING, FAILED, GONE }

    private static final String[][] MODELS = {
            {"ST16000NM001G-2KK103", "Seagate Exos X16"},
            {"WDC WUH721816ALE6L4", "WDC Ultrastar DC HC550"},
            {"TOSHIBA MG08ACA16TE", "Toshiba MG08ACA"}};

    final String serial;
    private final String model;
    private final String family;
    private final long capacityBytes;
    private double powerOnHours;
    private long reallocated;
    private long pending;
    private long commandTimeouts;
    private int temperature;
    private Phase phase = Phase.HEALTHY;
    private int reportsInPhase;
    private final boolean diesSilently;
    private boolean held;

    SimulatedDrive(String serial, Random random, long capacityBytes) {
        this.serial = serial;
        String[] m = MODELS[random.nextInt(MODELS.length)];
        this.model = m[0];
        this.family = m[1];
        this.capacityBytes = capacityBytes;
        this.powerOnHours = random.nextInt(20_000);
        this.temperature = 26 + random.nextInt(10);
        this.commandTimeouts = random.nextInt(4);
        this.diesSilently = random.nextBoolean();
    }

    Phase phase() {
        return phase;
    }

    void startFailing() {
        if (phase == Phase.HEALTHY) {
            phase = Phase.DEGRADING;
            reportsInPhase = 0;
        }
    }

    /** Fails SMART now and stays failed in its bay (no dropping off, no replacement) until the bay is emptied by hand. */
    void failNow() {
        phase = Phase.FAILED;
        held = true;
    }

    /** Advances one report interval of simulated time. */
    void age(double hours, Random random) {
        powerOnHours += hours;
        temperature = Math.max(22, Math.min(44, temperature + random.nextInt(3) - 1));
        if (held) {
            return;
        }
        reportsInPhase++;
        switch (phase) {
            case DEGRADING -> {
                reallocated += 5 + random.nextInt(40);
                pending += random.nextInt(6);
                if (reportsInPhase >= 3) {
                    phase = diesSilently ? Phase.GONE : Phase.FAILED;
                    reportsInPhase = 0;
                }
            }
            case FAILED -> {
                if (reportsInPhase >= 2) {
                    phase = Phase.GONE;
                    reportsInPhase = 0;
                }
            }
            default -> {
            }
        }
    }

    /** Reports since the drive disappeared: the bay is refilled after a few. */
    int reportsGone() {
        return phase == Phase.GONE ? reportsInPhase : 0;
    }

    DriveReading reading(String device) {
        boolean failed = phase == Phase.FAILED;
        List<DriveReading.AtaAttribute> attributes = List.of(
                attribute(5, "Reallocated_Sector_Ct", failed ? 5 : 100, 10, reallocated, true, failed ? "now" : null),
                attribute(9, "Power_On_Hours", 90, 0, (long) powerOnHours, false, null),
                attribute(187, "Reported_Uncorrect", 100, 0, failed ? 12 : 0, false, null),
                attribute(188, "Command_Timeout", 100, 0, commandTimeouts, false, null),
                attribute(194, "Temperature_Celsius", 60, 0, temperature, false, null),
                attribute(197, "Current_Pending_Sector", 100, 0, pending, false, null),
                attribute(198, "Offline_Uncorrectable", 100, 0, failed ? pending : 0, false, null));
        return new DriveReading(new DriveReading.Device(device, device + " [SAT]", "sat", "ATA"), family, model, serial,
                null, "SIM1", capacityBytes, DriveInterface.ATA, 7200, true, true, !failed, temperature, (long) powerOnHours, 40L,
                attributes, null, null, null, new ExitStatus(failed ? 0x18 : 0), List.of(), false, null, List.of());
    }

    private static DriveReading.AtaAttribute attribute(int id, String name, int value, int threshold, long raw,
                                                       boolean prefail, String whenFailed) {
        return new DriveReading.AtaAttribute(id, name, value, value, threshold, raw, Long.toString(raw), whenFailed, prefail);
    }
}
