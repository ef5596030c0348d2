-- Templates an org may send (synced from the Cloud API or registered by an operator), broadcasts of a
-- template to an org's customers, and the per-number pacing that several gateway nodes share.

CREATE TABLE templates (
    org_id        text        NOT NULL REFERENCES orgs (id),
    name          text        NOT NULL,
    language      text        NOT NULL,
    status        text        NOT NULL DEFAULT 'APPROVED',
    category      text,
    components    jsonb       NOT NULL, -- Meta's definition: [{"type": "HEADER", "format": "IMAGE"}, ...]
    header_format text,                 -- TEXT, IMAGE, DOCUMENT, VIDEO, LOCATION; null without a header
    header_params integer     NOT NULL DEFAULT 0,
    body_params   integer     NOT NULL DEFAULT 0,
    source        text        NOT NULL CHECK (source IN ('synced', 'registered')),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, name, language)
);

CREATE TABLE broadcasts (
    org_id        text        NOT NULL REFERENCES orgs (id),
    id            text        NOT NULL,
    template_name text        NOT NULL,
    language      text        NOT NULL,
    user_id       text        NOT NULL,
    session_id    text        NOT NULL,
    total         integer     NOT NULL,
    status        text        NOT NULL CHECK (status IN ('running', 'completed')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);

CREATE INDEX broadcasts_running ON broadcasts (org_id) WHERE status = 'running';

-- A broadcast's recipients are ordinary messages (kind 'template'), so reading and status webhooks work
-- for them as for any message; broadcast_id ties them to their broadcast and to its own paced queue.
ALTER TABLE messages ADD COLUMN broadcast_id text;
ALTER TABLE messages ADD COLUMN attempted_at timestamptz;

CREATE INDEX messages_by_broadcast ON messages (org_id, broadcast_id, id) WHERE broadcast_id IS NOT NULL;
CREATE INDEX messages_broadcast_due ON messages (org_id, next_attempt_at)
    WHERE status = 'queued' AND broadcast_id IS NOT NULL;
-- the outbox of single sends skips broadcast recipients (they are paced): its index leaves them out, so a
-- 100,000-recipient broadcast neither slows its claim nor pays for a fifth index on every row
CREATE INDEX messages_due_single ON messages (next_attempt_at) WHERE status = 'queued' AND broadcast_id IS NULL;
DROP INDEX messages_due;

-- The next free send slot of each org's number: every node reserves slots here, so the org's
-- throughput holds across nodes (a token bucket of depth one, kept in the database).
CREATE TABLE send_pacing (
    org_id    text PRIMARY KEY REFERENCES orgs (id),
    next_slot timestamptz NOT NULL DEFAULT now()
);

-- Idempotency-Key on a template send: a retry answers the first broadcast and sends nothing again.
ALTER TABLE broadcasts ADD COLUMN idempotency_key text;
ALTER TABLE broadcasts ADD COLUMN request_hash bytea;
CREATE UNIQUE INDEX broadcasts_by_idempotency_key ON broadcasts (org_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
