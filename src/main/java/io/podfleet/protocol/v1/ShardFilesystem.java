package io.podfleet.protocol.v1;

/**
 * The filesystem holding one tome shard: the data drive in {@code slot}, mounted (or not) at {@code mountPoint}.
 * Byte and inode figures are null when it is not mounted.
 */
public record ShardFilesystem(int slot, String mountPoint, boolean mounted, String device, String fsType,
                              boolean readOnly, Long totalBytes, Long usedBytes, Long freeBytes, Long totalInodes,
                              Long freeInodes) {
}
