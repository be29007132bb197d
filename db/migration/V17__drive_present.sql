-- A report rewrote every one of its 60 drive rows only to move last_seen_at (the other columns rarely change: a
-- drive's trend counters are flat while it is healthy), which was a third of PostgreSQL's time per report
-- (docs/benchmarks.md). Now a drive's row is written when something about the drive changes, and `present` says
-- whether the drive was in its host's latest report: the drive was seen then (host.last_report_at), and
-- last_seen_at is the time it was last written or, once it left the reports (MISSING, REPLACED, REMOVED), the time of
-- the last report it was in.
ALTER TABLE drive ADD COLUMN present BOOLEAN NOT NULL DEFAULT true;
-- until now every report wrote last_seen_at of every drive in it: those in their host's latest report have its newest
-- (two statements with a join rather than one with a correlated max per row: linear in the drives)
UPDATE drive SET present = false WHERE state IN ('MISSING', 'REPLACED', 'REMOVED') OR host_id IS NULL;
UPDATE drive d SET present = false
FROM (SELECT host_id, max(last_seen_at) AS newest FROM drive GROUP BY host_id) x
WHERE d.host_id = x.host_id AND d.present AND d.last_seen_at < x.newest;
