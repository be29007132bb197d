package io.podfleet.protocol.v1;

import java.util.UUID;

/** The server's answer once a report is committed: the agent may now delete it from its spool. */
public record ReportAck(UUID reportId, boolean duplicate) {
}
