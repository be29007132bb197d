package io.podfleet.protocol.v1;

/**
 * The answer to an enrollment: the host's id and its credential, shown once. The agent stores it (mode 0600) and
 * sends it as {@code Authorization: Bearer <credential>}.
 */
public record EnrollResponse(String hostId, String credential) {
}
