-- Several WhatsApp numbers per org. A channel is one number of one org, keyed (org_id, id) like every tenant table;
-- phone_number_id stays unique across orgs: Meta's webhooks name the number, and the number names the org.
-- One channel of each org is its default: a send that names no channel goes out from it, so the seed's requests
-- work unchanged. The channel an org had before this migration becomes its default.
ALTER TABLE channels ADD COLUMN id text;
ALTER TABLE channels ADD COLUMN name text;
ALTER TABLE channels ADD COLUMN is_default boolean NOT NULL DEFAULT false;
ALTER TABLE channels ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
UPDATE channels SET id = replace(gen_random_uuid()::text, '-', ''), is_default = true;
ALTER TABLE channels ALTER COLUMN id SET NOT NULL;
ALTER TABLE channels DROP CONSTRAINT channels_pkey;
ALTER TABLE channels ADD PRIMARY KEY (org_id, id);
CREATE UNIQUE INDEX channels_one_default ON channels (org_id) WHERE is_default;

-- The number a message went out from or came in on. NULL: the org's default channel. Rows written before this
-- migration (or by a node of the previous version during a rolling upgrade) have no channel_id, and they all went
-- through the org's only number, which is now its default; the 10-million-row table is not rewritten for them.
-- No foreign key: a message outlives nothing here (channels are never deleted), and the check would cost every
-- insert a lookup.
ALTER TABLE messages ADD COLUMN channel_id text;
ALTER TABLE broadcasts ADD COLUMN channel_id text;
-- the number whose token downloads a received medium: the one its message came in on
ALTER TABLE media_downloads ADD COLUMN channel_id text;

-- Meta's customer-service window is per business number: the customer's last message to each of the org's
-- numbers. customers.last_inbound_at stays the last message to any of them (what a customer listing shows).
CREATE TABLE customer_windows (
    org_id          text        NOT NULL,
    customer_id     text        NOT NULL,
    channel_id      text        NOT NULL,
    last_inbound_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, customer_id, channel_id),
    FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
    FOREIGN KEY (org_id, channel_id) REFERENCES channels (org_id, id)
);

INSERT INTO customer_windows (org_id, customer_id, channel_id, last_inbound_at)
SELECT c.org_id, c.id, ch.id, c.last_inbound_at
  FROM customers c
  JOIN channels ch ON ch.org_id = c.org_id AND ch.is_default
 WHERE c.last_inbound_at IS NOT NULL;

-- The pace of each number, shared by every node (as send_pacing was per org, which it leaves to nodes of the
-- previous version during a rolling upgrade).
CREATE TABLE channel_pacing (
    org_id     text        NOT NULL,
    channel_id text        NOT NULL,
    next_slot  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, channel_id)
);
