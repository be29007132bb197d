-- Drive Stats per day and group (model, capacity): drives and failures, kept by triggers on drive_day so every
-- writer (imports by COPY, the fleet snapshot, a hand-run INSERT) leaves it exact. AFR over a year of a
-- 100,000-drive fleet reads ~365 x models rows here instead of 36.5 million drive days.
-- capacity_bytes is -1 where unknown (as in the public files), so it can be part of the key.
CREATE TABLE drive_day_group (
    day            DATE         NOT NULL,
    model          VARCHAR(100) NOT NULL,
    capacity_bytes BIGINT       NOT NULL,
    drives         BIGINT       NOT NULL,
    failures       BIGINT       NOT NULL,
    PRIMARY KEY (day, model, capacity_bytes)
);

CREATE FUNCTION drive_day_group_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO drive_day_group (day, model, capacity_bytes, drives, failures)
    SELECT day, model, COALESCE(capacity_bytes, -1), count(*), count(*) FILTER (WHERE failure)
    FROM added GROUP BY 1, 2, 3
    ON CONFLICT (day, model, capacity_bytes) DO UPDATE
        SET drives = drive_day_group.drives + excluded.drives, failures = drive_day_group.failures + excluded.failures;
    RETURN NULL;
END $$;

CREATE FUNCTION drive_day_group_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE drive_day_group g SET drives = g.drives - r.drives, failures = g.failures - r.failures
    FROM (SELECT day, model, COALESCE(capacity_bytes, -1) AS capacity_bytes, count(*) AS drives,
                 count(*) FILTER (WHERE failure) AS failures
          FROM removed GROUP BY 1, 2, 3) r
    WHERE g.day = r.day AND g.model = r.model AND g.capacity_bytes = r.capacity_bytes;
    DELETE FROM drive_day_group g WHERE g.drives <= 0 AND g.day IN (SELECT DISTINCT day FROM removed);
    RETURN NULL;
END $$;

CREATE TRIGGER drive_day_group_insert AFTER INSERT ON drive_day REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION drive_day_group_add();
CREATE TRIGGER drive_day_group_delete AFTER DELETE ON drive_day REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION drive_day_group_remove();
-- an update is a removal of the old rows and an addition of the new ones
CREATE TRIGGER drive_day_group_update_old AFTER UPDATE ON drive_day REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION drive_day_group_remove();
CREATE TRIGGER drive_day_group_update_new AFTER UPDATE ON drive_day REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION drive_day_group_add();

INSERT INTO drive_day_group (day, model, capacity_bytes, drives, failures)
SELECT day, model, COALESCE(capacity_bytes, -1), count(*), count(*) FILTER (WHERE failure)
FROM drive_day GROUP BY 1, 2, 3;

-- the per-model index served AFR by scanning drive days; the group table does that now
DROP INDEX drive_day_model;
