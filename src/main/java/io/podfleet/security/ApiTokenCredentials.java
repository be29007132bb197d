package io.podfleet.security;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** API tokens of people and provisioning tools. */
@Component
@org.springframework.core.annotation.Order(2)
class ApiTokenCredentials implements BearerCredentials {

    private final ApiTokenRepository tokens;

    ApiTokenCredentials(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<Result> authenticate(String secret, String secretHash) {
        return tokens.findByTokenHash(secretHash).map(t -> t.revoked()
                ? new Result.Revoked("The API token was revoked")
                : new Result.Valid(UsernamePasswordAuthenticationToken.authenticated("token:" + t.name(), null,
                List.of(new SimpleGrantedAuthority(t.role().authority())))));
    }
}
