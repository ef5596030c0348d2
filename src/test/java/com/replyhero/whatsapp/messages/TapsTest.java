package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A customer's taps, simulated by the sandbox as Meta reports them: a template's quick-reply button arrives as a
 * {@code button} message with its payload, an interactive reply button as a {@code button_reply}, a list row as a
 * {@code list_reply}; each is stored (history) with our id of the message tapped, and sent to the org's backend as
 * {@code message.received}.
 */
class TapsTest extends GatewayTest {

    @Autowired
    private SandboxAccount sandboxAccount;

    @Test
    void aQuickReplyTapOnATemplateArrivesAsAButtonMessageWithItsPayload() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String phone = customer.get("phone").asString();
        String template = aSandboxTemplate("""
                [{"type": "BODY", "text": "Your order is ready. Pick it up today?"},
                 {"type": "BUTTONS", "buttons": [
                   {"type": "QUICK_REPLY", "text": "Yes, today"}, {"type": "QUICK_REPLY", "text": "Tomorrow"}]}]""");
        Api.Response sent = api.post(
                "/whatsapp/template/send",
                Map.of(
                        "templateName", template,
                        "sessionId", "SESSION_ID",
                        "orgId", org.orgId(),
                        "userId", org.userId(),
                        "components",
                                List.of(Map.of(
                                        "type", "button",
                                        "sub_type", "quick_reply",
                                        "index", "1",
                                        "parameters", List.of(Map.of("type", "payload", "payload", "PICKUP-LATER"))))),
                org.key());
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        String ourId = sent.json().get(0).get("id").asString();
        String wamid = sent.json().get(0).get("wamid").asString();

        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);

            Api.Response tapped = api.post(
                    "/sandbox/customers/" + phone + "/messages", Map.of("tap", Map.of("messageId", ourId, "index", 1)));
            Api.Response byDefault = api.post(
                    "/sandbox/customers/" + phone + "/messages", Map.of("tap", Map.of("messageId", wamid, "index", 0)));

            assertThat(tapped.status()).as(tapped.text()).isEqualTo(200);
            assertThat(byDefault.status()).as(byDefault.text()).isEqualTo(200);
            JsonNode event = endpoint.next("message.received", Duration.ofSeconds(5))
                    .json()
                    .get("data");
            assertThat(event.get("kind").asString()).isEqualTo("button");
            assertThat(event.get("messageType").asString()).isEqualTo("user");
            assertThat(event.get("message").asString()).isEqualTo("Tomorrow");
            assertThat(event.get("content").get("type").asString()).isEqualTo("button");
            assertThat(event.get("content").get("button")).isEqualTo(Api.json().readTree("""
                            {"payload": "PICKUP-LATER", "text": "Tomorrow"}"""));
            assertThat(event.get("content").get("context").get("id").asString()).isEqualTo(wamid);
            assertThat(event.get("content").get("context").get("messageId").asString())
                    .isEqualTo(ourId);
            assertThat(event.get("content").get("context").get("from").asString())
                    .isEqualTo(sandboxAccount.displayPhoneNumber());
            // without a payload in the send, Meta gives the button's text as its payload
            JsonNode second = endpoint.next("message.received", Duration.ofSeconds(5))
                    .json()
                    .get("data");
            assertThat(second.get("content").get("button")).isEqualTo(Api.json().readTree("""
                            {"payload": "Yes, today", "text": "Yes, today"}"""));
        }
        JsonNode inHistory = historyEntry(org, customer, 1);
        assertThat(inHistory.get("kind").asString()).isEqualTo("button");
        assertThat(inHistory.get("message").asString()).isEqualTo("Tomorrow");
        assertThat(inHistory.get("content").get("button").get("payload").asString())
                .isEqualTo("PICKUP-LATER");
        assertThat(inHistory.get("content").get("context").get("messageId").asString())
                .isEqualTo(ourId);
    }

    @Test
    void aButtonTapAndAListSelectionArriveAsInboundMessagesAndAsEvents() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String phone = customer.get("phone").asString();
        String buttons = sendInteractive(org, customer, SendMessageKindsTest.BUTTONS);
        String list = sendInteractive(org, customer, SendMessageKindsTest.LIST);

        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);

            Api.Response button = api.post(
                    "/sandbox/customers/" + phone + "/messages",
                    Map.of("tap", Map.of("messageId", buttons, "buttonId", "cancel-button")));
            Api.Response row = api.post(
                    "/sandbox/customers/" + phone + "/messages",
                    Map.of("tap", Map.of("messageId", list, "rowId", "priority_mail")));

            assertThat(button.status()).as(button.text()).isEqualTo(200);
            assertThat(row.status()).as(row.text()).isEqualTo(200);
            JsonNode first = endpoint.next("message.received", Duration.ofSeconds(5))
                    .json()
                    .get("data");
            JsonNode second = endpoint.next("message.received", Duration.ofSeconds(5))
                    .json()
                    .get("data");
            assertThat(first.get("kind").asString()).isEqualTo("interactive");
            assertThat(first.get("message").asString()).isEqualTo("Cancel");
            assertThat(first.get("content").get("interactive"))
                    .isEqualTo(Api.json().readTree("""
                            {"type": "button_reply", "button_reply": {"id": "cancel-button", "title": "Cancel"}}"""));
            assertThat(first.get("content").get("context").get("messageId").asString())
                    .isEqualTo(buttons);
            assertThat(second.get("message").asString()).isEqualTo("Priority Mail");
            assertThat(second.get("content").get("interactive"))
                    .isEqualTo(Api.json().readTree("""
                            {"type": "list_reply",
                             "list_reply": {"id": "priority_mail", "title": "Priority Mail", "description": "1–3 Days"}}"""));
            assertThat(second.get("content").get("context").get("messageId").asString())
                    .isEqualTo(list);
        }
        JsonNode listReply = historyEntry(org, customer, 0);
        JsonNode buttonReply = historyEntry(org, customer, 1);
        assertThat(listReply.get("kind").asString()).isEqualTo("interactive");
        assertThat(listReply
                        .get("content")
                        .get("interactive")
                        .get("list_reply")
                        .get("id")
                        .asString())
                .isEqualTo("priority_mail");
        assertThat(listReply.get("content").get("context").get("messageId").asString())
                .isEqualTo(list);
        assertThat(buttonReply
                        .get("content")
                        .get("interactive")
                        .get("button_reply")
                        .get("id")
                        .asString())
                .isEqualTo("cancel-button");
        assertThat(buttonReply.get("message").asString()).isEqualTo("Cancel");
    }

    @Test
    void aTapOnAButtonOrRowTheMessageDoesNotHaveIsRefused() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String phone = customer.get("phone").asString();
        String buttons = sendInteractive(org, customer, SendMessageKindsTest.BUTTONS);
        String list = sendInteractive(org, customer, SendMessageKindsTest.LIST);
        Api.Response text = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());
        String hello = api.post(
                        "/whatsapp/template/send",
                        Map.of(
                                "templateName", "hello_world",
                                "sessionId", "SESSION_ID",
                                "orgId", org.orgId(),
                                "userId", org.userId(),
                                "components", List.of()),
                        org.key())
                .json()
                .get(0)
                .get("id")
                .asString();
        Object[][] cases = {
            {Map.of("messageId", buttons, "buttonId", "no-such-button"), 400, "tap.buttonId"},
            {Map.of("messageId", buttons, "index", 2), 400, "tap.index"},
            {Map.of("messageId", list, "rowId", "no_such_row"), 400, "tap.rowId"},
            {Map.of("messageId", text.json().get("id").asString(), "index", 0), 400, "tap.messageId"},
            {Map.of("messageId", hello, "index", 0), 400, "tap.index"}, // hello_world has no buttons
            {Map.of("messageId", "no-such-message", "index", 0), 404, "tap.messageId"},
        };
        long before = inboundOf(org);

        for (Object[] c : cases) {
            Api.Response tapped = api.post("/sandbox/customers/" + phone + "/messages", Map.of("tap", c[0]));

            assertThat(tapped.status()).as(c[0] + ": " + tapped.text()).isEqualTo(c[1]);
            assertThat(tapped.json().get("field").asString()).as(tapped.text()).isEqualTo(c[2]);
        }
        Api.Response otherCustomer = api.post(
                "/sandbox/customers/60" + randomDigits(9) + "/messages",
                Map.of("tap", Map.of("messageId", buttons, "index", 0)));
        assertThat(otherCustomer.status()).as(otherCustomer.text()).isEqualTo(404);
        assertThat(inboundOf(org)).isEqualTo(before);
    }

    private String sendInteractive(TestOrg org, JsonNode customer, String interactive) {
        Api.Response sent = api.post(
                "/whatsapp/messages/send",
                Map.of(
                        "message",
                                Map.of(
                                        "type",
                                        "interactive",
                                        "interactive",
                                        Api.json().readTree(interactive)),
                        "sessionId", "SESSION_ID",
                        "customerId", customer.get("id").asString(),
                        "userId", org.userId(),
                        "orgId", org.orgId()),
                org.key());
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        return sent.json().get("id").asString();
    }

    private void subscribe(TestOrg org, OrgEndpoint endpoint) {
        Api.Response webhook = api.put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.key());
        assertThat(webhook.status()).as(webhook.text()).isEqualTo(200);
    }

    /** The customer's history entry at this position, newest first. */
    private JsonNode historyEntry(TestOrg org, JsonNode customer, int position) {
        return api.get(
                        "/whatsapp/messages?limit=50&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .get("data")
                .get(position);
    }

    private long inboundOf(TestOrg org) {
        return db.sql("SELECT count(*) FROM messages WHERE org_id = ? AND message_type = 'user'")
                .param(org.orgId())
                .query(Long.class)
                .single();
    }

    private String aSandboxTemplate(String components) {
        String name = "taps_" + randomDigits(8);
        Api.Response registered = api.post("/sandbox/templates", """
                {"name": "%s", "language": "en_US", "category": "MARKETING", "components": %s}""".formatted(name, components));
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        return name;
    }
}
