package io.podfleet.security;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A bearer token for a provisioning tool or an operator's script; the secret itself is never stored. */
@Entity
@Table(name = "api_token")
class ApiToken {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;
    private String tokenHash;
    @Enumerated(EnumType.STRING)
    private Role role;
    private Instant createdAt;
    private String createdBy;
    private Instant revokedAt;

    protected ApiToken() {
    }

    ApiToken(String name, String tokenHash, Role role, Instant createdAt, String createdBy) {
        this.name = name;
        this.tokenHash = tokenHash;
        this.role = role;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    Role role() {
        return role;
    }

    Instant createdAt() {
        return createdAt;
    }

    String createdBy() {
        return createdBy;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    boolean revoked() {
        return revokedAt != null;
    }

    void revoke(Instant at) {
        if (revokedAt == null) {
            revokedAt = at;
        }
    }
}
