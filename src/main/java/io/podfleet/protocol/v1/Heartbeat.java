package io.podfleet.protocol.v1;

import java.time.Instant;

/**
 * {@code POST /api/v1/agent/heartbeat}, every 30 s: small, so that liveness costs the fleet little.
 *
 * @param sequence     increases by one per heartbeat since the agent started
 * @param spoolDepth   reports waiting on disk to be sent
 * @param spoolDropped reports dropped because the spool was full, since the agent's first start
 */
public record Heartbeat(String hostId, long sequence, Instant sentAt, long uptimeSeconds, double load1,
                        String agentVersion, int spoolDepth, long spoolDropped) {
}
