-- The inbox lists conversations by last activity: the customers who had messages before the console existed get
-- their conversation, last active at their newest message (new messages move it on as they are stored).
INSERT INTO conversations (org_id, customer_id, updated_at)
SELECT org_id, customer_id, max(created_at)
  FROM messages
 GROUP BY org_id, customer_id
ON CONFLICT (org_id, customer_id) DO NOTHING;

CREATE INDEX conversations_by_activity ON conversations (org_id, updated_at DESC);
