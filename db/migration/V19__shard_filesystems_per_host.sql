-- The shard filesystems an agent reports, now one row per host with a column of arrays per figure (element i is the
-- filesystem of slots[i], slots ascending), written whole by each report. As one row per host and slot, every report
-- upserted 60 rows (0.5 ms of PostgreSQL's time per report, the largest statement of ingestion, docs/benchmarks.md);
-- the one reader (HostInventory) aggregated them back into arrays per host.
-- toast_tuple_target: a host's row (about 3.5 KB for 60 slots) stays on its page rather than going out of line,
-- so a report rewrites one row, in place (fillfactor leaves room for the new version on the page).
CREATE TABLE shard_filesystems (
    host_id      BIGINT        PRIMARY KEY REFERENCES host (id),
    slots        INT[]         NOT NULL,
    mount_points VARCHAR(300)[] NOT NULL,
    mounted      BOOLEAN[]     NOT NULL,
    read_only    BOOLEAN[]     NOT NULL,
    total_bytes  BIGINT[]      NOT NULL,
    used_bytes   BIGINT[]      NOT NULL,
    free_bytes   BIGINT[]      NOT NULL,
    reported_at  TIMESTAMPTZ   NOT NULL
) WITH (fillfactor = 50, toast_tuple_target = 8160);

INSERT INTO shard_filesystems (host_id, slots, mount_points, mounted, read_only, total_bytes, used_bytes, free_bytes,
                               reported_at)
SELECT host_id, array_agg(slot ORDER BY slot), array_agg(mount_point ORDER BY slot), array_agg(mounted ORDER BY slot),
       array_agg(read_only ORDER BY slot), array_agg(total_bytes ORDER BY slot), array_agg(used_bytes ORDER BY slot),
       array_agg(free_bytes ORDER BY slot), max(reported_at)
FROM shard_filesystem GROUP BY host_id;

DROP TABLE shard_filesystem;
