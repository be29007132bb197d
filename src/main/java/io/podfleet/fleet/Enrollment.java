package io.podfleet.fleet;

import io.podfleet.protocol.v1.EnrollRequest;
import io.podfleet.protocol.v1.EnrollResponse;
import io.podfleet.security.AuditLog;
import io.podfleet.security.Tokens;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Enrollment tokens and the trade of one for an agent credential. A token works once, until it expires, and only
 * for the host name or system serial it was bound to (when bound). Enrolling a host again revokes its previous
 * credential: one live credential per host.
 */
@Service
class Enrollment {

    static final String TOKEN_PREFIX = "pf_enroll_";
    static final String CREDENTIAL_PREFIX = "pf_agent_";

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final FleetSettings settings;

    private final io.podfleet.security.CredentialCache credentials;
    private final HardwareProfiles profiles;

    Enrollment(JdbcClient jdbc, AuditLog audit, Clock clock, FleetSettings settings, io.podfleet.security.CredentialCache credentials,
               HardwareProfiles profiles) {
        this.credentials = credentials;
        this.profiles = profiles;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
    }

    record CreatedToken(long id, String token, Instant expiresAt, String hostname, String systemSerial) {
    }

    @Transactional
    CreatedToken createToken(Duration ttl, String hostname, String systemSerial) {
        FleetProblems.atMost("hostname", hostname, 253);
        FleetProblems.atMost("systemSerial", systemSerial, 100);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(settings.maxEnrollmentTokenTtl()) > 0) {
            throw new FleetProblems.InvalidField("ttl", "must be positive and at most " + settings.maxEnrollmentTokenTtl());
        }
        String secret = Tokens.generate(TOKEN_PREFIX);
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        long id = jdbc.sql("""
                        INSERT INTO enrollment_token (token_hash, hostname, system_serial, expires_at, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(Tokens.hash(secret), hostname, systemSerial, Timestamp.from(expires), AuditLog.currentActor(),
                        Timestamp.from(now))
                .query(Long.class).single();
        audit.record("enrollment-token.create", "enrollment-token:" + id, null,
                Map.of("expiresAt", expires.toString(), "hostname", String.valueOf(hostname),
                        "systemSerial", String.valueOf(systemSerial)));
        return new CreatedToken(id, secret, expires, hostname, systemSerial);
    }

    @Transactional
    EnrollResponse enroll(EnrollRequest request) {
        if (request.profileId() != null && profiles.find(request.profileId()).isEmpty()) {
            // a host tied to a profile the server does not know would be judged, placed and costed by no profile at all
            throw new FleetProblems.InvalidField("profileId", "no hardware profile '" + request.profileId() + "'; this server has "
                    + String.join(", ", profiles.all().stream().map(HardwareProfile::id).sorted().toList()));
        }
        Instant now = clock.instant();
        record Token(long id, String hostname, String systemSerial, Instant expiresAt, boolean used) {
        }
        Token token = jdbc.sql("""
                        SELECT id, hostname, system_serial, expires_at, used_at IS NOT NULL FROM enrollment_token
                        WHERE token_hash = ? FOR UPDATE""")
                .param(Tokens.hash(request.enrollmentToken()))
                .query((rs, i) -> new Token(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getBoolean(5)))
                .optional()
                .orElseThrow(() -> new FleetProblems.InvalidEnrollmentToken("unknown enrollment token"));
        if (token.used()) {
            throw new FleetProblems.InvalidEnrollmentToken("this enrollment token was used already; ask for a new one");
        }
        if (!now.isBefore(token.expiresAt())) {
            throw new FleetProblems.InvalidEnrollmentToken("this enrollment token expired at " + token.expiresAt());
        }
        if (token.hostname() != null && !token.hostname().equals(request.hostname())) {
            throw new FleetProblems.EnrollmentTokenBinding("hostname", "this token is for host " + token.hostname());
        }
        if (token.systemSerial() != null && !token.systemSerial().equals(request.systemSerial())) {
            throw new FleetProblems.EnrollmentTokenBinding("systemSerial", "this token is for system serial " + token.systemSerial());
        }
        long hostId = findOrCreateHost(request, now);
        int revoked = jdbc.sql("UPDATE agent_credential SET revoked_at = ? WHERE host_id = ? AND revoked_at IS NULL")
                .params(Timestamp.from(now), hostId).update();
        if (revoked > 0) {
            credentials.clearAfterCommit();
        }
        String secret = Tokens.generate(CREDENTIAL_PREFIX);
        jdbc.sql("INSERT INTO agent_credential (host_id, credential_hash, created_at) VALUES (?, ?, ?)")
                .params(hostId, Tokens.hash(secret), Timestamp.from(now)).update();
        jdbc.sql("UPDATE enrollment_token SET used_at = ?, used_by_host = ? WHERE id = ?")
                .params(Timestamp.from(now), hostId, token.id()).update();
        audit.recordAs("agent:" + request.hostname(), "host.enroll", "host:" + hostId,
                revoked > 0 ? Map.of("credential", "revoked") : null,
                Map.of("enrollmentToken", token.id(), "agentVersion", String.valueOf(request.agentVersion())));
        return new EnrollResponse(Long.toString(hostId), secret);
    }

    /** The host with this system serial (or, without one, this host name); a new host when there is none. */
    private long findOrCreateHost(EnrollRequest request, Instant now) {
        Optional<Long> existing = request.systemSerial() != null
                ? jdbc.sql("SELECT id FROM host WHERE system_serial = ?").param(request.systemSerial()).query(Long.class).optional()
                : Optional.empty();
        if (existing.isEmpty()) {
            existing = jdbc.sql("SELECT id FROM host WHERE hostname = ? AND (system_serial IS NULL OR ?::text IS NULL)")
                    .params(request.hostname(), request.systemSerial()).query(Long.class).optional();
        }
        if (existing.isPresent()) {
            jdbc.sql("UPDATE host SET system_serial = COALESCE(system_serial, ?), profile_id = COALESCE(profile_id, ?) WHERE id = ?")
                    .params(request.systemSerial(), request.profileId(), existing.get()).update();
            return existing.get();
        }
        if (jdbc.sql("SELECT count(*) FROM host WHERE hostname = ?").param(request.hostname()).query(Long.class).single() > 0) {
            throw new FleetProblems.HostnameTaken(request.hostname());
        }
        return jdbc.sql("""
                        INSERT INTO host (hostname, system_serial, profile_id, created_at) VALUES (?, ?, ?, ?) RETURNING id""")
                .params(request.hostname(), request.systemSerial(), request.profileId(), Timestamp.from(now))
                .query(Long.class).single();
    }
}
