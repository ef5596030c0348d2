-- Media known to an org: uploaded through the gateway (outbound, Meta's media id) or received from a
-- customer and downloaded (inbound, kept in storage). Another org cannot use an org's media id.
CREATE TABLE media (
    org_id       text        NOT NULL REFERENCES orgs (id),
    id           text        NOT NULL, -- Meta's media id (the Cloud API's, or the sandbox's)
    direction    text        NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    mime_type    text        NOT NULL,
    size_bytes   bigint,
    sha256       text,
    filename     text,
    storage_path text,                 -- inbound: where the bytes are kept
    status       text        NOT NULL DEFAULT 'ready',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,          -- outbound: Meta keeps uploads for 30 days
    PRIMARY KEY (org_id, id)
);
