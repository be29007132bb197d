package io.podfleet.security;

import io.podfleet.platform.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates {@code Authorization: Bearer <token>}. A request with a token that is unknown or revoked is answered
 * 401 at once rather than treated as anonymous, so a tool with a bad token hears about it even on open paths.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private final List<BearerCredentials> kinds;
    private final CredentialCache cache;

    BearerTokenFilter(List<BearerCredentials> kinds, CredentialCache cache) {
        this.kinds = kinds;
        this.cache = cache;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        String secret = header.substring(7).trim();
        String hash = Tokens.hash(secret);
        Optional<BearerCredentials.Result> result = secret.isEmpty() ? Optional.empty()
                : cache.get(hash).<BearerCredentials.Result>map(v -> v)
                .or(() -> kinds.stream().map(k -> k.authenticate(secret, hash)).flatMap(Optional::stream).findFirst());
        result.filter(BearerCredentials.Result.Valid.class::isInstance)
                .ifPresent(v -> cache.put(hash, (BearerCredentials.Result.Valid) v));
        if (result.isEmpty()) {
            ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "The bearer token is unknown or revoked");
            return;
        }
        if (result.get() instanceof BearerCredentials.Result.Revoked revoked) {
            ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, revoked.detail());
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(((BearerCredentials.Result.Valid) result.get()).authentication());
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
