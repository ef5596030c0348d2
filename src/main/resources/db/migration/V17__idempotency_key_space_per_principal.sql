-- An org's API keys and the operator (admin token) each have their own Idempotency-Key space within an org: the
-- same key sent by both is two requests. They shared (org_id, key) before, so an org could use up a key that the
-- operator's later request for that org then found taken (a replay of the org's answer, or 422/409).
ALTER TABLE idempotency_records ADD COLUMN principal text NOT NULL DEFAULT 'api_key'
    CHECK (principal IN ('api_key', 'operator'));
ALTER TABLE idempotency_records ALTER COLUMN principal DROP DEFAULT;
ALTER TABLE idempotency_records DROP CONSTRAINT idempotency_records_pkey,
    ADD PRIMARY KEY (org_id, principal, key);

-- Whose the records already kept are cannot be told (only the request's hash is kept), except the operator's
-- requests about no single org (org_id ''). The others are kept for both, so a repeat of either still answers as
-- before for the rest of the record's day; records from now on are one principal's.
UPDATE idempotency_records SET principal = 'operator' WHERE org_id = '';
INSERT INTO idempotency_records (org_id, principal, key, request_hash, owner, status, content_type, body, created_at)
SELECT org_id, 'operator', key, request_hash, owner, status, content_type, body, created_at
  FROM idempotency_records
 WHERE org_id <> '';

-- During a rolling upgrade, nodes of the previous version answer 500 to a POST with an Idempotency-Key (their
-- ON CONFLICT (org_id, key) names no key any more) before running it: nothing is done twice, and the client's
-- retry runs on an upgraded node.
