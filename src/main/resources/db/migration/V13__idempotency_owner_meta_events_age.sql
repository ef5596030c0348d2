-- The request that holds an Idempotency-Key record: a random token per request. Taking over an abandoned record
-- (in progress past rh.idempotency.abandoned-after) hands it a new owner and a new created_at in one statement, and
-- only the owner may complete or release it, so a slow request that lost its record can no longer overwrite it.
ALTER TABLE idempotency_records ADD COLUMN owner uuid;

-- Meta's raw webhooks are deleted rh.webhooks.keep after they were applied (webhooks.MetaEventRetention): the
-- retention finds them by processed_at. Unapplied ones (NULL) are not in the index: they are never deleted.
-- meta_events was never pruned before: on a large one this build holds webhook inserts while it runs (Meta
-- redelivers a webhook that timed out).
CREATE INDEX meta_events_by_processed_at ON meta_events (processed_at) WHERE processed_at IS NOT NULL;
