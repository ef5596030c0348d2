-- The request that holds an Idempotency-Key record: a random token per request. Taking over an abandoned record
-- (in progress past rh.idempotency.abandoned-after) hands it a new owner and a new created_at in one statement, and
-- only the owner may complete or release it, so a slow request that lost its record can no longer overwrite it.
ALTER TABLE idempotency_records ADD COLUMN owner uuid;
