-- The shard filesystems each agent reports (fleet): one row per host and data-drive slot, replaced by each report.
CREATE TABLE shard_filesystem (
    host_id     BIGINT       NOT NULL REFERENCES host (id),
    slot        INT          NOT NULL,
    mount_point VARCHAR(300) NOT NULL,
    mounted     BOOLEAN      NOT NULL,
    read_only   BOOLEAN      NOT NULL,
    total_bytes BIGINT,
    used_bytes  BIGINT,
    free_bytes  BIGINT,
    reported_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (host_id, slot)
);

-- Vaults: width hosts whose same-slot drives form the tomes. Health and capacity columns are the last assessment,
-- kept so the list of vaults is one cheap query; the tome matrix is always computed fresh.
CREATE TABLE vault (
    id                 INT          PRIMARY KEY CHECK (id BETWEEN 1 AND 9999),
    name               VARCHAR(100) NOT NULL UNIQUE,
    datacenter         VARCHAR(64)  NOT NULL,
    cluster            INT          NOT NULL DEFAULT 0 CHECK (cluster BETWEEN 0 AND 999),
    data_shards        INT          NOT NULL CHECK (data_shards >= 1),
    parity_shards      INT          NOT NULL CHECK (parity_shards >= 1),
    width              INT          NOT NULL CHECK (width = data_shards + parity_shards),
    tome_count         INT          NOT NULL CHECK (tome_count >= 1),
    first_slot         INT          NOT NULL,
    drive_capacity     BIGINT,
    state              VARCHAR(10)  NOT NULL
                       CHECK (state IN ('FORMING', 'BURN_IN', 'ACTIVE', 'FULL', 'DRAINING', 'RETIRED')),
    state_since        TIMESTAMPTZ  NOT NULL,
    burn_in_until      TIMESTAMPTZ,
    health             VARCHAR(10)  NOT NULL DEFAULT 'HEALTHY',
    writable           BOOLEAN      NOT NULL DEFAULT FALSE,
    not_writable       JSONB        NOT NULL DEFAULT '[]',
    members_ok         INT          NOT NULL DEFAULT 0,
    drives_online      INT          NOT NULL DEFAULT 0,
    drives_offline     INT          NOT NULL DEFAULT 0,
    raw_bytes          BIGINT       NOT NULL DEFAULT 0,
    used_bytes         BIGINT       NOT NULL DEFAULT 0,
    free_bytes         BIGINT       NOT NULL DEFAULT 0,
    utilization        DOUBLE PRECISION NOT NULL DEFAULT 0,
    assessed_at        TIMESTAMPTZ,
    created_at         TIMESTAMPTZ  NOT NULL
);

-- Who sits at each position, now and before. A host is in at most one vault, a position has one host.
CREATE TABLE vault_member (
    id         BIGSERIAL   PRIMARY KEY,
    vault_id   INT         NOT NULL REFERENCES vault (id),
    position   INT         NOT NULL,
    host_id    BIGINT      NOT NULL REFERENCES host (id),
    rebuilding BOOLEAN     NOT NULL DEFAULT FALSE,
    joined_at  TIMESTAMPTZ NOT NULL,
    left_at    TIMESTAMPTZ,
    -- the member's last judged column of the tome matrix, one character per tome (O ok, R at risk, L lost, E no
    -- drive), with its availability and shard bytes: re-assessing after one host's report re-judges only that host
    cells      VARCHAR(200),
    available  BOOLEAN,
    raw_bytes  BIGINT,
    used_bytes BIGINT,
    free_bytes BIGINT
);
CREATE UNIQUE INDEX vault_member_host ON vault_member (host_id) WHERE left_at IS NULL;
CREATE UNIQUE INDEX vault_member_position ON vault_member (vault_id, position) WHERE left_at IS NULL;

-- The last assessed health of each tome.
CREATE TABLE tome (
    vault_id INT         NOT NULL REFERENCES vault (id),
    tome     INT         NOT NULL,
    health   VARCHAR(10) NOT NULL CHECK (health IN ('HEALTHY', 'DEGRADED', 'CRITICAL', 'DATA_LOSS')),
    lost     INT         NOT NULL,
    at_risk  INT         NOT NULL,
    since    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (vault_id, tome)
);

-- Every change of a vault: lifecycle, membership, vault health, writability, tome health. Alerts read these.
CREATE TABLE vault_event (
    id         BIGSERIAL    PRIMARY KEY,
    vault_id   INT          NOT NULL REFERENCES vault (id),
    at         TIMESTAMPTZ  NOT NULL,
    kind       VARCHAR(20)  NOT NULL,
    tome       INT,
    from_value VARCHAR(20),
    to_value   VARCHAR(20),
    detail     TEXT         NOT NULL
);
CREATE INDEX vault_event_vault ON vault_event (vault_id, id DESC);
