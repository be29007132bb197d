package io.podfleet.fleet;

import io.podfleet.security.BearerCredentials;
import io.podfleet.security.SecurityConfiguration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** Agent credentials: bearer secrets bound to one host. A revoked one says so, so the agent knows to enroll again. */
@Component
@org.springframework.core.annotation.Order(1) // asked first: agents make most of the calls, and say who they are by prefix
class AgentCredentials implements BearerCredentials {

    private final JdbcClient jdbc;

    AgentCredentials(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Result> authenticate(String secret, String secretHash) {
        if (!secret.startsWith(Enrollment.CREDENTIAL_PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        SELECT c.host_id, h.hostname, c.revoked_at IS NOT NULL FROM agent_credential c
                        JOIN host h ON h.id = c.host_id WHERE c.credential_hash = ?""")
                .param(secretHash)
                .query((rs, i) -> rs.getBoolean(3)
                        ? (Result) new Result.Revoked("The agent credential was revoked: enroll again with a new token")
                        : new Result.Valid(UsernamePasswordAuthenticationToken.authenticated(
                        new AgentPrincipal(rs.getLong(1), rs.getString(2)), null,
                        List.of(new SimpleGrantedAuthority("ROLE_" + SecurityConfiguration.AGENT)))))
                .optional();
    }
}
