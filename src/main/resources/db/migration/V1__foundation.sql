-- Every tenant table carries org_id first in its primary key, in its unique keys and in its foreign
-- keys, so the schema can be distributed by organization (Citus) without a redesign.
-- channels, api_keys and meta_events are looked up across orgs (by phone number id, key hash,
-- arrival); they are reference or local tables in a distributed setup (README, "More than one node").

CREATE TABLE orgs (
    id               text PRIMARY KEY,
    name             text        NOT NULL,
    time_zone        text        NOT NULL,
    default_language text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE channels (
    org_id                text PRIMARY KEY REFERENCES orgs (id),
    phone_number_id       text        NOT NULL UNIQUE,
    waba_id               text,
    access_token          text        NOT NULL,
    throughput_per_second integer     NOT NULL DEFAULT 80 CHECK (throughput_per_second BETWEEN 1 AND 1000),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    org_id     text        NOT NULL REFERENCES orgs (id),
    id         text        NOT NULL,
    name       text        NOT NULL,
    email      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);

CREATE TABLE customers (
    org_id          text        NOT NULL REFERENCES orgs (id),
    id              text        NOT NULL,
    phone           text        NOT NULL,
    name            text,
    last_inbound_at timestamptz,
    opted_out       boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, phone)
);

CREATE TABLE api_keys (
    org_id       text        NOT NULL REFERENCES orgs (id),
    id           text        NOT NULL,
    name         text        NOT NULL,
    key_hash     bytea       NOT NULL UNIQUE,
    hint         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE messages (
    org_id          text        NOT NULL,
    id              text        NOT NULL,
    customer_id     text        NOT NULL,
    user_id         text,
    session_id      text        NOT NULL,
    message_type    text        NOT NULL CHECK (message_type IN ('human', 'assistant', 'template', 'user')),
    kind            text        NOT NULL,
    content         jsonb       NOT NULL,
    status          text        NOT NULL,
    wamid           text,
    response        jsonb,
    error_code      text,
    error_message   text,
    upstream_code   integer,
    idempotency_key text,
    request_hash    bytea,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);

CREATE UNIQUE INDEX messages_by_wamid ON messages (org_id, wamid) WHERE wamid IS NOT NULL;
CREATE UNIQUE INDEX messages_by_idempotency_key ON messages (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_by_customer ON messages (org_id, customer_id, created_at DESC, id DESC);
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'queued';
CREATE INDEX messages_in_flight ON messages (lease_until) WHERE status IN ('sending', 'unknown');

-- Delivery states only move forward: a late 'delivered' never overwrites 'read'.
CREATE FUNCTION status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE AS
$$
SELECT CASE status
           WHEN 'accepted' THEN 1
           WHEN 'sent' THEN 2
           WHEN 'delivered' THEN 3
           WHEN 'read' THEN 4
           WHEN 'failed' THEN 5
           ELSE 0
           END
$$;

-- Meta's webhook bodies, stored as received before they are acknowledged.
CREATE TABLE meta_events (
    id           bigserial PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now(),
    body         text        NOT NULL,
    processed_at timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text
);

CREATE INDEX meta_events_unprocessed ON meta_events (id) WHERE processed_at IS NULL;
