-- Upload front-ends hold API tokens of their own role: they may ask for upload targets and nothing else.
ALTER TABLE api_token DROP CONSTRAINT IF EXISTS api_token_role_check;
ALTER TABLE api_token ADD CONSTRAINT api_token_role_check CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN', 'DISPATCHER'));

-- Per-vault connection counter: the arbiter of the limit across server instances. A grant is a conditional
-- increment (active < limit), in the same transaction as its lease row; ending a lease decrements it.
CREATE TABLE vault_admission (
    vault_id       INT         PRIMARY KEY REFERENCES vault (id),
    active         INT         NOT NULL DEFAULT 0 CHECK (active >= 0),
    limit_override INT         CHECK (limit_override >= 0),
    updated_at     TIMESTAMPTZ NOT NULL
);

-- Active leases per pod (member position), to send each upload to the least busy pod.
CREATE TABLE pod_admission (
    vault_id INT NOT NULL REFERENCES vault (id),
    position INT NOT NULL,
    active   INT NOT NULL DEFAULT 0 CHECK (active >= 0),
    PRIMARY KEY (vault_id, position)
);

-- Every upload lease, open (ended_at null) or ended; accounting rolls ended ones up by day.
CREATE TABLE upload_lease (
    id          UUID         PRIMARY KEY,
    vault_id    INT          NOT NULL REFERENCES vault (id),
    position    INT          NOT NULL,
    host_id     BIGINT       NOT NULL,
    tome        INT          NOT NULL,
    client_id   VARCHAR(200) NOT NULL,
    size_hint   BIGINT,
    granted_by  VARCHAR(100) NOT NULL,
    acquired_at TIMESTAMPTZ  NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    renewals    INT          NOT NULL DEFAULT 0,
    ended_at    TIMESTAMPTZ,
    outcome     VARCHAR(10)  CHECK (outcome IN ('COMPLETED', 'FAILED', 'ABANDONED')),
    bytes       BIGINT,
    files       INT
);
CREATE INDEX upload_lease_open_expiry ON upload_lease (expires_at) WHERE ended_at IS NULL;
CREATE INDEX upload_lease_open_vault ON upload_lease (vault_id) WHERE ended_at IS NULL;
CREATE INDEX upload_lease_ended ON upload_lease (ended_at);
