-- Daily ingestion per vault per UTC day, rolled up from ended upload leases (a lease counts on the day it ended).
-- stored_bytes is the vault's used shard bytes as the roll-up of that day last saw them (set while the day is
-- today; kept when an older day is rolled up again).
CREATE TABLE ingestion_day (
    vault_id         INT         NOT NULL REFERENCES vault (id),
    day              DATE        NOT NULL,
    bytes            BIGINT      NOT NULL,
    files            BIGINT      NOT NULL,
    completed        INT         NOT NULL,
    failed           INT         NOT NULL,
    abandoned        INT         NOT NULL,
    peak_connections INT         NOT NULL,
    stored_bytes     BIGINT,
    rolled_up_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (vault_id, day)
);
