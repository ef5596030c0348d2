-- Idempotency-Key on the POSTs that have no key of their own (sends and template sends keep theirs on the
-- message and the broadcast): the request's hash and, once it finished, the answer to replay. Scoped by the
-- caller's org ('' for the operator's org-less requests); kept a day.
CREATE TABLE idempotency_records (
    org_id       text        NOT NULL,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    status       integer,
    content_type text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, key)
);

CREATE INDEX idempotency_records_by_age ON idempotency_records (created_at);
