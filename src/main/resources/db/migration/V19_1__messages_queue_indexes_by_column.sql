-- The queue's partial indexes said "WHERE status = ...": every status change then touched every index of the row
-- (a column an index's predicate reads counts as indexed, so no update of the status could be HOT). They now say
-- which rows they hold by the column they sort: a message is due when next_attempt_at is set, and in flight (or
-- claimed) while lease_until is set. The queries keep their status conditions; the few rows being sent that still
-- carry a next_attempt_at are filtered out by them.
-- Built CONCURRENTLY (Flyway runs this script outside a transaction): a large messages table keeps taking writes.
-- A build that was interrupted (a restart during a long upgrade) leaves an invalid index of that name, which
-- IF NOT EXISTS would keep: each new index is dropped first, so a second run builds it whole. The old indexes go only
-- once all three new ones exist.
DROP INDEX CONCURRENTLY IF EXISTS messages_due_single_at;
CREATE INDEX CONCURRENTLY messages_due_single_at ON messages (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL AND broadcast_id IS NULL;
DROP INDEX CONCURRENTLY IF EXISTS messages_broadcast_due_at;
CREATE INDEX CONCURRENTLY messages_broadcast_due_at ON messages (org_id, next_attempt_at)
    WHERE next_attempt_at IS NOT NULL AND broadcast_id IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS messages_leased;
CREATE INDEX CONCURRENTLY messages_leased ON messages (lease_until) WHERE lease_until IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS messages_due_single;
DROP INDEX CONCURRENTLY IF EXISTS messages_broadcast_due;
DROP INDEX CONCURRENTLY IF EXISTS messages_in_flight;
