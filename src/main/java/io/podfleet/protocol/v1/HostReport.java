package io.podfleet.protocol.v1;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/agent/reports}: everything the agent collected at one moment. {@code reportId} makes a resend
 * harmless: the server acknowledges a report id it has committed before without storing it again.
 */
public record HostReport(UUID reportId, String hostId, Instant takenAt, String agentVersion, String profileId,
                         HostFacts host, List<DriveSample> drives, List<ShardFilesystem> shards,
                         CollectionStats collection) {
    public HostReport {
        drives = drives == null ? List.of() : List.copyOf(drives);
        shards = shards == null ? List.of() : List.copyOf(shards);
    }

    /** How the collection went: useful when a host reports fewer drives than it should. */
    public record CollectionStats(long durationMillis, int devicesScanned, int devicesRead, int devicesTimedOut,
                                  int devicesInStandby) {
    }
}
