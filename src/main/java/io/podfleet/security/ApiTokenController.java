package io.podfleet.security;

import io.podfleet.platform.problem.DomainProblem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import io.podfleet.platform.database.TransactionManagers;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** API tokens for provisioning tools: ADMIN only; the secret is returned once, at creation. */
@RestController
@RequestMapping("/api/v1/api-tokens")
@PreAuthorize("hasRole('ADMIN')")
class ApiTokenController {

    private final ApiTokenRepository tokens;
    private final ApiTokens issuer;
    private final AuditLog audit;
    private final Clock clock;

    private final CredentialCache credentials;

    ApiTokenController(ApiTokenRepository tokens, ApiTokens issuer, AuditLog audit, Clock clock, CredentialCache credentials) {
        this.credentials = credentials;
        this.tokens = tokens;
        this.issuer = issuer;
        this.audit = audit;
        this.clock = clock;
    }

    record CreateToken(@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,100}",
            message = "must be 1 to 100 letters, digits, '.', '_' or '-'") String name,
                       @NotNull Role role) {
    }

    record TokenView(long id, String name, Role role, Instant createdAt, String createdBy, Instant revokedAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id(), t.name(), t.role(), t.createdAt(), t.createdBy(), t.revokedAt());
        }
    }

    record CreatedToken(long id, String name, Role role, String token) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedToken create(@Valid @RequestBody CreateToken request) {
        ApiTokens.Issued issued = issuer.issue(request.name(), request.role(), AuditLog.currentActor());
        return new CreatedToken(issued.id(), issued.name(), issued.role(), issued.secret());
    }

    @GetMapping
    List<TokenView> list() {
        return tokens.findAllByOrderByIdAsc().stream().map(TokenView::of).toList();
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional(TransactionManagers.JPA)
    void revoke(@PathVariable long id) {
        ApiToken token = tokens.findById(id).orElseThrow(() -> new DomainProblem.NotFound("API token", id));
        if (!token.revoked()) {
            token.revoke(clock.instant());
            credentials.clearAfterCommit();
            audit.record("api-token.revoke", "api-token:" + id, Map.of("revoked", false), Map.of("revoked", true));
        }
    }
}
