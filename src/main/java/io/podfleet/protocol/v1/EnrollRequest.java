package io.podfleet.protocol.v1;

/**
 * {@code POST /api/v1/agent/enroll}: trades a one-time enrollment token for this host's agent credential.
 *
 * @param systemSerial the chassis serial from the BIOS: the host's identity across re-installs
 * @param profileId    the hardware profile id, configured or detected; null when unknown
 */
public record EnrollRequest(String enrollmentToken, String hostname, String systemSerial, String profileId,
                            String agentVersion) {
}
