package io.podfleet.smart;

/** The command set smartctl used: ATA (SATA, also behind SAT bridges and MegaRAID), SCSI (SAS), or NVMe. */
public enum DriveInterface {
    ATA, SCSI, NVME;

    static DriveInterface fromProtocol(String protocol) {
        if (protocol == null) {
            return null;
        }
        return switch (protocol.toUpperCase(java.util.Locale.ROOT)) {
            case "ATA" -> ATA;
            case "SCSI" -> SCSI;
            case "NVME" -> NVME;
            default -> null;
        };
    }
}
