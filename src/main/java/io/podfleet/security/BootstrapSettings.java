package io.podfleet.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first credentials of an empty database, from {@code PODFLEET_BOOTSTRAP_TOKEN} and
 * {@code PODFLEET_BOOTSTRAP_PASSWORD}. Unset: generated and printed once to the log.
 */
@ConfigurationProperties("podfleet.bootstrap")
record BootstrapSettings(String token, String password) {
    BootstrapSettings {
        if (token != null && !token.isBlank() && token.length() < 20) {
            throw new IllegalArgumentException("PODFLEET_BOOTSTRAP_TOKEN must be at least 20 characters");
        }
    }
}
