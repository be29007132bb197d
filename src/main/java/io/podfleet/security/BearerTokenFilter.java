package io.podfleet.security;

import io.podfleet.platform.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
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

    private final ApiTokenRepository tokens;

    BearerTokenFilter(ApiTokenRepository tokens) {
        this.tokens = tokens;
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
        Optional<ApiToken> token = secret.isEmpty() ? Optional.empty() : tokens.findByTokenHash(Tokens.hash(secret));
        if (token.isEmpty() || token.get().revoked()) {
            ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "The bearer token is unknown or revoked");
            return;
        }
        ApiToken t = token.get();
        var auth = UsernamePasswordAuthenticationToken.authenticated("token:" + t.name(), null,
                List.of(new SimpleGrantedAuthority(t.role().authority())));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
