-- A number's health as Meta reports it (phone_number_quality_update): its quality rating (GREEN, YELLOW, RED; RED
-- once Meta flags it, GREEN again when unflagged), the last event (FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE,
-- THROUGHPUT_UPGRADE, ONBOARDING) and its messaging limit tier (TIER_250 ... TIER_UNLIMITED). NULL: not reported yet.
-- Meta's webhook names the number by its display phone number only, within the WhatsApp Business Account: the
-- digits of it are learnt from the metadata of every messages webhook, which names both.
ALTER TABLE channels ADD COLUMN display_phone_number text;
ALTER TABLE channels ADD COLUMN quality_rating text;
ALTER TABLE channels ADD COLUMN quality_event text;
ALTER TABLE channels ADD COLUMN messaging_limit text;
ALTER TABLE channels ADD COLUMN health_changed_at timestamptz;
CREATE INDEX channels_by_waba_and_display_number ON channels (waba_id, display_phone_number);

-- Meta's webhooks about an org's account and numbers (phone_number_quality_update, account_update,
-- account_alerts) as they came, once per org whose channel is on the account: what Meta said, and when.
CREATE TABLE account_events (
    org_id      text        NOT NULL REFERENCES orgs (id),
    id          text        NOT NULL,
    waba_id     text        NOT NULL,
    channel_id  text,
    field       text        NOT NULL,
    event       text,
    value       jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);
CREATE INDEX account_events_recent ON account_events (org_id, received_at DESC);

-- The cost category of an outbound message, from the pricing object of Meta's status webhooks (marketing, utility,
-- authentication, service, ...). No default: the column costs the 10-million-row table no rewrite.
ALTER TABLE messages ADD COLUMN pricing_category text;
-- a status that came before its message's wamid was recorded keeps its pricing until it is applied
ALTER TABLE pending_statuses ADD COLUMN pricing_category text;

-- Meta's time of the quality webhook applied last (entry[].time): an older one, retried or sent again late, changes
-- nothing.
ALTER TABLE channels ADD COLUMN health_event_time timestamptz;
