package io.podfleet.security;

import org.springframework.stereotype.Service;
import io.podfleet.platform.database.TransactionManagers;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.Map;

/** Issues API tokens; the secret is returned once and only its hash is kept. */
@Service
public class ApiTokens {

    /** A token just issued: its id and its secret. */
    public record Issued(long id, String name, Role role, String secret) {
    }

    private final ApiTokenRepository tokens;
    private final AuditLog audit;
    private final Clock clock;

    ApiTokens(ApiTokenRepository tokens, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** Issues a token in the name of {@code actor} (the caller, or a component of the server such as the demo). */
    @Transactional(TransactionManagers.JPA)
    public Issued issue(String name, Role role, String actor) {
        String secret = Tokens.generate("pf_");
        ApiToken token = tokens.save(new ApiToken(name, Tokens.hash(secret), role, clock.instant(), actor));
        audit.recordAs(actor, "api-token.create", "api-token:" + token.id(), null, Map.of("name", name, "role", role));
        return new Issued(token.id(), name, role, secret);
    }
}
