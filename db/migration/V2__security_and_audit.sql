-- API tokens for provisioning tools and operators. Only a SHA-256 of the token is stored: tokens are
-- 256-bit random strings, so a fast hash is enough and keeps per-request authentication cheap.
CREATE TABLE api_token (
    id           BIGSERIAL PRIMARY KEY,
    name         VARCHAR(100) NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    role         VARCHAR(20)  NOT NULL CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    created_at   TIMESTAMPTZ  NOT NULL,
    created_by   VARCHAR(100) NOT NULL,
    revoked_at   TIMESTAMPTZ
);

-- Dashboard users; passwords hashed with the delegating encoder (bcrypt by default).
CREATE TABLE dashboard_user (
    id            BIGSERIAL PRIMARY KEY,
    username      VARCHAR(100) NOT NULL UNIQUE,
    password_hash VARCHAR(200) NOT NULL,
    role          VARCHAR(20)  NOT NULL CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    enabled       BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ  NOT NULL
);

-- Every change made by a person or a tool: who, when, what, on which object, before and after.
CREATE TABLE audit_event (
    id       BIGSERIAL PRIMARY KEY,
    at       TIMESTAMPTZ  NOT NULL,
    actor    VARCHAR(100) NOT NULL,
    action   VARCHAR(100) NOT NULL,
    target   VARCHAR(200) NOT NULL,
    before   JSONB,
    after    JSONB
);
CREATE INDEX audit_event_at ON audit_event (at DESC);
CREATE INDEX audit_event_target ON audit_event (target, at DESC);
