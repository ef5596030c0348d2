package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The non-media kinds of Meta's Cloud API sent through the seed's endpoint: each reaches the sandbox in Meta's
 * documented shape (the objects below are the examples of Meta's pages "Location messages", "Contacts messages",
 * "Interactive reply buttons messages", "Interactive list messages", "Interactive CTA URL button messages",
 * "Location request messages", "Reaction messages" and "Contextual replies", with a text header where Meta's
 * example shows an image one), comes back in history with its kind, and a bad one is refused before the upstream.
 */
class SendMessageKindsTest extends GatewayTest {

    @Autowired
    private SandboxAccount sandboxAccount;

    static final String LOCATION = """
            {
              "latitude": "37.44216251868683",
              "longitude": "-122.16153582049394",
              "name": "Philz Coffee",
              "address": "101 Forest Ave, Palo Alto, CA 94301"
            }""";

    static final String CONTACTS = """
            [
              {
                "addresses": [
                  {
                    "street": "1 Lucky Shrimp Way",
                    "city": "Menlo Park",
                    "state": "CA",
                    "zip": "94025",
                    "country": "United States",
                    "country_code": "US",
                    "type": "WORK"
                  }
                ],
                "birthday": "1999-01-23",
                "emails": [
                  {"email": "bjohnson@luckyshrimp.com", "type": "WORK"},
                  {"email": "bjohnson@gmail.com", "type": "HOME"}
                ],
                "name": {
                  "formatted_name": "Barbara J. Johnson",
                  "first_name": "Barbara",
                  "last_name": "Johnson",
                  "middle_name": "Joana",
                  "suffix": "Esq.",
                  "prefix": "Dr."
                },
                "org": {"company": "Lucky Shrimp", "department": "Legal", "title": "Lead Counsel"},
                "phones": [
                  {"phone": "+16505559999", "type": "HOME"},
                  {"phone": "+19175559999", "type": "WORK", "wa_id": "19175559999"}
                ],
                "urls": [
                  {"url": "https://www.luckyshrimp.com", "type": "WORK"},
                  {"url": "https://www.facebook.com/luckyshrimp", "type": "WORK"}
                ]
              }
            ]""";

    static final String BUTTONS = """
            {
              "type": "button",
              "header": {"type": "text", "text": "Workshop tomorrow"},
              "body": {
                "text": "Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow. Use the buttons if you need to reschedule. Thank you!"
              },
              "footer": {"text": "Lucky Shrimp: Your gateway to succulents!™"},
              "action": {
                "buttons": [
                  {"type": "reply", "reply": {"id": "change-button", "title": "Change"}},
                  {"type": "reply", "reply": {"id": "cancel-button", "title": "Cancel"}}
                ]
              }
            }""";

    static final String LIST = """
            {
              "type": "list",
              "header": {"type": "text", "text": "Choose Shipping Option"},
              "body": {"text": "Which shipping option do you prefer?"},
              "footer": {"text": "Lucky Shrimp: Your gateway to succulents™"},
              "action": {
                "button": "Shipping Options",
                "sections": [
                  {
                    "title": "I want it ASAP!",
                    "rows": [
                      {"id": "priority_express", "title": "Priority Mail Express", "description": "Next Day to 2 Days"},
                      {"id": "priority_mail", "title": "Priority Mail", "description": "1–3 Days"}
                    ]
                  },
                  {
                    "title": "I can wait a bit",
                    "rows": [
                      {"id": "usps_ground_advantage", "title": "USPS Ground Advantage", "description": "2–5 Days"},
                      {"id": "media_mail", "title": "Media Mail", "description": "2–8 Days"}
                    ]
                  }
                ]
              }
            }""";

    static final String CTA_URL = """
            {
              "type": "cta_url",
              "header": {"type": "text", "text": "New workshop dates"},
              "body": {"text": "Tap the button below to see available dates."},
              "footer": {"text": "Dates subject to change."},
              "action": {
                "name": "cta_url",
                "parameters": {"display_text": "See Dates", "url": "https://www.luckyshrimp.com/classes?ref=wa"}
              }
            }""";

    static final String LOCATION_REQUEST = """
            {
              "type": "location_request_message",
              "body": {
                "text": "Let's start with your pickup. You can either manually *enter an address* or *share your current location*."
              },
              "action": {"name": "send_location"}
            }""";

    @Test
    void eachKindReachesTheSandboxInMetasShapeAndComesBackInHistory() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("location", LOCATION);
        kinds.put("contacts", CONTACTS);
        kinds.put("interactive button", BUTTONS);
        kinds.put("interactive list", LIST);
        kinds.put("interactive cta_url", CTA_URL);
        kinds.put("interactive location_request_message", LOCATION_REQUEST);

        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            String type = kind.getKey().split(" ")[0];
            JsonNode metas = Api.json().readTree(kind.getValue());

            Api.Response sent = send(org, customer, Map.of("type", type, type, metas));

            assertThat(sent.status()).as(kind.getKey() + ": " + sent.text()).isEqualTo(200);
            String id = sent.json().get("id").asString();
            assertThat(sent.json().get("kind").asString()).isEqualTo(type);
            JsonNode received = onlyBodyReceived(id);
            assertThat(received.get("messaging_product").asString()).isEqualTo("whatsapp");
            assertThat(received.get("recipient_type").asString()).isEqualTo("individual");
            assertThat(received.get("to").asString())
                    .isEqualTo(customer.get("phone").asString());
            assertThat(received.get("type").asString()).isEqualTo(type);
            assertThat(received.get(type))
                    .as(kind.getKey() + " as the sandbox received it")
                    .isEqualTo(metas);
            assertThat(received.get("biz_opaque_callback_data").asString()).isEqualTo(id);
            assertThat(received.propertyNames())
                    .containsExactlyInAnyOrder(
                            "messaging_product", "recipient_type", "to", "type", type, "biz_opaque_callback_data");

            JsonNode inHistory = historyEntry(org, customer, id);
            assertThat(inHistory.get("kind").asString()).isEqualTo(type);
            assertThat(inHistory.get("content").get(type)).isEqualTo(metas);
            JsonNode one = api.get("/whatsapp/messages/" + id, org.key()).json();
            assertThat(one.get("kind").asString()).isEqualTo(type);
            assertThat(one.get("content").get(type)).isEqualTo(metas);
        }
        assertThat(historyEntry(org, customer, null).get("message").asString())
                .isEqualTo("Let's start with your pickup. You can either manually *enter an address* or *share your"
                        + " current location*.");
    }

    @Test
    void aReactionNamesTheMessageByOurIdOrByItsWamidAndAnEmptyEmojiRemovesIt() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Api.Response ours = send(org, customer, Map.of("type", "text", "text", Map.of("body", "your order shipped")));
        String ourId = ours.json().get("id").asString();
        String ourWamid =
                ours.json().get("response").get("messages").get(0).get("id").asString();
        String theirWamid = writeIn(org, customer.get("phone").asString(), "thanks!")
                .json()
                .get("wamid")
                .asString();

        Api.Response byOurId = send(org, customer, reaction(ourId, "👍"));
        Api.Response byTheirWamid = send(org, customer, reaction(theirWamid, "❤️"));
        Api.Response removed = send(org, customer, reaction(ourWamid, ""));

        assertThat(byOurId.status()).as(byOurId.text()).isEqualTo(200);
        assertThat(onlyBodyReceived(byOurId.json().get("id").asString()).get("reaction"))
                .isEqualTo(Api.json().readTree("{\"message_id\": \"" + ourWamid + "\", \"emoji\": \"👍\"}"));
        assertThat(byTheirWamid.status()).as(byTheirWamid.text()).isEqualTo(200);
        assertThat(onlyBodyReceived(byTheirWamid.json().get("id").asString()).get("reaction"))
                .isEqualTo(Api.json().readTree("{\"message_id\": \"" + theirWamid + "\", \"emoji\": \"❤️\"}"));
        assertThat(removed.status()).as(removed.text()).isEqualTo(200);
        assertThat(onlyBodyReceived(removed.json().get("id").asString()).get("reaction"))
                .isEqualTo(Api.json().readTree("{\"message_id\": \"" + ourWamid + "\", \"emoji\": \"\"}"));
        JsonNode inHistory =
                historyEntry(org, customer, byOurId.json().get("id").asString());
        assertThat(inHistory.get("kind").asString()).isEqualTo("reaction");
        assertThat(inHistory.get("content").get("reaction").get("message_id").asString())
                .isEqualTo(ourWamid);
        assertThat(inHistory.get("content").get("reaction").get("messageId").asString())
                .isEqualTo(ourId);
        assertThat(inHistory.get("message").asString()).isEqualTo("👍");
    }

    @Test
    void anyKindMayAnswerAMessageAndMetaGetsItsWamidAsContext() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Api.Response question = writeIn(org, customer.get("phone").asString(), "where are you?");
        String questionWamid = question.json().get("wamid").asString();
        String questionId = historyEntry(org, customer, null).get("id").asString();

        Api.Response byOurId = send(
                org,
                customer,
                Map.of(
                        "type", "location",
                        "location", Api.json().readTree(LOCATION),
                        "context", Map.of("messageId", questionId)));
        Api.Response byWamid = send(
                org,
                customer,
                Map.of(
                        "type", "text",
                        "text", Map.of("body", "here"),
                        "context", Map.of("messageId", questionWamid)));

        assertThat(byOurId.status()).as(byOurId.text()).isEqualTo(200);
        JsonNode received = onlyBodyReceived(byOurId.json().get("id").asString());
        assertThat(received.get("context"))
                .isEqualTo(Api.json().readTree("{\"message_id\": \"" + questionWamid + "\"}"));
        assertThat(received.get("location")).isEqualTo(Api.json().readTree(LOCATION));
        assertThat(byWamid.status()).as(byWamid.text()).isEqualTo(200);
        assertThat(onlyBodyReceived(byWamid.json().get("id").asString()).get("context"))
                .isEqualTo(Api.json().readTree("{\"message_id\": \"" + questionWamid + "\"}"));
        JsonNode reply = api.get(
                        "/whatsapp/messages/" + byWamid.json().get("id").asString(), org.key())
                .json();
        assertThat(reply.get("content").get("context").get("messageId").asString())
                .isEqualTo(questionId);
        assertThat(reply.get("content").get("context").get("wamid").asString()).isEqualTo(questionWamid);
    }

    @Test
    void badKindsAreRefusedNamingTheFieldWithNothingStoredAndNoUpstreamCall() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Map<String, Object> button = Map.of("type", "reply", "reply", Map.of("id", "b", "title", "B"));
        List<Object[]> cases = List.of(
                new Object[] {
                    interactive(buttons(reply("a", "A"), reply("b", "B"), reply("c", "C"), reply("d", "D"))),
                    "message.interactive.action.buttons"
                },
                new Object[] {
                    interactive(buttons(reply("a", "A"), reply("b", "x".repeat(21)))),
                    "message.interactive.action.buttons[1].reply.title"
                },
                new Object[] {
                    interactive(buttons(reply("same", "A"), reply("same", "B"))),
                    "message.interactive.action.buttons[1].reply.id"
                },
                new Object[] {
                    interactive(buttons(reply("a", "Same"), reply("b", "Same"))),
                    "message.interactive.action.buttons[1].reply.title"
                },
                new Object[] {
                    interactive(buttons(reply("x".repeat(257), "A"))), "message.interactive.action.buttons[0].reply.id"
                },
                new Object[] {interactive(buttons()), "message.interactive.action.buttons"},
                new Object[] {
                    interactive(Map.of(
                            "type", "button",
                            "body", Map.of("text", "x".repeat(1025)),
                            "action", Map.of("buttons", List.of(button)))),
                    "message.interactive.body.text"
                },
                new Object[] {
                    interactive(Map.of(
                            "type", "button",
                            "body", Map.of("text", "hi"),
                            "footer", Map.of("text", "x".repeat(61)),
                            "action", Map.of("buttons", List.of(button)))),
                    "message.interactive.footer.text"
                },
                new Object[] {
                    interactive(Map.of("type", "button", "action", Map.of("buttons", List.of(button)))),
                    "message.interactive.body"
                },
                new Object[] {interactive(list(6, 5)), "message.interactive.action.sections[1].rows[4]"},
                new Object[] {interactive(list(11)), "message.interactive.action.sections[0].rows"},
                new Object[] {
                    interactive(Map.of(
                            "type", "list",
                            "body", Map.of("text", "pick"),
                            "action",
                                    Map.of(
                                            "button",
                                            "Options",
                                            "sections",
                                            List.of(
                                                    Map.of("rows", List.of(row("a"))),
                                                    Map.of("title", "Two", "rows", List.of(row("b"))))))),
                    "message.interactive.action.sections[0].title"
                },
                new Object[] {
                    interactive(Map.of(
                            "type", "cta_url",
                            "body", Map.of("text", "go"),
                            "action",
                                    Map.of(
                                            "name",
                                            "cta_url",
                                            "parameters",
                                            Map.of("display_text", "Open", "url", "ftp://example.com/x")))),
                    "message.interactive.action.parameters.url"
                },
                new Object[] {
                    interactive(Map.of(
                            "type", "location_request_message",
                            "body", Map.of("text", "where?"),
                            "action", Map.of("name", "send_pizza"))),
                    "message.interactive.action.name"
                },
                new Object[] {
                    Map.of("type", "location", "location", Map.of("latitude", 91, "longitude", 0)),
                    "message.location.latitude"
                },
                new Object[] {
                    Map.of("type", "location", "location", Map.of("latitude", 0, "longitude", "-180.5")),
                    "message.location.longitude"
                },
                new Object[] {
                    Map.of("type", "contacts", "contacts", List.of(Map.of("name", Map.of("first_name", "Ali")))),
                    "message.contacts[0].name.formatted_name"
                },
                new Object[] {
                    Map.of(
                            "type",
                            "contacts",
                            "contacts",
                            List.of(Map.of("name", Map.of("formatted_name", "Ali"), "birthday", "23/01/1999"))),
                    "message.contacts[0].birthday"
                },
                new Object[] {reaction("wamid.whatever", "ab"), "message.reaction.emoji"},
                new Object[] {
                    Map.of("type", "text", "text", Map.of("body", "hi"), "context", Map.of("message_id", "x")),
                    "message.context.message_id"
                });

        for (Object[] refusedCase : cases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> message = (Map<String, Object>) refusedCase[0];
            String field = (String) refusedCase[1];

            Api.Response refused = send(org, customer, message);

            assertThat(refused.status()).as(field + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.json().get("code").asString()).isEqualTo("invalid_request");
            assertThat(refused.json().get("field").asString())
                    .as(refused.text())
                    .isEqualTo(field);
        }
        assertThat(messagesOf(org))
                .as("only the customer's own message is stored")
                .isEqualTo(1);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void aReactionOrAReplyNamesOnlyAMessageOfTheSameOrgAndCustomerThatWhatsAppAccepted() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        JsonNode secondCustomer = aCustomerWhoWroteIn(org);
        JsonNode theirCustomer = aCustomerWhoWroteIn(other);
        Api.Response theirs = send(other, theirCustomer, Map.of("type", "text", "text", Map.of("body", "not yours")));
        String theirId = theirs.json().get("id").asString();
        String theirWamid =
                theirs.json().get("response").get("messages").get(0).get("id").asString();
        Api.Response toSecond =
                send(org, secondCustomer, Map.of("type", "text", "text", Map.of("body", "for the second")));
        String notYetAccepted = "0" + randomDigits(21);
        db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind,
                                              content, status, error_code)
                        VALUES (?, ?, ?, ?, 's', 'human', 'text', '{"type": "text", "text": {"body": "q"}}'::jsonb,
                                'failed', 'rejected')
                        """)
                .params(org.orgId(), notYetAccepted, customer.get("id").asString(), org.userId())
                .update();
        long storedBefore = messagesOf(org);
        long acceptedBefore = sandboxAcceptedTo(customer.get("phone").asString());

        Api.Response otherOrgsById = send(org, customer, reaction(theirId, "👍"));
        Api.Response otherOrgsByWamid = send(org, customer, reaction(theirWamid, "👍"));
        Api.Response replyToOtherOrgs = send(
                org,
                customer,
                Map.of("type", "text", "text", Map.of("body", "hi"), "context", Map.of("messageId", theirWamid)));
        Api.Response unknown = send(
                org,
                customer,
                Map.of("type", "text", "text", Map.of("body", "hi"), "context", Map.of("messageId", "no-such-id")));
        Api.Response otherCustomers =
                send(org, customer, reaction(toSecond.json().get("id").asString(), "👍"));
        Api.Response noWamid = send(
                org,
                customer,
                Map.of("type", "text", "text", Map.of("body", "hi"), "context", Map.of("messageId", notYetAccepted)));

        for (Api.Response notFound : List.of(otherOrgsById, otherOrgsByWamid)) {
            assertThat(notFound.status()).as(notFound.text()).isEqualTo(404);
            assertThat(notFound.json().get("code").asString()).isEqualTo("message_not_found");
            assertThat(notFound.json().get("field").asString()).isEqualTo("message.reaction.message_id");
            assertThat(notFound.text()).doesNotContain("not yours");
        }
        for (Api.Response notFound : List.of(replyToOtherOrgs, unknown)) {
            assertThat(notFound.status()).as(notFound.text()).isEqualTo(404);
            assertThat(notFound.json().get("field").asString()).isEqualTo("message.context.messageId");
        }
        assertThat(otherCustomers.status()).as(otherCustomers.text()).isEqualTo(400);
        assertThat(otherCustomers.json().get("field").asString()).isEqualTo("message.reaction.message_id");
        assertThat(noWamid.status()).as(noWamid.text()).isEqualTo(400);
        assertThat(noWamid.json().get("field").asString()).isEqualTo("message.context.messageId");
        assertThat(messagesOf(org)).isEqualTo(storedBefore);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(acceptedBefore);
    }

    @Test
    void everyNewKindNeedsTheCustomerServiceWindow() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);

        for (Map<String, Object> message : List.of(
                Map.<String, Object>of(
                        "type", "location", "location", Api.json().readTree(LOCATION)),
                Map.<String, Object>of(
                        "type", "contacts", "contacts", Api.json().readTree(CONTACTS)),
                Map.<String, Object>of(
                        "type", "interactive", "interactive", Api.json().readTree(BUTTONS)))) {
            Api.Response refused = send(org, customer, message);

            assertThat(refused.status()).as(refused.text()).isEqualTo(422);
            assertThat(refused.json().get("code").asString()).isEqualTo("outside_customer_service_window");
        }
        assertThat(messagesOf(org)).isZero();
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void theSandboxRefusesABadKindAsMetaDoes() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        ObjectNode body = Api.json().createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("to", customer.get("phone").asString());
        body.put("type", "interactive");
        ObjectNode fourButtons = (ObjectNode) Api.json().readTree(BUTTONS);
        for (int i = 0; i < 2; i++) {
            ((tools.jackson.databind.node.ArrayNode) fourButtons.get("action").get("buttons"))
                    .addObject()
                    .put("type", "reply")
                    .putObject("reply")
                    .put("id", "more-" + i)
                    .put("title", "More " + i);
        }
        body.set("interactive", fourButtons);

        Api.Response refused = api.post(
                "/sandbox/graph/v21.0/" + org.phoneNumberId() + "/messages",
                body.toString(),
                "Authorization",
                "Bearer " + sandboxAccount.accessToken());

        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().get("error").get("code").asInt()).isEqualTo(131009);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void everyOpenApiExampleOfTheSendIsAccepted() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        JsonNode examples = api.get("/v3/api-docs")
                .json()
                .at("/paths/~1whatsapp~1messages~1send/post/requestBody/content/application~1json/examples");
        String lastId = null;
        int tried = 0;

        for (Map.Entry<String, JsonNode> example : examples.properties()) {
            String value = example.getValue().get("value").isString()
                    ? example.getValue().get("value").asString()
                    : example.getValue().get("value").toString();
            if (value.contains("BYTES_DATA_IN_STRING")) {
                continue; // the seed's media example: its bytes are a placeholder (SendMediaMessageTest sends it)
            }
            String filled = value.replace("CUSTOMER_ID", customer.get("id").asString())
                    .replace("USER_ID", org.userId())
                    .replace("ORG_ID", org.orgId());
            if (filled.contains("MESSAGE_ID")) {
                assertThat(lastId).as("an earlier example's message").isNotNull();
                filled = filled.replace("MESSAGE_ID", lastId);
            }

            Api.Response sent = api.post("/whatsapp/messages/send", filled, org.key());

            assertThat(sent.status()).as(example.getKey() + ": " + sent.text()).isEqualTo(200);
            lastId = sent.json().get("id").asString();
            tried++;
        }
        assertThat(tried).isGreaterThanOrEqualTo(11);
    }

    private Api.Response send(TestOrg org, JsonNode customer, Map<String, Object> message) {
        Map<String, Object> request = new HashMap<>();
        request.put("message", message);
        request.put("sessionId", "SESSION_ID");
        request.put("customerId", customer.get("id").asString());
        request.put("userId", org.userId());
        request.put("orgId", org.orgId());
        return api.post("/whatsapp/messages/send", request, org.key());
    }

    /** What the sandbox received for the message, which it accepted exactly once. */
    private JsonNode onlyBodyReceived(String messageId) {
        JsonNode bodies =
                api.get("/sandbox/ledger?callbackData=" + messageId).json().get("bodies");
        assertThat(bodies.size()).as("bodies received for " + messageId).isEqualTo(1);
        return bodies.get(0);
    }

    /** The history entry of the message with this id, or the latest one when id is null. */
    private JsonNode historyEntry(TestOrg org, JsonNode customer, String id) {
        JsonNode page = api.get(
                        "/whatsapp/messages?limit=200&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .get("data");
        if (id == null) {
            return page.get(0);
        }
        for (JsonNode entry : page) {
            if (entry.get("id").asString().equals(id)) {
                return entry;
            }
        }
        throw new AssertionError("message " + id + " is not in the history");
    }

    private long messagesOf(TestOrg org) {
        return db.sql("SELECT count(*) FROM messages WHERE org_id = ?")
                .param(org.orgId())
                .query(Long.class)
                .single();
    }

    private static Map<String, Object> reaction(String messageId, String emoji) {
        return Map.of("type", "reaction", "reaction", Map.of("message_id", messageId, "emoji", emoji));
    }

    private static Map<String, Object> interactive(Map<String, Object> interactive) {
        return Map.of("type", "interactive", "interactive", interactive);
    }

    private static Map<String, Object> buttons(Object... buttons) {
        return Map.of(
                "type", "button", "body", Map.of("text", "choose"), "action", Map.of("buttons", List.of(buttons)));
    }

    private static Map<String, Object> reply(String id, String title) {
        return Map.of("type", "reply", "reply", Map.of("id", id, "title", title));
    }

    private static Map<String, Object> row(String id) {
        return Map.of("id", id, "title", "Row " + id);
    }

    /** A list message with sections of these many rows each (titled, ids unique). */
    private static Map<String, Object> list(int... rowsPerSection) {
        List<Object> sections = new java.util.ArrayList<>();
        int n = 0;
        for (int rows : rowsPerSection) {
            List<Object> sectionRows = new java.util.ArrayList<>();
            for (int i = 0; i < rows; i++) {
                sectionRows.add(row("r" + n++));
            }
            sections.add(Map.of("title", "Section " + sections.size(), "rows", sectionRows));
        }
        return Map.of(
                "type",
                "list",
                "body",
                Map.of("text", "pick one"),
                "action",
                Map.of("button", "Options", "sections", sections));
    }
}
