-- Drive Stats: one row per drive per day, as in the public Backblaze Drive Stats files (imported) or built from
-- the fleet (later). failure is true on the drive's last operational day. smart holds the file's
-- smart_N_normalized / smart_N_raw pairs as {"N": [normalized, raw]}.
CREATE TABLE drive_day (
    day            DATE         NOT NULL,
    serial         VARCHAR(100) NOT NULL,
    model          VARCHAR(100) NOT NULL,
    capacity_bytes BIGINT,
    failure        BOOLEAN      NOT NULL,
    datacenter     VARCHAR(64),
    cluster_id     INT,
    vault_id       INT,
    pod_id         INT,
    pod_slot_num   INT,
    smart          JSONB,
    source         VARCHAR(10)  NOT NULL CHECK (source IN ('import', 'fleet')),
    PRIMARY KEY (day, serial)
);
CREATE INDEX drive_day_model ON drive_day (model, day);
