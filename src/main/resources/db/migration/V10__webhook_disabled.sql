-- An org's endpoint that answered 410 Gone is disabled: its events wait (pending) until the org sets the
-- webhook again, which enables it.
ALTER TABLE org_webhooks ADD COLUMN disabled_at     timestamptz;
ALTER TABLE org_webhooks ADD COLUMN disabled_reason text;
