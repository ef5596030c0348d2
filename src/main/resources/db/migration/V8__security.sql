-- API key scopes, an optional per-key rate limit, and the per-key request counters behind the rate limit.

-- A key made without scopes may do everything, as keys did before scopes existed.
ALTER TABLE api_keys ADD COLUMN scopes text[] NOT NULL DEFAULT ARRAY ['send', 'read', 'manage_keys'];
-- Null: the operator's default (rh.rate-limit.per-key-per-second).
ALTER TABLE api_keys ADD COLUMN rate_limit_per_second integer CHECK (rate_limit_per_second BETWEEN 1 AND 100000);

-- One row per key: the current second (of the database's clock, so every node agrees) and the requests
-- counted in it. Unlogged: counters are worth nothing after a crash, and skipping the WAL keeps the
-- per-request upsert cheap. A low fillfactor leaves room for HOT updates of the hot rows.
CREATE UNLOGGED TABLE api_key_usage (
    org_id text    NOT NULL,
    key_id text    NOT NULL,
    second bigint  NOT NULL,
    used   integer NOT NULL,
    PRIMARY KEY (org_id, key_id)
) WITH (fillfactor = 50);
