package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The admin pages over HTTP: the same services, scopes and tenant checks as the JSON API. */
class AdminPagesTest extends GatewayTest {

    @Test
    void anAdminCreatesAKeyWhoseSecretIsShownOnceAndWorksWithItsScopesUntilRevoked() {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        admin.get("/console/admin/keys");

        ConsoleSession.Page created = admin.post("/console/admin/keys", Map.of("name", "reader", "scopes", "read"));

        assertThat(created.status()).isEqualTo(200);
        String secret = between(created.body(), "id=\"new-key-secret\" class=\"secret\">", "<");
        assertThat(secret).startsWith("rhk_");
        ConsoleSession.Page list = admin.get("/console/admin/keys");
        assertThat(list.body()).contains("reader").doesNotContain(secret);
        assertThat(api.get("/whatsapp/customers", "X-API-KEY", secret).status()).isEqualTo(200);
        Api.Response send =
                api.post("/whatsapp/customers", Map.of("phone", "60" + randomDigits(9)), "X-API-KEY", secret);
        assertThat(send.status()).isEqualTo(403);
        assertThat(send.text()).contains("insufficient_scope");

        String id = keyId(org, "reader");
        ConsoleSession.Page revoked = admin.post("/console/admin/keys/" + id + "/revoke", Map.of());

        assertThat(revoked.location()).contains("/console/admin/keys?revoked");
        assertThat(api.get("/whatsapp/customers", "X-API-KEY", secret).status()).isEqualTo(401);
    }

    @Test
    void aKeyWithoutScopesIsRefused() {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        admin.get("/console/admin/keys");

        ConsoleSession.Page page = admin.post("/console/admin/keys", Map.of("name", "nothing"));

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("at least one scope");
    }

    @Test
    void anAgentGetsForbiddenOnEveryAdminPage() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        agent.get("/console/inbox");

        for (String page : List.of(
                "/console/admin/keys",
                "/console/admin/webhook",
                "/console/admin/customers",
                "/console/admin/broadcasts",
                "/console/admin/templates",
                "/console/admin/users")) {
            assertThat(agent.get(page).status()).as(page).isEqualTo(403);
        }
        assertThat(agent.post("/console/admin/keys", Map.of("name", "x", "scopes", "send"))
                        .status())
                .isEqualTo(403);
        assertThat(agent.post(
                                "/console/admin/users",
                                Map.of("name", "Eve", "email", "eve" + randomDigits(8) + "@example.com"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void everyAdminPageOpensForAnAdmin() {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);

        for (String page : List.of(
                "/console/admin/keys",
                "/console/admin/webhook",
                "/console/admin/customers",
                "/console/admin/broadcasts",
                "/console/admin/templates",
                "/console/admin/users")) {
            ConsoleSession.Page answer = admin.get(page);
            assertThat(answer.status()).as(page + ": " + answer.body()).isEqualTo(200);
            assertThat(answer.body()).as(page).contains("<h1>");
            // the Content-Security-Policy allows no inline script or style
            assertThat(answer.body()).as(page).doesNotContain(" style=", "<script>", " onclick=");
        }
    }

    @Test
    void aFailingWebhooksDeadEventIsReplayedFromTheDeadLetters() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        try (OrgEndpoint endpoint = OrgEndpoint.start().otherwise(503)) {
            admin.get("/console/admin/webhook");
            ConsoleSession.Page set = admin.post("/console/admin/webhook", Map.of("url", endpoint.url()));
            assertThat(set.status()).as(set.body()).isEqualTo(200);
            assertThat(between(set.body(), "id=\"new-webhook-secret\" class=\"secret\">", "<"))
                    .startsWith("whsec_");
            writeIn(org, customer.get("phone").asString(), "anyone there?");
            String eventId = endpoint.next(Duration.ofSeconds(5)).header("webhook-id");
            // a day passes: the retry period is over
            db.sql("UPDATE org_events SET retry_until = now() - interval '1 second' WHERE org_id = :orgId AND id = :id")
                    .param("orgId", org.orgId())
                    .param("id", eventId)
                    .update();
            ConsoleSession.Page deadLetters = eventually(
                    () -> admin.get("/console/admin/webhook"),
                    page -> page.body().contains("id=\"replay-" + eventId + "\""),
                    Duration.ofSeconds(10));
            assertThat(deadLetters.body()).contains("HTTP 503");
            endpoint.otherwise(200);

            ConsoleSession.Page replayed = admin.post("/console/admin/webhook/events/" + eventId + "/replay", Map.of());

            assertThat(replayed.location()).contains("/console/admin/webhook?replayed=" + eventId);
            eventually(
                    () -> api.get("/whatsapp/webhook/events/" + eventId, org.key())
                            .json(),
                    e -> e.get("status").asString().equals("delivered"),
                    Duration.ofSeconds(10));
            assertThat(endpoint.all().getLast().header("webhook-id")).isEqualTo(eventId);
            assertThat(admin.get("/console/admin/webhook/events/" + eventId).body())
                    .contains("delivered", "503", "200");
        }
    }

    @Test
    void aNewWebhookSecretIsShownOnceAndSignsFromThenOn() {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            admin.get("/console/admin/webhook");
            String first = between(
                    admin.post("/console/admin/webhook", Map.of("url", endpoint.url()))
                            .body(),
                    "id=\"new-webhook-secret\" class=\"secret\">",
                    "<");

            String second = between(
                    admin.post("/console/admin/webhook/rotate", Map.of()).body(),
                    "id=\"new-webhook-secret\" class=\"secret\">",
                    "<");
            ConsoleSession.Page changed = admin.post("/console/admin/webhook", Map.of("url", endpoint.url() + "/v2"));

            assertThat(second).startsWith("whsec_").isNotEqualTo(first);
            assertThat(changed.location()).contains("/console/admin/webhook?saved");
            JsonNode webhook = api.get("/whatsapp/webhook", org.key()).json();
            assertThat(webhook.get("url").asString()).isEqualTo(endpoint.url() + "/v2");
            assertThat(webhook.get("secretHint").asString()).endsWith(second.substring(second.length() - 4));
            assertThat(admin.get("/console/admin/webhook").body()).doesNotContain(first, second);
        }
    }

    @Test
    void anAdminOfAnotherOrgFindsNothingByTheIdsOfThisOne() {
        TestOrg orgA = anOrg();
        JsonNode customer = aCustomer(orgA);
        String keyA = keyId(orgA, "test");
        String broadcastA = broadcast(orgA);
        String eventA;
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            api.put("/whatsapp/webhook", Map.of("url", endpoint.url()), orgA.key());
            writeIn(orgA, customer.get("phone").asString(), "hello");
            eventA = endpoint.next(Duration.ofSeconds(5)).header("webhook-id");
        }
        ConsoleSession adminA = aConsoleUser(orgA, Role.ADMIN);
        ConsoleSession agentA = aConsoleUser(orgA, Role.AGENT);
        TestOrg orgB = anOrg();
        ConsoleSession adminB = aConsoleUser(orgB, Role.ADMIN);
        adminB.get("/console/admin/keys");
        String customerA = customer.get("id").asString();

        for (String page : List.of(
                "/console/admin/customers/" + customerA,
                "/console/admin/webhook/events/" + eventA,
                "/console/admin/broadcasts/" + broadcastA,
                "/console/admin/broadcasts/" + broadcastA + "/progress")) {
            assertThat(adminB.get(page).status()).as(page).isEqualTo(404);
        }
        for (String action : List.of(
                "/console/admin/keys/" + keyA + "/revoke",
                "/console/admin/customers/" + customerA + "/opt-out?optedOut=true",
                "/console/admin/customers/" + customerA + "/tags?tags=stolen",
                "/console/admin/webhook/events/" + eventA + "/replay",
                "/console/admin/broadcasts/" + broadcastA + "/pause",
                "/console/admin/broadcasts/" + broadcastA + "/resume",
                "/console/admin/broadcasts/" + broadcastA + "/cancel",
                "/console/admin/users/" + agentA.userId() + "/reinvite",
                "/console/admin/users/" + agentA.userId() + "/disable",
                "/console/admin/users/" + adminA.userId() + "/enable")) {
            assertThat(adminB.post(action, Map.of()).status()).as(action).isEqualTo(404);
        }

        assertThat(api.get("/whatsapp/customers", orgA.key()).status()).isEqualTo(200);
        JsonNode customerNow =
                api.get("/whatsapp/customers/" + customerA, orgA.key()).json();
        assertThat(customerNow.get("optedOut").asBoolean()).isFalse();
        assertThat(customerNow.get("tags").toString()).doesNotContain("stolen");
        assertThat(agentA.get("/console/inbox").status()).isEqualTo(200);
        String everyPageOfB = String.join(
                "",
                adminB.get("/console/admin/keys").body(),
                adminB.get("/console/admin/webhook").body(),
                adminB.get("/console/admin/customers").body(),
                adminB.get("/console/admin/broadcasts").body(),
                adminB.get("/console/admin/users").body());
        assertThat(everyPageOfB).doesNotContain(keyA, customerA, eventA, broadcastA, agentA.userId());
    }

    @Test
    void anAdminOptsACustomerOutAndSetsTagsThroughTheCustomersService() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String id = customer.get("id").asString();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        admin.get("/console/admin/customers/" + id);

        admin.post("/console/admin/customers/" + id + "/opt-out", Map.of("optedOut", "true"));
        admin.post("/console/admin/customers/" + id + "/tags", Map.of("tags", "vip, kl"));

        JsonNode now = api.get("/whatsapp/customers/" + id, org.key()).json();
        assertThat(now.get("optedOut").asBoolean()).isTrue();
        assertThat(now.get("tags").toString()).contains("vip", "kl");
        assertThat(admin.get("/console/admin/customers?tag=vip").body()).contains(id);
        assertThat(admin.get("/console/admin/customers?tag=nobody").body()).doesNotContain(id);
        String phonePrefix = customer.get("phone").asString().substring(0, 6);
        assertThat(admin.get("/console/admin/customers?phone=" + phonePrefix).body())
                .contains(id);
        assertThat(admin.post("/console/admin/customers/" + id + "/tags", Map.of("tags", "not a tag!"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void anAdminPausesAndCancelsABroadcastAndSeesItsProgress() {
        TestOrg org = anOrgSendingPerSecond(1);
        for (int i = 0; i < 5; i++) {
            aCustomer(org);
        }
        String id = broadcast(org);
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        assertThat(admin.get("/console/admin/broadcasts").body()).contains(id);
        assertThat(admin.get("/console/admin/templates").body()).contains("hello_world", "APPROVED");
        assertThat(admin.get("/console/admin/broadcasts/" + id).body())
                .contains(
                        "sse-connect=\"/console/inbox/events\"",
                        "hx-trigger=\"sse:conversation, sse:customers, htmx:sseOpen from:#main, every 15s\"");

        admin.post("/console/admin/broadcasts/" + id + "/pause", Map.of());
        String paused = api.get("/whatsapp/template/broadcasts/" + id, org.key())
                .json()
                .get("status")
                .asString();
        admin.post("/console/admin/broadcasts/" + id + "/cancel", Map.of());

        assertThat(paused).isEqualTo("paused");
        assertThat(api.get("/whatsapp/template/broadcasts/" + id, org.key())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("cancelled");
        assertThat(admin.get("/console/admin/broadcasts/" + id + "/progress").body())
                .contains("cancelled")
                .doesNotContain("hx-trigger");
    }

    @Test
    void anInvitationFromTheUsersPageGivesALinkThatWorksOnce() {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        admin.get("/console/admin/users");
        String email = "new" + randomDigits(8) + "@example.com";

        ConsoleSession.Page invited =
                admin.post("/console/admin/users", Map.of("name", "Nia", "email", email, "role", "agent"));

        assertThat(invited.status()).as(invited.body()).isEqualTo(200);
        String link = between(invited.body(), "id=\"invite-link\" class=\"secret\">", "<");
        assertThat(link).startsWith(api.baseUrl() + "/console/invite?token=");
        String path = link.substring(api.baseUrl().length());
        ConsoleSession nia = ConsoleSession.accepting(api.baseUrl(), path, CONSOLE_PASSWORD);
        assertThat(nia.get("/console/inbox").body()).contains("Nia");
        assertThat(new ConsoleSession(api.baseUrl()).get(path).body()).contains("This link does not work");
        assertThat(admin.get("/console/admin/users").body()).contains(email);
        assertThat(admin.post("/console/admin/users", Map.of("name", "Nia again", "email", email))
                        .status())
                .isEqualTo(409);
    }

    @Test
    void anAdminDisablesAnotherUserButNotThemself() {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        admin.get("/console/admin/users");

        ConsoleSession.Page self = admin.post("/console/admin/users/" + admin.userId() + "/disable", Map.of());
        ConsoleSession.Page other = admin.post("/console/admin/users/" + agent.userId() + "/disable", Map.of());

        assertThat(self.status()).isEqualTo(400);
        assertThat(self.body()).contains("cannot disable yourself");
        assertThat(other.location()).contains("/console/admin/users");
        assertThat(agent.get("/console/inbox").location()).contains("/console/login");
        assertThat(admin.get("/console/admin/users").status()).isEqualTo(200);
        admin.post("/console/admin/users/" + agent.userId() + "/enable", Map.of());
        ConsoleSession.Page relinked = admin.post("/console/admin/users/" + agent.userId() + "/reinvite", Map.of());
        String path = between(relinked.body(), "id=\"invite-link\" class=\"secret\">", "<")
                .substring(api.baseUrl().length());
        assertThat(ConsoleSession.accepting(api.baseUrl(), path, CONSOLE_PASSWORD)
                        .get("/console/inbox")
                        .status())
                .isEqualTo(200);
    }

    private String keyId(TestOrg org, String name) {
        for (JsonNode key : api.get("/whatsapp/api-keys", org.key()).json().get("data")) {
            if (key.get("name").asString().equals(name)) {
                return key.get("id").asString();
            }
        }
        throw new AssertionError("no key named " + name);
    }

    private String broadcast(TestOrg org) {
        Api.Response sent = api.post(
                "/whatsapp/template/send", helloWorldSend(org), "X-API-KEY", org.apiKey(), "Prefer", "respond-async");
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        return sent.json().get("id").asString();
    }

    private static String between(String body, String before, String after) {
        Matcher found = Pattern.compile(Pattern.quote(before) + "(.*?)" + Pattern.quote(after), Pattern.DOTALL)
                .matcher(body);
        assertThat(found.find()).as("%s in %s", before, body).isTrue();
        return found.group(1).strip();
    }
}
