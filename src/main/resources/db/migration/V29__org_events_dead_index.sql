-- The dead letters are counted for the metrics every few seconds: a partial index keeps that from reading every
-- delivered event.
CREATE INDEX org_events_dead ON org_events (org_id) WHERE status = 'dead';
