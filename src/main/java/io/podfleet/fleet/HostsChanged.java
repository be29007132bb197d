package io.podfleet.fleet;

import java.util.Set;

/**
 * Published after something that decides whether a host's shards are readable changed: a committed report (drives,
 * shard filesystems), host health, admin state, a drive removed. Listeners (vaults) re-assess what they hold there.
 */
public record HostsChanged(Set<Long> hostIds) {

    public HostsChanged {
        hostIds = Set.copyOf(hostIds);
    }

    public static HostsChanged of(long hostId) {
        return new HostsChanged(Set.of(hostId));
    }
}
