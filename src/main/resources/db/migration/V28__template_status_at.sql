-- When Meta last changed a template's status (by webhook), on the database's clock: a create or an edit that Meta
-- answered after a fast review's webhook was applied keeps the newer status instead of writing PENDING over it.
ALTER TABLE templates ADD COLUMN status_at timestamptz;
-- Meta's time of the status webhook last applied: a webhook retried later (or sent again) that is older than it
-- changes nothing.
ALTER TABLE templates ADD COLUMN status_event_time timestamptz;
