package io.podfleet.smart;

import java.util.List;

/** The output of {@code smartctl --scan -j} or {@code --scan-open -j}. */
public record DeviceScan(List<DriveReading.Device> devices, ExitStatus exitStatus) implements SmartctlOutput {
    public DeviceScan {
        devices = List.copyOf(devices);
    }
}
