-- Delivery tracking, conversation history, inbound media downloads and events to the org's backend.

-- Reading the history newest first, per session and for the whole org (per customer: messages_by_customer).
CREATE INDEX messages_by_session ON messages (org_id, session_id, created_at DESC, id DESC);
CREATE INDEX messages_by_org ON messages (org_id, created_at DESC, id DESC);

-- A Meta status that arrived before its message's record knew the wamid (a race): kept until the send
-- records the wamid (or the id Meta echoed in biz_opaque_callback_data appears), then applied and deleted.
CREATE TABLE pending_statuses (
    org_id        text        NOT NULL REFERENCES orgs (id),
    id            bigserial,
    wamid         text,
    callback_id   text,
    status        text        NOT NULL,
    upstream_code integer,
    error_message text,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);

CREATE INDEX pending_statuses_by_wamid ON pending_statuses (org_id, wamid);
CREATE INDEX pending_statuses_by_callback ON pending_statuses (org_id, callback_id);
CREATE INDEX pending_statuses_by_age ON pending_statuses (received_at);

-- Inbound media waiting to be downloaded from the Cloud API (the bytes land in storage, the media row
-- in the media table says where).
CREATE TABLE media_downloads (
    org_id          text        NOT NULL REFERENCES orgs (id),
    media_id        text        NOT NULL,
    message_id      text        NOT NULL,
    expected_sha256 text,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, media_id),
    FOREIGN KEY (org_id, media_id) REFERENCES media (org_id, id)
);

CREATE INDEX media_downloads_due ON media_downloads (next_attempt_at);

-- The org's own webhook endpoint (Standard Webhooks): where its events go and the secret that signs them.
CREATE TABLE org_webhooks (
    org_id     text PRIMARY KEY REFERENCES orgs (id),
    url        text        NOT NULL,
    secret     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The durable queue of events to the org's backend, written in the transaction of the change they report.
-- subject (a message id) keeps the events of one message in order; seq orders events across the queue.
CREATE TABLE org_events (
    org_id          text        NOT NULL REFERENCES orgs (id),
    id              text        NOT NULL, -- the webhook-id, the same on every attempt
    seq             bigserial,
    type            text        NOT NULL,
    subject         text,
    payload         jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    retry_until     timestamptz NOT NULL,
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    PRIMARY KEY (org_id, id)
);

CREATE INDEX org_events_due ON org_events (next_attempt_at) WHERE status = 'pending';
CREATE INDEX org_events_pending_by_subject ON org_events (org_id, subject, seq) WHERE status = 'pending';
CREATE INDEX org_events_by_org ON org_events (org_id, seq DESC);

CREATE TABLE org_event_attempts (
    org_id        text        NOT NULL,
    event_id      text        NOT NULL,
    attempt       integer     NOT NULL,
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    response_code integer,
    error         text,
    duration_ms   integer     NOT NULL,
    PRIMARY KEY (org_id, event_id, attempt),
    FOREIGN KEY (org_id, event_id) REFERENCES org_events (org_id, id)
);
