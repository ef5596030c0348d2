-- Templates created through the gateway live at Meta: the registry mirrors Meta's id, the review's outcome (a
-- rejection's reason), the quality score, and the channel whose WhatsApp Business Account holds the template
-- (NULL: the org's default channel, as for templates synced or registered before).
ALTER TABLE templates ADD COLUMN meta_id text;
ALTER TABLE templates ADD COLUMN channel_id text;
ALTER TABLE templates ADD COLUMN reason text;
ALTER TABLE templates ADD COLUMN quality_score text;
ALTER TABLE templates DROP CONSTRAINT templates_source_check;
ALTER TABLE templates ADD CONSTRAINT templates_source_check CHECK (source IN ('synced', 'registered', 'created'));

-- Meta's template webhooks name the WhatsApp Business Account, not the number
CREATE INDEX channels_by_waba ON channels (waba_id);

-- A new scope, manage_templates. A key that held every scope keeps holding every scope (a key made without scopes
-- gets them all): operations that name no scope need all of them.
UPDATE api_keys SET scopes = scopes || ARRAY ['manage_templates']
 WHERE scopes @> ARRAY ['send', 'read', 'manage_keys'] AND NOT scopes @> ARRAY ['manage_templates'];
ALTER TABLE api_keys ALTER COLUMN scopes SET DEFAULT ARRAY ['send', 'read', 'manage_keys', 'manage_templates'];
