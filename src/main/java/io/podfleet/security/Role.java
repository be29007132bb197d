package io.podfleet.security;

/** What a person or a tool may do. VIEWER, OPERATOR and ADMIN each include the ones before; DISPATCHER stands apart. */
public enum Role {
    /** Reads everything. */
    VIEWER,
    /** Also acts on hosts, drives, vaults and alerts. */
    OPERATOR,
    /** Also manages users and tokens. */
    ADMIN,
    /**
     * An upload front-end: may ask for upload targets (leases) and end them, nothing else; not part of the
     * hierarchy above, and for API tokens only.
     */
    DISPATCHER;

    public String authority() {
        return "ROLE_" + name();
    }
}
