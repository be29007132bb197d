package io.podfleet.protocol.v1;

import io.podfleet.smart.DriveReading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One drive in a report: where it sits, and what smartctl said, parsed.
 *
 * @param slot       the bay number, or null when the agent could not place the drive
 * @param slotSource how the slot was found: {@code enclosure} (sysfs SES slot), {@code by-path}, or {@code none}
 * @param reading    the parsed smartctl output ({@code smart.DriveReading}; additive changes only within v1)
 */
public record DriveSample(Integer slot, String slotSource, DriveReading reading) {

    /**
     * Each serial once, in the order first seen: a dual-ported SAS drive behind two expanders is two devices with one
     * serial. The sighting with a slot wins over one without. The agent applies it before sending, the server again
     * on what it receives (from any agent); samples without a serial are all kept.
     */
    public static List<DriveSample> oncePerSerial(List<DriveSample> samples) {
        Map<String, Integer> bySerial = new HashMap<>();
        List<DriveSample> once = new ArrayList<>(samples.size());
        for (DriveSample d : samples) {
            String serial = d.reading() == null ? null : d.reading().serial();
            Integer at = serial == null ? null : bySerial.putIfAbsent(serial, once.size());
            if (at == null) {
                once.add(d);
            } else if (once.get(at).slot() == null && d.slot() != null) {
                once.set(at, d);
            }
        }
        return once;
    }
}
