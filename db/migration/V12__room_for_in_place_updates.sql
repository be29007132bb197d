-- Rows rewritten over and over (a drive's verdict and last-seen time and a shard filesystem's free bytes on every
-- report, a host's last report and heartbeat, a vault's and a pod's connection counters on every upload) leave room
-- on their page, so PostgreSQL can update them in place (a HOT update) instead of writing a new entry into every
-- index of the table. Applies to pages written from now on; VACUUM FULL applies it to existing ones.
ALTER TABLE drive SET (fillfactor = 70);
ALTER TABLE shard_filesystem SET (fillfactor = 70);
ALTER TABLE host SET (fillfactor = 70);
ALTER TABLE vault_admission SET (fillfactor = 50);
ALTER TABLE pod_admission SET (fillfactor = 50);
