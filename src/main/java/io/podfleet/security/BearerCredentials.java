package io.podfleet.security;

import org.springframework.security.core.Authentication;

import java.util.Optional;

/**
 * One kind of bearer secret (API tokens here; agent credentials in {@code fleet}). The filter asks each kind in
 * turn; the first that knows the secret answers.
 */
public interface BearerCredentials {

    /** What a secret of this kind proves. */
    sealed interface Result {
        /** A valid secret: who is calling. */
        record Valid(Authentication authentication) implements Result {
        }

        /** A secret this kind knows but no longer honours. */
        record Revoked(String detail) implements Result {
        }
    }

    /** Empty when the secret is not of this kind; looks up by the secret's hash. */
    Optional<Result> authenticate(String secret, String secretHash);
}
