-- bench/scale.sh's seed: :messages messages across :orgs orgs, written as the gateway would have written them over
-- the last :days days, into the gateway's schema (src/main/resources/db/migration). The org :bench_org (made through
-- the admin API, its channel, user, customer and key with it) is one of the :orgs; the others are made here with a
-- channel, :users users and :customers customers each. Every org gets about the same share of the messages; a
-- customer's share falls with its number (customer 0 of an org has the most, its history is measured).
--
-- Rows as the gateway writes them: ids of 22 base62 characters whose first 8 are the clock (Ids.next()), sessions
-- per customer and day, 45 % inbound (message_type user, status received, Meta's message object as content, its
-- wamid), 55 % outbound from an org's users (human, 1 in 10 assistant): 85 % read, 8 % delivered, 4 % sent, 3 %
-- failed (Meta's 131026 after it accepted them), Meta's answer as response, 1 in 10 with an Idempotency-Key.
-- Inserted in time order, in chunks of :chunk committed one by one (a chunk's rows in org order); foreign keys are not checked while seeding
-- (session_replication_role = replica: the rows are consistent by construction); then VACUUM ANALYZE.
\set ON_ERROR_STOP on
SET session_replication_role = replica;
SET work_mem = '256MB';
SET client_min_messages = notice;

-- Ids.next(): the clock in 8 base62 characters, then 14 characters from a hash (base64 letters and digits only).
-- One expression, STABLE like date_part: PostgreSQL inlines it (a function call per row costs five times more).
CREATE FUNCTION pg_temp.id(at timestamptz, seed text) RETURNS text LANGUAGE sql STABLE AS $$
SELECT substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ((date_part('epoch', at) * 1000)::bigint / 3521614606208 % 62)::int + 1, 1)
    || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ((date_part('epoch', at) * 1000)::bigint / 56800235584 % 62)::int + 1, 1)
    || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ((date_part('epoch', at) * 1000)::bigint / 916132832 % 62)::int + 1, 1)
    || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ((date_part('epoch', at) * 1000)::bigint / 14776336 % 62)::int + 1, 1)
    || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ((date_part('epoch', at) * 1000)::bigint / 238328 % 62)::int + 1, 1)
    || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ((date_part('epoch', at) * 1000)::bigint / 3844 % 62)::int + 1, 1)
    || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ((date_part('epoch', at) * 1000)::bigint / 62 % 62)::int + 1, 1)
    || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ((date_part('epoch', at) * 1000)::bigint % 62)::int + 1, 1)
    || substr(translate(encode(decode(md5(seed), 'hex'), 'base64'), '+/=', 'xyz'), 1, 14)
$$;
-- a number in [0, 1) drawn from i: the same seed makes the same rows, and the planner can hash-join on it
CREATE FUNCTION pg_temp.u(i bigint, k bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(i, k) & 9007199254740991)::float8 / 9007199254740992 $$;

CREATE TEMP TABLE seed_orgs AS
SELECT 0 AS no, :'bench_org'::text AS id, NULL::timestamptz AS created_at
UNION ALL
SELECT no, pg_temp.id(at, 'org' || no), at
  FROM generate_series(1, :orgs - 1) no,
       LATERAL (SELECT now() - make_interval(days => :days + 30) + no * interval '1 minute' AS at) t;
CREATE UNIQUE INDEX ON seed_orgs (no);

INSERT INTO orgs (id, name, time_zone, default_language, created_at)
SELECT id, 'Org ' || no, (ARRAY['Asia/Kuala_Lumpur', 'Asia/Singapore', 'Asia/Jakarta', 'Europe/London'])[no % 4 + 1],
       (ARRAY['en_US', 'ms_MY', 'id_ID', 'en_GB'])[no % 4 + 1], created_at
  FROM seed_orgs WHERE no > 0;
-- the channels' tokens in clear, as a version before sealing wrote them: the gateway seals them at its next start
INSERT INTO channels (org_id, phone_number_id, waba_id, access_token, throughput_per_second, updated_at)
SELECT id, '1' || lpad(no::text, 14, '0'), '2' || lpad(no::text, 14, '0'), 'EAAG' || md5('token' || no), 80, created_at
  FROM seed_orgs WHERE no > 0;

CREATE TEMP TABLE seed_users AS
SELECT o.no AS org_no, u AS no, o.id AS org_id,
       pg_temp.id(coalesce(o.created_at, now()) + u * interval '1 second', 'user' || o.no || '-' || u) AS id
  FROM seed_orgs o, generate_series(0, :users - 1) u;
CREATE UNIQUE INDEX ON seed_users (org_no, no);
INSERT INTO users (org_id, id, name, email, created_at)
SELECT org_id, id, 'Agent ' || no, 'agent' || no || '@org' || org_no || '.example', now() - make_interval(days => :days + 1)
  FROM seed_users;

CREATE TEMP TABLE seed_customers AS
SELECT o.no AS org_no, c AS no, o.id AS org_id,
       pg_temp.id(now() - make_interval(days => :days) + c * interval '1 second', 'customer' || o.no || '-' || c) AS id,
       '601' || lpad(c::text, 8, '0') AS phone
  FROM seed_orgs o, generate_series(0, :customers - 1) c;
CREATE UNIQUE INDEX ON seed_customers (org_no, no);
INSERT INTO customers (org_id, id, phone, name, last_inbound_at, created_at)
SELECT org_id, id, phone, 'Customer ' || phone, now() - (random() * :days) * interval '1 day',
       now() - make_interval(days => :days) + no * interval '1 second'
  FROM seed_customers;
ANALYZE orgs, channels, users, customers;

-- the messages, oldest first, :chunk a transaction
CREATE TEMP TABLE seed_progress (done bigint);
INSERT INTO seed_progress VALUES (0);
\set total :messages
SELECT set_config('seed.total', :'total', false), set_config('seed.chunk', :'chunk', false),
       set_config('seed.days', :'days', false), set_config('seed.orgs', :'orgs', false),
       set_config('seed.customers', :'customers', false), set_config('seed.users', :'users', false);
DO $$
DECLARE
    total bigint := current_setting('seed.total')::bigint;
    chunk bigint := current_setting('seed.chunk')::bigint;
    days int := current_setting('seed.days')::int;
    n_orgs int := current_setting('seed.orgs')::int;
    n_customers int := current_setting('seed.customers')::int;
    n_users int := current_setting('seed.users')::int;
    start timestamptz := now() - make_interval(days => days);
    from_i bigint := 1;
    began timestamptz := clock_timestamp();
BEGIN
    WHILE from_i <= total LOOP
        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind, content, status, wamid,
                              response, error_code, error_message, upstream_code, idempotency_key, request_hash,
                              attempts, created_at, updated_at, attempted_at)
        SELECT c.org_id, pg_temp.id(r.at, 'message' || r.i), c.id,
               CASE WHEN r.inbound THEN NULL ELSE u.id END,
               pg_temp.id(date_trunc('day', r.at), 'session' || c.org_no || '-' || c.no || '-' || r.at::date),
               CASE WHEN r.inbound THEN 'user' WHEN r.i % 10 = 0 THEN 'assistant' ELSE 'human' END,
               'text',
               CASE WHEN r.inbound
                    THEN jsonb_build_object('from', c.phone, 'id', r.wamid, 'timestamp', extract(epoch FROM r.at)::bigint::text,
                                            'type', 'text', 'text', jsonb_build_object('body', r.body))
                    ELSE jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', r.body)) END,
               r.status,
               r.wamid,
               CASE WHEN r.inbound THEN NULL
                    ELSE jsonb_build_object('messaging_product', 'whatsapp',
                                            'contacts', jsonb_build_array(jsonb_build_object('input', c.phone, 'wa_id', c.phone)),
                                            'messages', jsonb_build_array(jsonb_build_object('id', r.wamid))) END,
               CASE WHEN r.status = 'failed' THEN 'upstream_failed' END,
               CASE WHEN r.status = 'failed' THEN 'Message undeliverable.' END,
               CASE WHEN r.status = 'failed' THEN 131026 END,
               CASE WHEN NOT r.inbound AND r.i % 10 = 3 THEN 'idem-' || md5('key' || r.i) END,
               CASE WHEN NOT r.inbound AND r.i % 10 = 3 THEN decode(md5('request' || r.i), 'hex') END,
               CASE WHEN r.inbound THEN 0 ELSE 1 END,
               r.at,
               r.at + CASE WHEN r.inbound THEN interval '0' ELSE interval '40 seconds' * r.p END,
               CASE WHEN r.inbound THEN NULL ELSE r.at END
          FROM (SELECT i, at, inbound, wamid, body, p,
                       CASE WHEN inbound THEN 'received'
                            WHEN p < 0.85 THEN 'read' WHEN p < 0.93 THEN 'delivered' WHEN p < 0.97 THEN 'sent'
                            ELSE 'failed' END AS status,
                       org_no, customer_no, user_no
                  FROM (SELECT i,
                               start + (i::float8 / total) * make_interval(days => days) + pg_temp.u(i, 1) * interval '1 second' AS at,
                               pg_temp.u(i, 2) < 0.45 AS inbound,
                               pg_temp.u(i, 3) AS p,
                               'wamid.' || encode(sha256(('wamid' || i)::bytea), 'base64') AS wamid,
                               left(repeat('Thanks, noted. Your order ' || i || ' ships tomorrow; tracking follows. ', 4),
                                    20 + (i % 160)::int) AS body,
                               floor(n_orgs * pg_temp.u(i, 4))::int AS org_no,
                               floor(n_customers * pg_temp.u(i, 5) ^ 2)::int AS customer_no,
                               (i % n_users)::int AS user_no
                          FROM generate_series(from_i, least(from_i + chunk - 1, total)) i OFFSET 0) g OFFSET 0) r
          JOIN seed_customers c ON c.org_no = r.org_no AND c.no = r.customer_no
          JOIN seed_users u ON u.org_no = r.org_no AND u.no = r.user_no
         -- the chunk's hours in org order: its rows reach the org-first indexes page by page, not at random
         ORDER BY c.org_id, r.at;
        COMMIT;
        IF (from_i + chunk - 1) / 1000000 > (from_i - 1) / 1000000 OR from_i + chunk > total THEN
            RAISE NOTICE 'seeded % of % messages, % s', least(from_i + chunk - 1, total), total,
                round(extract(epoch FROM clock_timestamp() - began));
        END IF;
        from_i := from_i + chunk;
    END LOOP;
END
$$;
