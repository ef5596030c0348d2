-- An endpoint that answered 410 Gone is disabled (Standard Webhooks): no events are queued or sent to it
-- until the org sets its webhook again.
ALTER TABLE org_webhooks ADD COLUMN disabled_at timestamptz;
ALTER TABLE org_webhooks ADD COLUMN disabled_reason text;
