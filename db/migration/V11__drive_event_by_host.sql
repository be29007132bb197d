-- the dashboard's host page lists the latest drive events of one host
CREATE INDEX drive_event_host ON drive_event (host_id, at DESC);
