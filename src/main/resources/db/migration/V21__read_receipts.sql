-- Read receipts: when the gateway told Meta that a customer's message was read (POST /whatsapp/messages/{id}/read,
-- or automatically for an org that asks for it). Null until then; never indexed, so setting it is a HOT update.
ALTER TABLE messages ADD COLUMN marked_read_at timestamptz;
-- An org may have every customer's message marked read as soon as it is stored (off by default: the customer then
-- sees two blue ticks whether anyone looked or not).
ALTER TABLE orgs ADD COLUMN auto_mark_read boolean NOT NULL DEFAULT false;
