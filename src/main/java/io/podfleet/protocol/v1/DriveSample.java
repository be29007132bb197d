package io.podfleet.protocol.v1;

import io.podfleet.smart.DriveReading;

/**
 * One drive in a report: where it sits, and what smartctl said, parsed.
 *
 * @param slot       the bay number, or null when the agent could not place the drive
 * @param slotSource how the slot was found: {@code enclosure} (sysfs SES slot), {@code by-path}, or {@code none}
 * @param reading    the parsed smartctl output ({@code smart.DriveReading}; additive changes only within v1)
 */
public record DriveSample(Integer slot, String slotSource, DriveReading reading) {
}
