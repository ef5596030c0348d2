package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The agents' inbox over HTTP, as a browser uses it: the list, a conversation, the reply box, live updates. */
class InboxTest extends GatewayTest {

    private static final Pattern KEY = Pattern.compile("name=\"key\" value=\"([^\"]+)\"");

    @Test
    void oneUserCannotTakeMoreThanTheirShareOfANodesLiveStreams() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        ConsoleSession colleague = aConsoleUser(org, Role.AGENT);
        java.util.List<ConsoleSession.EventStream> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) { // rh.console.max-event-streams-per-user
                open.add(agent.events("/console/inbox/events"));
            }

            ConsoleSession.EventStream oneTooMany = agent.events("/console/inbox/events");
            open.add(oneTooMany);
            ConsoleSession.EventStream colleagues = colleague.events("/console/inbox/events");
            open.add(colleagues);

            assertThat(open.subList(0, 10)).allMatch(stream -> stream.status() == 200);
            assertThat(oneTooMany.status()).isEqualTo(429);
            assertThat(colleagues.status()).isEqualTo(200);
        } finally {
            open.forEach(ConsoleSession.EventStream::close);
        }
    }

    @Test
    void aCustomerWhoWritesInIsListedWithTheUnreadCountUntilTheConversationIsOpened() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        JsonNode customer = aCustomer(org);
        String customerId = customer.get("id").asString();

        writeIn(org, customer.get("phone").asString(), "first question");
        writeIn(org, customer.get("phone").asString(), "second question");

        String list = eventually(
                () -> agent.get("/console/inbox").body(),
                body -> body.contains("data-customer-id=\"" + customerId + "\"") && body.contains("2 unread"),
                Duration.ofSeconds(10));
        assertThat(list).contains("second question", "Window open");
        assertThat(list)
                .as("the page follows the org's changes live")
                .contains(
                        "sse-connect=\"/console/inbox/events\"",
                        "hx-trigger=\"sse:conversation, htmx:sseOpen from:#main\"");
        assertThat(agent.get("/console/inbox/list").body())
                .contains("id=\"conversations\"", "data-customer-id=\"" + customerId + "\"")
                .doesNotContain("<html");
        ConsoleSession.Page conversation = agent.get("/console/inbox/" + customerId);
        assertThat(conversation.status()).isEqualTo(200);
        assertThat(conversation.body())
                .contains("id=\"messages\"", "aria-live=\"polite\"", "first question", "second question");
        assertThat(conversation.body()).contains("id=\"reply-text\"", "id=\"reply-file\"", "id=\"assignee\"");
        assertThat(agent.get("/console/inbox").body())
                .contains("data-customer-id=\"" + customerId + "\"")
                .doesNotContain("unread\"");
    }

    @Test
    void anAgentsReplyIsStoredAsHumanWithTheirUserIdOnceAndItsTicksReachRead() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        JsonNode customer = aCustomerWhoWroteIn(org);
        String customerId = customer.get("id").asString();
        String key = key(agent.get("/console/inbox/" + customerId).body());

        ConsoleSession.Page sent = agent.postMultipart(
                "/console/inbox/" + customerId + "/reply",
                Map.of("text", "on our way", "key", key),
                null,
                null,
                null,
                null);
        ConsoleSession.Page again = agent.postMultipart(
                "/console/inbox/" + customerId + "/reply",
                Map.of("text", "on our way", "key", key),
                null,
                null,
                null,
                null);

        assertThat(sent.status()).as(sent.body()).isEqualTo(302);
        assertThat(sent.location()).endsWith("/console/inbox/" + customerId);
        assertThat(again.status()).as(again.body()).isEqualTo(302);
        JsonNode outbound = outbound(org, customerId);
        assertThat(outbound.size()).as("one message for one key").isEqualTo(1);
        JsonNode reply = outbound.get(0);
        assertThat(reply.get("messageType").asString()).isEqualTo("human");
        assertThat(reply.get("userId").asString()).isEqualTo(agent.userId());
        assertThat(reply.get("message").asString()).isEqualTo("on our way");
        String id = reply.get("id").asString();
        eventually(
                () -> api.get("/whatsapp/messages/" + id, org.key())
                        .json()
                        .get("status")
                        .asString(),
                "read"::equals,
                Duration.ofSeconds(10));
        assertThat(agent.get("/console/inbox/" + customerId + "/messages").body())
                .contains("data-message-id=\"" + id + "\" data-status=\"read\"")
                .contains("class=\"ticks read\"");
    }

    @Test
    void anAgentSendsAFileFromTheReplyBox() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        String customerId = aCustomerWhoWroteIn(org).get("id").asString();
        String key = key(agent.get("/console/inbox/" + customerId).body());
        byte[] pdf = "%PDF-1.4\n%a tiny invoice\n".getBytes(StandardCharsets.ISO_8859_1);

        ConsoleSession.Page sent = agent.postMultipart(
                "/console/inbox/" + customerId + "/reply",
                Map.of("text", "your invoice", "key", key),
                "file",
                "invoice.pdf",
                "application/pdf",
                pdf);

        assertThat(sent.status()).as(sent.body()).isEqualTo(302);
        JsonNode reply = outbound(org, customerId).get(0);
        assertThat(reply.get("kind").asString()).isEqualTo("document");
        assertThat(reply.get("file").asString()).isEqualTo("invoice.pdf");
        assertThat(reply.get("userId").asString()).isEqualTo(agent.userId());
    }

    @Test
    void aClosedWindowOffersTheApprovedTemplatesAndRefusesFreeText() {
        TestOrg org = anOrg();
        assertThat(api.post("/whatsapp/templates/sync", Map.of(), org.key()).status())
                .isEqualTo(200);
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        String customerId = aCustomer(org).get("id").asString();

        ConsoleSession.Page page = agent.get("/console/inbox/" + customerId);
        ConsoleSession.Page text = agent.postMultipart(
                "/console/inbox/" + customerId + "/reply",
                Map.of("text", "hello?", "key", key(page.body())),
                null,
                null,
                null,
                null);

        assertThat(page.body())
                .contains("id=\"template\"", "hello_world|en_US", "id=\"template-send\"", "Window closed");
        assertThat(page.body()).doesNotContain("id=\"reply-text\"");
        assertThat(text.status()).isBetween(400, 499);
        assertThat(text.body()).contains("id=\"reply-error\"", "24 hours");
        assertThat(outbound(org, customerId).size()).isZero();
        String templateKey =
                templateKey(agent.get("/console/inbox/" + customerId).body());
        ConsoleSession.Page template = agent.post(
                "/console/inbox/" + customerId + "/template",
                Map.of("template", "hello_world|en_US", "key", templateKey));
        assertThat(template.status()).as(template.body()).isEqualTo(302);
        JsonNode sent = outbound(org, customerId).get(0);
        assertThat(sent.get("kind").asString()).isEqualTo("template");
        assertThat(sent.get("userId").asString()).isEqualTo(agent.userId());
    }

    @Test
    void aTemplatesBodyParametersAreFilledInFromTheReplyBox() {
        TestOrg org = anOrg();
        String name = "console_hello_" + randomDigits(6);
        assertThat(api.post("/sandbox/templates", """
                        {"name": "%s", "language": "en_US", "category": "UTILITY",
                         "components": [{"type": "BODY", "text": "Hello {{1}}, your order {{2}} is ready"}]}""".formatted(name)).status()).isEqualTo(201);
        assertThat(api.post("/whatsapp/templates/sync", Map.of(), org.key()).status())
                .isEqualTo(200);
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        String customerId = aCustomer(org).get("id").asString();

        String page = agent.get("/console/inbox/" + customerId).body();
        ConsoleSession.Page sent = agent.post(
                "/console/inbox/" + customerId + "/template",
                Map.of("template", name + "|en_US", "key", templateKey(page), "param1", "Ada", "param2", "A-17"));

        assertThat(page).contains("Hello {{1}}, your order {{2}} is ready", "name=\"param1\"", "name=\"param2\"");
        assertThat(sent.status()).as(sent.body()).isEqualTo(302);
        String id = outbound(org, customerId).get(0).get("id").asString();
        JsonNode received = api.get("/sandbox/ledger?callbackData=" + id)
                .json()
                .get("bodies")
                .get(0);
        assertThat(received.get("template").get("components").toString()).contains("Ada", "A-17");
    }

    @Test
    void aConversationIsAssignedToAnAgentOfTheOrgAndMineShowsOnlyTheirs() {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        String mine = aCustomerWhoWroteIn(org).get("id").asString();
        String notMine = aCustomerWhoWroteIn(org).get("id").asString();
        eventually(
                () -> agent.get("/console/inbox").body(),
                body -> body.contains(mine) && body.contains(notMine),
                Duration.ofSeconds(10));
        admin.get("/console/inbox/" + mine);

        ConsoleSession.Page assigned =
                admin.post("/console/inbox/" + mine + "/assign", Map.of("assignee", agent.userId()));

        assertThat(assigned.status()).isEqualTo(302);
        String onlyMine = agent.get("/console/inbox?mine=1").body();
        assertThat(onlyMine).contains("data-customer-id=\"" + mine + "\"").doesNotContain(notMine);
        assertThat(agent.get("/console/inbox/" + mine).body())
                .as("the assignee is preselected")
                .contains("value=\"" + agent.userId() + "\" selected=\"selected\"");
    }

    @Test
    void theListIsSearchedByPhoneOrName() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        JsonNode customer = aCustomerWhoWroteIn(org);
        JsonNode other = aCustomerWhoWroteIn(org);
        String phone = customer.get("phone").asString();
        eventually(
                () -> agent.get("/console/inbox").body(),
                body -> body.contains(other.get("id").asString()),
                Duration.ofSeconds(10));

        String byPhone = agent.get("/console/inbox?q=" + phone.substring(4)).body();

        assertThat(byPhone)
                .contains("data-customer-id=\"" + customer.get("id").asString() + "\"")
                .doesNotContain("data-customer-id=\"" + other.get("id").asString() + "\"");
        assertThat(agent.get("/console/inbox?q=nobody-is-called-this").body()).contains("No conversations yet");
    }

    @Test
    void aCustomersImageIsPreviewedThroughTheConsole() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        JsonNode customer = aCustomer(org);
        byte[] png = "\u0089PNG\r\n\u001a\n a tiny picture".getBytes(StandardCharsets.ISO_8859_1);

        String mediaId = customerSendsMedia(
                org,
                customer,
                "image",
                Map.of(
                        "caption",
                        "my receipt",
                        "mime_type",
                        "image/png",
                        "data",
                        Base64.getEncoder().encodeToString(png)));

        assertThat(agent.get("/console/inbox/" + customer.get("id").asString()).body())
                .contains("<img src=\"/console/media/" + mediaId + "\"", "my receipt");
        var served = eventually(
                () -> api.send(HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + "/console/media/" + mediaId))
                        .header("Cookie", "SESSION=" + agent.sessionCookie())
                        .GET()),
                r -> r.status() == 200,
                Duration.ofSeconds(10));
        assertThat(served.text().getBytes(StandardCharsets.ISO_8859_1).length).isPositive();
        assertThat(served.header("Content-Type")).isEqualTo("image/png");
    }

    @Test
    void theEventStreamAnnouncesACustomerWritingIn() throws Exception {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        JsonNode customer = aCustomer(org);
        agent.get("/console/inbox");

        try (ConsoleSession.EventStream events = agent.events("/console/inbox/events")) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.contentType()).startsWith("text/event-stream");
            writeIn(org, customer.get("phone").asString(), "are you there?");

            assertThat(events.awaitLine("customer-" + customer.get("id").asString(), Duration.ofSeconds(10)))
                    .isNotNull();
        }
    }

    @Test
    void liveUpdatesGoOnAfterTheListeningConnectionIsLost() throws Exception {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        JsonNode customer = aCustomer(org);
        agent.get("/console/inbox");

        try (ConsoleSession.EventStream events = agent.events("/console/inbox/events")) {
            int terminated = db.sql("""
                            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                             WHERE application_name = 'rh-inbox-listener'
                            """).query(Integer.class).single();

            assertThat(terminated).isPositive();
            assertThat(events.awaitLine("event:customers", Duration.ofSeconds(10)))
                    .as("open pages re-read what they may have missed")
                    .isNotNull();
            writeIn(org, customer.get("phone").asString(), "still there?");
            assertThat(events.awaitLine("customer-" + customer.get("id").asString(), Duration.ofSeconds(10)))
                    .isNotNull();
        }
    }

    @Test
    void anotherOrgsUserSeesNoneOfItsConversationsMediaOrEvents() throws Exception {
        TestOrg orgA = anOrg();
        TestOrg orgB = anOrg();
        ConsoleSession agentA = aConsoleUser(orgA, Role.AGENT);
        ConsoleSession agentB = aConsoleUser(orgB, Role.ADMIN);
        JsonNode customer = aCustomer(orgA);
        String customerId = customer.get("id").asString();
        String mediaId = customerSendsMedia(
                orgA,
                customer,
                "image",
                Map.of(
                        "mime_type",
                        "image/png",
                        "data",
                        Base64.getEncoder()
                                .encodeToString("\u0089PNG\r\n\u001a\n".getBytes(StandardCharsets.ISO_8859_1))));
        eventually(
                () -> agentA.get("/console/inbox").body(), body -> body.contains(customerId), Duration.ofSeconds(10));

        try (ConsoleSession.EventStream eventsA = agentA.events("/console/inbox/events");
                ConsoleSession.EventStream eventsB = agentB.events("/console/inbox/events")) {
            writeIn(orgA, customer.get("phone").asString(), "for org A only");
            assertThat(eventsA.awaitLine(customerId, Duration.ofSeconds(10))).isNotNull();
            assertThat(eventsB.awaitLine(customerId, Duration.ofSeconds(1))).isNull();
        }
        assertThat(agentB.get("/console/inbox").body()).doesNotContain(customerId);
        ConsoleSession.Page conversation = agentB.get("/console/inbox/" + customerId);
        assertThat(conversation.status()).isEqualTo(404);
        assertThat(conversation.body()).contains("id=\"console-error\"").doesNotContain("for org A only");
        assertThat(agentB.get("/console/inbox/" + customerId + "/messages").status())
                .isEqualTo(404);
        assertThat(agentB.get("/console/media/" + mediaId).status()).isEqualTo(404);
        agentB.get("/console/inbox");
        assertThat(agentB.postMultipart(
                                "/console/inbox/" + customerId + "/reply",
                                Map.of("text", "hi", "key", "k1"),
                                null,
                                null,
                                null,
                                null)
                        .status())
                .isEqualTo(404);
        assertThat(agentB.post("/console/inbox/" + customerId + "/assign", Map.of("assignee", agentB.userId()))
                        .status())
                .isEqualTo(404);
        assertThat(outbound(orgA, customerId).size()).isZero();
    }

    /** The org's outbound messages to the customer, newest first (the API's history). */
    private JsonNode outbound(TestOrg org, String customerId) {
        JsonNode data = api.get("/whatsapp/messages?customerId=" + customerId, org.key())
                .json()
                .get("data");
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        data.forEach(m -> {
            if (!m.get("messageType").asString().equals("user")) {
                out.add(m);
            }
        });
        return Api.json().valueToTree(out);
    }

    private static String key(String page) {
        Matcher key = KEY.matcher(page);
        assertThat(key.find()).as("the reply form's key").isTrue();
        return key.group(1);
    }

    private static String templateKey(String page) {
        Matcher key = KEY.matcher(page.substring(page.indexOf("id=\"template-form\"")));
        assertThat(key.find()).as("the template form's key").isTrue();
        return key.group(1);
    }
}
