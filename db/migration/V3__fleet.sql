-- Hosts, their agents, their drives and the drives' SMART history.

CREATE TABLE host (
    id                BIGSERIAL PRIMARY KEY,
    hostname          VARCHAR(253) NOT NULL UNIQUE,
    system_serial     VARCHAR(100) UNIQUE,
    profile_id        VARCHAR(64),
    datacenter        VARCHAR(64),
    cabinet           VARCHAR(64),
    rack_unit         INT,
    health            VARCHAR(10)  NOT NULL DEFAULT 'HEALTHY' CHECK (health IN ('HEALTHY', 'STALE', 'DEAD')),
    admin_state       VARCHAR(20)  NOT NULL DEFAULT 'IN_SERVICE'
                      CHECK (admin_state IN ('IN_SERVICE', 'DRAINING', 'MAINTENANCE', 'DECOMMISSIONED')),
    last_heartbeat_at TIMESTAMPTZ,
    last_report_at    TIMESTAMPTZ,
    agent_version     VARCHAR(40),
    uptime_seconds    BIGINT,
    load1             DOUBLE PRECISION,
    spool_depth       INT,
    spool_dropped     BIGINT,
    facts             JSONB,
    profile_mismatch  VARCHAR(300),
    created_at        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX host_datacenter ON host (datacenter);

-- One-time tokens an agent trades for its credential; only hashes are stored.
CREATE TABLE enrollment_token (
    id            BIGSERIAL PRIMARY KEY,
    token_hash    VARCHAR(64)  NOT NULL UNIQUE,
    hostname      VARCHAR(253),
    system_serial VARCHAR(100),
    expires_at    TIMESTAMPTZ  NOT NULL,
    used_at       TIMESTAMPTZ,
    used_by_host  BIGINT REFERENCES host (id),
    created_by    VARCHAR(100) NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL
);

-- One live credential per host; enrolling again revokes the previous one.
CREATE TABLE agent_credential (
    id              BIGSERIAL PRIMARY KEY,
    host_id         BIGINT       NOT NULL REFERENCES host (id),
    credential_hash VARCHAR(64)  NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ  NOT NULL,
    revoked_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX agent_credential_live ON agent_credential (host_id) WHERE revoked_at IS NULL;

-- Report ids already committed: a resend is acknowledged without being stored twice.
CREATE TABLE report_receipt (
    report_id   UUID PRIMARY KEY,
    host_id     BIGINT      NOT NULL REFERENCES host (id),
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_receipt_received ON report_receipt (received_at);

CREATE TABLE drive (
    id             BIGSERIAL PRIMARY KEY,
    serial         VARCHAR(100) NOT NULL UNIQUE,
    wwn            VARCHAR(32),
    model          VARCHAR(100),
    capacity_bytes BIGINT,
    interface      VARCHAR(10),
    host_id        BIGINT REFERENCES host (id),
    slot           INT,
    state          VARCHAR(20)  NOT NULL
                   CHECK (state IN ('IN_SERVICE', 'WARNING', 'FAILING', 'FAILED', 'MISSING', 'REPLACED', 'REMOVED')),
    verdict        VARCHAR(10)  NOT NULL,
    reasons        JSONB        NOT NULL DEFAULT '[]',
    missing_since  TIMESTAMPTZ,
    first_seen_at  TIMESTAMPTZ  NOT NULL,
    last_seen_at   TIMESTAMPTZ  NOT NULL
);
CREATE INDEX drive_host_slot ON drive (host_id, slot);
CREATE INDEX drive_state ON drive (state);

-- Every change of a drive's state or place, with its reason.
CREATE TABLE drive_event (
    id         BIGSERIAL PRIMARY KEY,
    drive_id   BIGINT       NOT NULL REFERENCES drive (id),
    at         TIMESTAMPTZ  NOT NULL,
    kind       VARCHAR(20)  NOT NULL,
    from_state VARCHAR(20),
    to_state   VARCHAR(20),
    host_id    BIGINT,
    slot       INT,
    reason     TEXT         NOT NULL
);
CREATE INDEX drive_event_drive ON drive_event (drive_id, at DESC);

-- The newest full reading per drive (parsed smartctl output), for the drive page and Drive Stats.
CREATE TABLE drive_reading_latest (
    drive_id BIGINT PRIMARY KEY REFERENCES drive (id),
    taken_at TIMESTAMPTZ NOT NULL,
    reading  JSONB       NOT NULL
);

-- One row per drive per report: the figures rules and charts need. Partitioned by month; ingestion creates a
-- month's partition when its first sample arrives (reports are refused when taken far from now), and a retention
-- job drops months past retention. No default partition: it would block creating a month that has rows in it.
CREATE TABLE smart_sample (
    drive_id             BIGINT      NOT NULL,
    taken_at             TIMESTAMPTZ NOT NULL,
    verdict              VARCHAR(10) NOT NULL,
    temperature_c        SMALLINT,
    power_on_hours       BIGINT,
    reallocated          BIGINT,
    reported_uncorrect   BIGINT,
    command_timeout      BIGINT,
    pending              BIGINT,
    offline_uncorrectable BIGINT,
    nvme_media_errors    BIGINT,
    nvme_percentage_used SMALLINT,
    scsi_grown_defects   BIGINT,
    scsi_uncorrected     BIGINT
) PARTITION BY RANGE (taken_at);
CREATE INDEX smart_sample_drive_time ON smart_sample (drive_id, taken_at);
