-- What hardware cost: chassis per host, drives per serial. Hosts and drives without a record cost what their
-- hardware profile says (host.purchase_cost, when provisioning gave one, comes before the profile's chassis price).
CREATE TABLE purchase (
    id           BIGSERIAL     PRIMARY KEY,
    kind         VARCHAR(10)   NOT NULL CHECK (kind IN ('CHASSIS', 'DRIVE')),
    host_id      BIGINT        REFERENCES host (id),
    drive_serial VARCHAR(100),
    amount       NUMERIC(14, 2) NOT NULL CHECK (amount >= 0),
    currency     CHAR(3)       NOT NULL,
    purchased_on DATE          NOT NULL,
    created_at   TIMESTAMPTZ   NOT NULL,
    created_by   VARCHAR(100)  NOT NULL,
    CHECK ((kind = 'CHASSIS' AND host_id IS NOT NULL) OR (kind = 'DRIVE' AND drive_serial IS NOT NULL))
);
CREATE INDEX purchase_host ON purchase (host_id) WHERE kind = 'CHASSIS';
CREATE INDEX purchase_serial ON purchase (drive_serial) WHERE kind = 'DRIVE';
