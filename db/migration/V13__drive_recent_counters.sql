-- What a report needs of each known drive, on the drive's own row, so one index scan answers it:
-- the time of the full reading kept in drive_reading_latest, and the counters of its newest samples that the trend
-- rules compare (4 per sample, oldest sample first: reallocated, pending, grown defects, NVMe media errors).
-- recent_counters stays NULL until the drive's next report; ingestion then reads those samples from smart_sample.
ALTER TABLE drive ADD COLUMN reading_at TIMESTAMPTZ;
ALTER TABLE drive ADD COLUMN recent_counters BIGINT[];
UPDATE drive d SET reading_at = l.taken_at FROM drive_reading_latest l WHERE l.drive_id = d.id;
