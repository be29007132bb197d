package io.podfleet.smart;

/** What one smartctl JSON document describes: a drive ({@code -x}/{@code -a}) or a device list ({@code --scan}). */
public sealed interface SmartctlOutput permits DriveReading, DeviceScan {

    ExitStatus exitStatus();
}
