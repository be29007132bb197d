package io.podfleet.security;

/** What a person or a tool may do. Each role includes the ones before it. */
public enum Role {
    /** Reads everything. */
    VIEWER,
    /** Also acts on hosts, drives, vaults and alerts. */
    OPERATOR,
    /** Also manages users and tokens. */
    ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
