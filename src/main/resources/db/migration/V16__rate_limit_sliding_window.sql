-- The per-key rate limit as a sliding window: each key's requests in the last 21 slots of 50 ms of the database's
-- clock, newest first. A request is let through while the window holds fewer than the key's limit, so no interval
-- of one second holds more than the limit (the window spans 1 to 1.05 s: a steady rate up to limit / 1.05 is never
-- refused). Replaces api_key_usage's fixed one-second windows, which let up to twice the limit through across a
-- window's boundary; that table is left to nodes of the previous version during a rolling upgrade.
-- Unlogged like it: counters are worth nothing after a crash; a low fillfactor leaves room for HOT updates.
CREATE UNLOGGED TABLE api_key_windows (
    org_id  text      NOT NULL,
    key_id  text      NOT NULL,
    slot    bigint    NOT NULL, -- the newest slot counted: floor(epoch seconds * 20)
    counts  integer[] NOT NULL, -- requests let through: counts[1] in that slot, counts[2] in the one before, ...
    refused boolean   NOT NULL, -- whether the request that wrote the row last was refused
    PRIMARY KEY (org_id, key_id)
) WITH (fillfactor = 50);

-- The window moved on to now_slot: the counts of slots that left it are dropped, the new slots count 0.
-- (One expression: PostgreSQL inlines it into the statement that counts a request.)
CREATE FUNCTION api_key_window_at(counts integer[], slot bigint, now_slot bigint) RETURNS integer[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_fill(0, ARRAY[least(greatest(now_slot - slot, 0), 21)::integer])
           || counts[1 : 21 - least(greatest(now_slot - slot, 0), 21)::integer]
$$;
