-- When a send's outcome became unknown (no answer, or a sender that died mid-call): kept after a status
-- webhook settles it, so that an operator (and the fault suite) can tell how many unknowns were resolved.
ALTER TABLE messages ADD COLUMN unknown_at timestamptz;
