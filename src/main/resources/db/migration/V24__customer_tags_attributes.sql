-- Audiences: customers carry tags (a campaign's target) and attributes (values a template's parameters can take,
-- {{customer.attributes.city}}), set through the API and by CSV import.
ALTER TABLE customers ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE customers ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
-- a tag's customers: "tags && ARRAY['vip']" with the org's own condition beside it
CREATE INDEX customers_by_tag ON customers USING gin (tags);
