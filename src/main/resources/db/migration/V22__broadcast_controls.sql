-- Campaign controls: a broadcast can be scheduled (send_at), paused (by the org, or by the gateway with a reason),
-- resumed and cancelled. Only a running broadcast's recipients are claimed and marked sending, so a paused one sends
-- nothing more; a cancelled one's unsent recipients become 'cancelled' messages. finished_at is set once every
-- recipient is settled (a cancelled broadcast may still have sends in flight when it is cancelled).
ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_status_check;
ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_status_check
    CHECK (status IN ('scheduled', 'running', 'paused', 'completed', 'cancelled'));
ALTER TABLE broadcasts ADD COLUMN send_at timestamptz;
ALTER TABLE broadcasts ADD COLUMN paused_reason text;
ALTER TABLE broadcasts ADD COLUMN status_changed_at timestamptz;

-- the broadcasts a node's dispatcher and completion look at: every one not finished yet
CREATE INDEX broadcasts_unfinished ON broadcasts (org_id) WHERE finished_at IS NULL;
DROP INDEX broadcasts_running;
