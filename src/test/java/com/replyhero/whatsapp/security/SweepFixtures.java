package com.replyhero.whatsapp.security;

import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What the sweeps share: an org A with one of everything, its markers, and its state as one comparable text. */
abstract class SweepFixtures extends GatewayTest {

    /** Org A, the ids of its objects by name (and by {@code <segment>.id}), and texts that only A's data contains. */
    record Objects(TestOrg org, Map<String, String> ids, List<String> markers) {}

    Objects orgAWithOneOfEverything() {
        TestOrg org = anOrg();
        String phone = "60" + randomDigits(9);
        String name = "Secret Customer " + randomDigits(6);
        JsonNode customer = api.post("/whatsapp/customers", Map.of("phone", phone, "name", name), org.key())
                .json();
        writeIn(org, phone, "private question " + randomDigits(6));
        String session = "session-of-a-" + randomDigits(6);
        String text = "private answer " + randomDigits(6);
        Map<String, Object> send =
                new HashMap<>(textRequest(org, customer.get("id").asString(), text));
        send.put("sessionId", session);
        JsonNode message = api.post("/whatsapp/messages/send", send, org.key()).json();
        JsonNode key =
                api.get("/whatsapp/api-keys", org.key()).json().get("data").get(0);
        String mediaId = "9" + randomDigits(15);
        db.sql(
                        "INSERT INTO media (org_id, id, direction, mime_type, size_bytes) VALUES (?, ?, 'outbound', 'image/png', 1)")
                .params(org.orgId(), mediaId)
                .update();
        String broadcastId = "bc_" + randomDigits(12);
        db.sql("""
                        INSERT INTO broadcasts (org_id, id, template_name, language, user_id, session_id, total, status)
                        VALUES (?, ?, 'sweep_template', 'en', ?, ?, 1, 'completed')
                        """).params(org.orgId(), broadcastId, org.userId(), session).update();
        String templateName = "sweep_template_" + randomDigits(10);
        db.sql("""
                        INSERT INTO templates (org_id, name, language, status, category, components, source, meta_id)
                        VALUES (?, ?, 'en_US', 'APPROVED', 'UTILITY', '[{"type": "BODY", "text": "Hi"}]'::jsonb,
                                'created', ?)
                        """).params(org.orgId(), templateName, "7" + randomDigits(14)).update();
        String eventId = "msg_" + randomDigits(12);
        db.sql("""
                        INSERT INTO org_events (org_id, id, type, subject, payload, status, retry_until)
                        VALUES (?, ?, 'message.status', ?, ?::jsonb, 'dead', now())
                        """)
                .params(org.orgId(), eventId, message.get("id").asString(), "{\"secret\": \"" + text + "\"}")
                .update();

        // the inbox records a conversation's last activity shortly after its messages (every 250 ms): settled first
        eventually(
                () -> db.sql("""
                                SELECT count(*) FROM conversations c
                                 WHERE c.org_id = :org
                                   AND c.updated_at = (SELECT max(created_at) FROM messages m
                                                        WHERE m.org_id = c.org_id AND m.customer_id = c.customer_id)
                                """).param("org", org.orgId()).query(Long.class).single(),
                settled -> settled == 1,
                java.time.Duration.ofSeconds(10));

        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("orgId", org.orgId());
        ids.put("userId", org.userId());
        ids.put("customerId", customer.get("id").asString());
        ids.put("customers.id", customer.get("id").asString());
        ids.put("customerIds", customer.get("id").asString());
        ids.put("sessionId", session);
        ids.put("phone", phone);
        ids.put("messages.id", message.get("id").asString());
        ids.put("messages.wamid", message.get("wamid").asString());
        ids.put("api-keys.id", key.get("id").asString());
        ids.put("media.id", mediaId);
        ids.put("mediaId", mediaId);
        ids.put("broadcasts.id", broadcastId);
        ids.put("broadcastId", broadcastId);
        ids.put("events.id", eventId);
        ids.put("eventId", eventId);
        ids.put("channelId", org.channelId());
        ids.put("templateName", templateName);
        ids.put("language", "en_US");
        List<String> markers = List.of(
                templateName,
                org.channelId(),
                org.phoneNumberId(),
                org.orgId(),
                org.userId(),
                customer.get("id").asString(),
                phone,
                name,
                session,
                text,
                message.get("id").asString(),
                key.get("id").asString(),
                mediaId,
                broadcastId,
                eventId);
        return new Objects(org, ids, markers);
    }

    /** Everything the operator and the org API could change about an org, as one comparable text. */
    String stateOf(String orgId) {
        StringBuilder state = new StringBuilder();
        state.append(db.sql("SELECT count(*) FROM orgs").query(Long.class).single());
        // whole rows where nothing but a request changes them; ids where the gateway moves them on by itself
        // (a message's status from the sandbox's webhooks, a key's last use)
        for (String table : List.of(
                "t::text FROM orgs t WHERE id = :org",
                "t::text FROM channels t WHERE org_id = :org",
                "t::text FROM users t WHERE org_id = :org",
                "t::text FROM customers t WHERE org_id = :org",
                "t::text FROM conversations t WHERE org_id = :org",
                "t::text FROM org_webhooks t WHERE org_id = :org",
                "t::text FROM media_providers t WHERE org_id = :org",
                "t::text FROM templates t WHERE org_id = :org",
                "t::text FROM media t WHERE org_id = :org",
                "t::text FROM idempotency_records t WHERE org_id = :org",
                "id || coalesce(revoked_at::text, '') FROM api_keys WHERE org_id = :org",
                "id FROM messages WHERE org_id = :org")) {
            String value = table.substring(0, table.indexOf(" FROM "));
            state.append(' ')
                    .append(db.sql("SELECT count(*) || ':' || coalesce(md5(string_agg(" + value + ", ',' ORDER BY "
                                    + value + ")), '')" + table.substring(table.indexOf(" FROM ")))
                            .param("org", orgId)
                            .query(String.class)
                            .single());
        }
        return state.toString();
    }
}
