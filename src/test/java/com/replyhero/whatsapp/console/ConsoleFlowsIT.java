package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.support.Api;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a support team does in the console, in a real browser against the packaged jar with the built-in sandbox:
 * a customer writes and the agent sees it without a reload, answers, and watches the ticks reach read; once the
 * customer-service window has closed (a short window: {@code rh.customers.window}) the reply box offers templates;
 * an admin makes an API key and sends with it; a failing webhook's dead event is replayed; an agent of another org
 * sees nothing of this one, by link or by direct URL. Screenshots of the main pages go to target/console-screenshots.
 */
class ConsoleFlowsIT {

    private static final String PASSWORD = "a long enough passphrase";
    private static final String WINDOW = "20s";

    @RegisterExtension
    static final BrowserGateway running = new BrowserGateway(
            "--rh.customers.window=" + WINDOW,
            "--rh.events.retry-for=3s",
            "--rh.events.backoff-base=200ms",
            "--rh.sandbox.status-delay=200ms");

    private static RunningGateway gateway;
    private static Api api;

    @BeforeAll
    static void connect() {
        gateway = running.get();
        api = gateway == null ? null : gateway.api();
    }

    @Test
    void aCustomerWritesTheAgentSeesItLiveAndTheReplysTicksReachRead() throws Exception {
        try (Browser browser = signedIn(aUser(gateway.orgId(), "agent"))) {
            browser.open("/console/inbox/" + gateway.customerId()).waitFor("#messages");

            customerWrites(gateway.customerPhone(), "Where is my order 1234?");

            browser.waitForAny("#messages li", "Where is my order 1234?"); // no reload: server-sent events
            browser.fill("#reply-text", "It ships today, thank you for waiting!")
                    .click("#reply-send");
            browser.waitForAny("#messages li[data-status='read']", "It ships today");
            browser.screenshot("conversation");
            assertThat(unlabelledFields(browser))
                    .as("form fields without a label")
                    .isEmpty();

            browser.resize(375, 812)
                    .open("/console/inbox/" + gateway.customerId())
                    .waitFor("#reply-text");
            assertThat((Boolean) browser.script(
                            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;"))
                    .as("the conversation fits a phone's width")
                    .isTrue();
            browser.screenshot("conversation-phone");
            browser.resize(1280, 900);
            browser.open("/console/inbox").waitFor("#conversations a[data-customer-id='" + gateway.customerId() + "']");
            browser.screenshot("inbox-conversations");
        }
        Api.Response history = api.get(
                "/whatsapp/messages?customerId=" + gateway.customerId() + "&limit=5", "X-API-KEY", gateway.apiKey());
        assertThat(history.text()).contains("It ships today", "\"messageType\":\"human\"");
    }

    @Test
    void whenTheWindowHasClosedTheReplyBoxOffersTheApprovedTemplates() throws Exception {
        String phone = "6019" + (System.nanoTime() % 10_000_000);
        customerWrites(phone, "Hello there");
        String customerId = customerIdOf(phone);
        Api.Response sync = api.post("/whatsapp/templates/sync", Map.of(), "X-API-KEY", gateway.apiKey());
        assertThat(sync.status()).as(sync.text()).isLessThan(300);

        try (Browser browser = signedIn(aUser(gateway.orgId(), "agent"))) {
            browser.open("/console/inbox/" + customerId).waitFor("#reply-text");

            waitUntil(browser, "#template", Duration.ofSeconds(60)); // the window (rh.customers.window) has closed

            browser.screenshot("template-reply");
            browser.select(
                    "#template",
                    browser.all("#template option").stream()
                            .map(o -> o.getAttribute("value"))
                            .filter(v -> v != null && !v.isBlank())
                            .findFirst()
                            .orElseThrow());
            browser.click("#template-send");
            browser.waitForAny("#messages li[data-status='read']", "hello_world");
        }
    }

    @Test
    void anAgentOfAnotherOrgSeesNothingOfThisOne() throws Exception {
        Api.Response org = api.post("/admin/orgs", Map.of("name", "Other org"), admin());
        assertThat(org.status()).isEqualTo(201);
        String otherOrg = org.json().get("id").asString();

        try (Browser browser = signedIn(aUser(otherOrg, "agent"))) {
            browser.open("/console/inbox").waitFor("h1", "Inbox");
            assertThat(browser.all("#conversations a[data-customer-id='" + gateway.customerId() + "']"))
                    .isEmpty();
            assertThat(browser.source()).doesNotContain(gateway.customerPhone(), "Demo Customer");

            browser.open("/console/inbox/" + gateway.customerId());
            browser.waitFor("#console-error");
            assertThat(browser.source()).doesNotContain(gateway.customerPhone(), "Demo Customer");
            browser.screenshot("other-org-direct-url");
            browser.open("/console/admin/keys").waitFor("#console-error");
        }
    }

    @Test
    void anAdminCreatesAKeyInTheConsoleAndTheBackendSendsWithIt() throws Exception {
        try (Browser browser = signedIn(aUser(gateway.orgId(), "admin"))) {
            browser.open("/console/admin/keys")
                    .fill("#key-name", "made in the console"); // send and read are ticked already
            assertThat(browser.waitFor("#scope-send").isSelected()).isTrue();
            browser.click("#create-key");
            String key = browser.waitFor("#new-key-secret").getText().strip();
            browser.screenshot("admin-new-key");
            customerWrites(gateway.customerPhone(), "Can you send me the invoice?");

            Api.Response sent = api.post(
                    "/whatsapp/messages/send",
                    Map.of(
                            "message", Map.of("type", "text", "text", Map.of("body", "Sent with the console's key")),
                            "sessionId", "console-key",
                            "customerId", gateway.customerId(),
                            "userId", gateway.userId(),
                            "orgId", gateway.orgId()),
                    "X-API-KEY",
                    key);

            assertThat(sent.status()).as(sent.text()).isIn(200, 202);
            browser.open("/console/admin/keys").waitFor("body", "made in the console");
            assertThat(browser.source()).doesNotContain(key);
            for (String page : java.util.List.of(
                    "/console/admin/keys",
                    "/console/admin/webhook",
                    "/console/admin/customers",
                    "/console/admin/broadcasts",
                    "/console/admin/templates",
                    "/console/admin/users",
                    "/console/account")) {
                browser.open(page).waitFor("h1");
                assertThat(unlabelledFields(browser))
                        .as("form fields without a label on " + page)
                        .isEmpty();
            }
            browser.open("/console/admin/users").waitFor("h1");
            browser.screenshot("admin-users");
        }
    }

    @Test
    void aFailingWebhooksDeadEventIsReplayedFromTheDeadLetters() throws Exception {
        try (OrgEndpoint endpoint = OrgEndpoint.start().otherwise(503);
                Browser browser = signedIn(aUser(gateway.orgId(), "admin"))) {
            browser.open("/console/admin/webhook")
                    .fill("#webhook-url-input", endpoint.url())
                    .click("#save-webhook");
            browser.waitFor("#new-webhook-secret");
            customerWrites(gateway.customerPhone(), "Is anyone listening?");
            String eventId = endpoint.next(Duration.ofSeconds(10)).header("webhook-id");

            browser.open("/console/admin/webhook");
            waitUntil(browser, "#replay-" + eventId, Duration.ofSeconds(20)); // dead after rh.events.retry-for
            browser.screenshot("admin-webhook-dead-letters");
            endpoint.otherwise(200);
            browser.click("#replay-" + eventId);

            browser.waitFor("#replayed", eventId);
            await("the replayed event delivered")
                    .atMost(Duration.ofSeconds(15))
                    .until(
                            () -> api.get("/whatsapp/webhook/events/" + eventId, "X-API-KEY", gateway.apiKey())
                                    .json()
                                    .path("status")
                                    .asString(""),
                            "delivered"::equals);
        }
    }

    /** The visible form fields of the page that have neither a label nor an aria-label. */
    @SuppressWarnings("unchecked")
    private static java.util.List<String> unlabelledFields(Browser browser) {
        return (java.util.List<String>) browser.script("""
                return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                    .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
                    .map(e => e.outerHTML);""");
    }

    /** Reloads the page until an element matching {@code css} is on it. */
    private static void waitUntil(Browser browser, String css, Duration timeout) {
        await(css + " on " + browser.url())
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !browser.open(browser.url()).all(css).isEmpty());
    }

    /** A new user of the org, invited through the operator's API: their one-time link. */
    private static String aUser(String orgId, String role) {
        String email = role + System.nanoTime() + "@example.com";
        Api.Response user = api.post(
                "/admin/orgs/" + orgId + "/users",
                Map.of("name", "Test " + role, "email", email, "role", role),
                admin());
        assertThat(user.status()).as(user.text()).isEqualTo(201);
        return user.json().get("inviteUrl").asString(); // a path: Browser.open puts the gateway's address before it
    }

    /** A browser signed in through the user's one-time link. */
    private static Browser signedIn(String inviteUrl) {
        Browser browser = new Browser(gateway.baseUrl());
        browser.open(inviteUrl)
                .fill("#password", PASSWORD)
                .fill("#confirm", PASSWORD)
                .click("#accept");
        browser.waitFor("h1", "Inbox");
        return browser;
    }

    private static void customerWrites(String phone, String text) {
        Api.Response wrote = api.post("/sandbox/customers/" + phone + "/messages", Map.of("text", text));
        assertThat(wrote.status()).as(wrote.text()).isEqualTo(200);
    }

    private static String customerIdOf(String phone) {
        Api.Response found = api.get("/whatsapp/customers?phone=" + phone, "X-API-KEY", gateway.apiKey());
        return found.json().get("data").get(0).get("id").asString();
    }

    private static String[] admin() {
        return new String[] {"Authorization", "Bearer " + gateway.adminToken()};
    }
}
