-- Named credentials an org's links may need (the seed's "provider" of a media link): the headers the
-- gateway adds when it downloads such a link itself (e.g. Authorization: Bearer ...).
CREATE TABLE media_providers (
    org_id     text        NOT NULL REFERENCES orgs (id),
    name       text        NOT NULL,
    headers    jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, name)
);
