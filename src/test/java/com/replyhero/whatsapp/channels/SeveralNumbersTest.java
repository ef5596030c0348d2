package com.replyhero.whatsapp.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An org with two WhatsApp numbers: each sends and receives, each keeps its own customer-service windows and its own
 * pace, and a send that names no channel goes out from the default, as the seed's requests do.
 */
class SeveralNumbersTest extends GatewayTest {

    @Test
    void anOperatorAddsASecondNumberAndTheOrgListsBothWithoutTokens() {
        TestOrg org = anOrg();
        JsonNode second = secondNumber(org, 80);
        assertThat(second.get("default").asBoolean()).isFalse();
        assertThat(second.get("accessTokenHint").asString()).startsWith("****");

        JsonNode listed =
                api.get("/admin/orgs/" + org.orgId() + "/channels", admin()).json();
        assertThat(listed.get("data")).hasSize(2);
        assertThat(listed.get("data").get(0).get("id").asString()).isEqualTo(org.channelId());
        assertThat(listed.get("data").get(0).get("default").asBoolean()).isTrue();

        Api.Response own = api.get("/whatsapp/channels", org.key());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("data")).hasSize(2);
        assertThat(own.text()).doesNotContain("accessToken").doesNotContain(sandbox.accessToken());
        assertThat(api.get("/whatsapp/channels/" + second.get("id").asString(), org.key())
                        .json()
                        .get("phoneNumberId")
                        .asString())
                .isEqualTo(second.get("phoneNumberId").asString());

        TestOrg other = anOrg();
        Api.Response foreign = api.get("/whatsapp/channels/" + second.get("id").asString(), other.key());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.text()).doesNotContain(second.get("phoneNumberId").asString());
    }

    @Test
    void aNumberInUseOrABadFieldIsRefusedAndNothingIsAdded() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        Api.Response taken =
                api.post("/admin/orgs/" + org.orgId() + "/channels", channel(other.phoneNumberId(), 80), admin());
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("code").asString()).isEqualTo("phone_number_in_use");

        Api.Response bad = api.post("/admin/orgs/" + org.orgId() + "/channels", channel("12/../34", 80), admin());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asString()).isEqualTo("phoneNumberId");

        Api.Response tooFast =
                api.post("/admin/orgs/" + org.orgId() + "/channels", channel("1" + randomDigits(14), 1001), admin());
        assertThat(tooFast.status()).isEqualTo(400);
        assertThat(tooFast.json().get("field").asString()).isEqualTo("throughputPerSecond");

        assertThat(api.get("/admin/orgs/" + org.orgId() + "/channels", admin())
                        .json()
                        .get("data"))
                .hasSize(1);
    }

    @Test
    void aRefusedChannelChangeChangesNothingAndANumberNeverChanges() {
        TestOrg org = anOrg();
        String path = "/admin/orgs/" + org.orgId() + "/channels/" + org.channelId();
        Map<String, Object> undefault = new HashMap<>(channel(org.phoneNumberId(), 80));
        undefault.put("default", false);
        undefault.put("name", "renamed by a refused request");
        Api.Response refused = api.put(path, undefault, admin());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("default_channel_required");
        assertThat(api.get(path, admin()).json().path("name").isMissingNode()).isTrue();

        Api.Response moved = api.put(path, channel("1" + randomDigits(14), 80), admin());
        assertThat(moved.status()).isEqualTo(409);
        assertThat(moved.json().get("code").asString()).isEqualTo("phone_number_immutable");
        Api.Response movedDefault =
                api.put("/admin/orgs/" + org.orgId() + "/channel", channel("1" + randomDigits(14), 80), admin());
        assertThat(movedDefault.json().get("code").asString()).isEqualTo("phone_number_immutable");
        assertThat(api.get(path, admin()).json().get("phoneNumberId").asString())
                .isEqualTo(org.phoneNumberId());
    }

    @Test
    void concurrentChannelChangesLeaveExactlyOneDefaultAndNoServerError() throws Exception {
        TestOrg org = anOrg();
        String second = secondNumber(org, 80).get("id").asString();
        List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
            for (int round = 0; round < 5; round++) {
                for (String id : List.of(org.channelId(), second)) {
                    String number = id.equals(second) ? null : org.phoneNumberId();
                    answers.add(pool.submit(() -> {
                        String own = number != null
                                ? number
                                : api.get("/admin/orgs/" + org.orgId() + "/channels/" + id, admin())
                                        .json()
                                        .get("phoneNumberId")
                                        .asString();
                        Map<String, Object> body = new HashMap<>(channel(own, 80));
                        body.put("default", true);
                        return api.put("/admin/orgs/" + org.orgId() + "/channels/" + id, body, admin())
                                .status();
                    }));
                }
                Map<String, Object> added = new HashMap<>(channel("1" + randomDigits(14), 80));
                added.put("default", true);
                answers.add(pool.submit(() -> api.post("/admin/orgs/" + org.orgId() + "/channels", added, admin())
                        .status()));
            }
            for (var answer : answers) {
                assertThat(answer.get()).isIn(200, 201);
            }
        }
        long defaults = 0;
        for (JsonNode channel : api.get("/admin/orgs/" + org.orgId() + "/channels", admin())
                .json()
                .get("data")) {
            defaults += channel.get("default").asBoolean() ? 1 : 0;
        }
        assertThat(defaults).isEqualTo(1);
    }

    @Test
    void aSendNamesItsNumberByFromAsWellAsByChannelId() {
        TestOrg org = anOrg();
        JsonNode second = secondNumber(org, 80);
        String secondNumber = second.get("phoneNumberId").asString();
        JsonNode customer = aCustomer(org);
        String phone = customer.get("phone").asString();
        api.post("/sandbox/customers/" + phone + "/messages", Map.of("text", "hi B", "phoneNumberId", secondNumber));
        Map<String, Object> request =
                new HashMap<>(textRequest(org, customer.get("id").asString(), "from B"));
        request.put("from", secondNumber);
        Api.Response sent = api.post("/whatsapp/messages/send", request, org.key());
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sent.json().get("channelId").asString())
                .isEqualTo(second.get("id").asString());

        TestOrg other = anOrg();
        request.put("from", other.phoneNumberId());
        Api.Response foreign = api.post("/whatsapp/messages/send", request, org.key());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("field").asString()).isEqualTo("from");
        assertThat(sandboxNumbersSentTo(phone)).containsExactly(secondNumber);
    }

    @Test
    void anInboundMessageNeverBringsItsOwnIdOfTheMessageItAnswers() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        JsonNode othersCustomer = aCustomerWhoWroteIn(other);
        JsonNode othersMessage = api.post(
                        "/whatsapp/messages/send",
                        textRequest(other, othersCustomer.get("id").asString(), "private"),
                        other.key())
                .json();
        JsonNode customer = aCustomer(org);
        Api.Response wrote = api.post(
                "/sandbox/customers/" + customer.get("phone").asString() + "/messages",
                Map.of(
                        "text",
                        "re",
                        "phoneNumberId",
                        org.phoneNumberId(),
                        "context",
                        Map.of(
                                "id",
                                othersMessage.get("wamid").asString(),
                                "messageId",
                                othersMessage.get("id").asString())));
        assertThat(wrote.status()).as(wrote.text()).isEqualTo(200);
        JsonNode stored = eventually(
                () -> api.get(
                                "/whatsapp/messages?customerId="
                                        + customer.get("id").asString(),
                                org.key())
                        .json()
                        .get("data"),
                data -> data.size() == 1,
                Duration.ofSeconds(10));
        assertThat(stored.toString()).doesNotContain(othersMessage.get("id").asString());
    }

    @Test
    void eachNumberSendsAndReceivesAndKeepsItsOwnWindow() {
        TestOrg org = anOrg();
        JsonNode second = secondNumber(org, 80);
        String secondId = second.get("id").asString();
        String secondNumber = second.get("phoneNumberId").asString();
        JsonNode customer = aCustomer(org);
        String phone = customer.get("phone").asString();
        String customerId = customer.get("id").asString();

        // the customer writes to the second number only
        Api.Response wrote = api.post(
                "/sandbox/customers/" + phone + "/messages", Map.of("text", "to B", "phoneNumberId", secondNumber));
        assertThat(wrote.status()).isEqualTo(200);
        JsonNode inbound = eventually(
                () -> api.get("/whatsapp/messages?customerId=" + customerId, org.key())
                        .json()
                        .get("data"),
                data -> data.size() == 1,
                Duration.ofSeconds(10));
        assertThat(inbound.get(0).get("channelId").asString()).isEqualTo(secondId);

        // the default number's window is closed: refused before any upstream call, nothing stored
        Api.Response fromDefault = api.post("/whatsapp/messages/send", textRequest(org, customerId, "hi"), org.key());
        assertThat(fromDefault.status()).as(fromDefault.text()).isEqualTo(422);
        assertThat(fromDefault.json().get("code").asString()).isEqualTo("outside_customer_service_window");
        assertThat(sandboxAcceptedTo(phone)).isZero();

        Api.Response fromSecond = api.post(
                "/whatsapp/messages/send", withChannel(textRequest(org, customerId, "hi"), secondId), org.key());
        assertThat(fromSecond.status()).as(fromSecond.text()).isEqualTo(200);
        assertThat(fromSecond.json().get("channelId").asString()).isEqualTo(secondId);
        assertThat(sandboxNumbersSentTo(phone)).containsExactly(secondNumber);

        // now to the default number too: a send that names no channel goes out from it
        writeIn(org, phone, "to A");
        Api.Response fromDefaultNow =
                api.post("/whatsapp/messages/send", textRequest(org, customerId, "hi again"), org.key());
        assertThat(fromDefaultNow.status()).as(fromDefaultNow.text()).isEqualTo(200);
        assertThat(fromDefaultNow.json().get("channelId").asString()).isEqualTo(org.channelId());
        assertThat(sandboxNumbersSentTo(phone)).containsExactly(secondNumber, org.phoneNumberId());

        JsonNode history = api.get("/whatsapp/messages?customerId=" + customerId, org.key())
                .json()
                .get("data");
        List<String> channels = new ArrayList<>();
        history.forEach(m -> channels.add(m.get("channelId").asString()));
        // newest first: the reply from A, A's inbound, the reply from B, B's inbound
        assertThat(channels).containsExactly(org.channelId(), org.channelId(), secondId, secondId);
    }

    @Test
    void aChannelOfAnotherOrgOrNoneIsNotFoundAndNothingIsSent() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String phone = customer.get("phone").asString();
        for (String channelId : List.of(other.channelId(), "no-such-channel", "../" + org.channelId())) {
            Api.Response sent = api.post(
                    "/whatsapp/messages/send",
                    withChannel(textRequest(org, customer.get("id").asString(), "hi"), channelId),
                    org.key());
            assertThat(sent.status()).as(channelId).isEqualTo(404);
            assertThat(sent.json().get("field").asString()).isEqualTo("channelId");
            Api.Response template = api.post(
                    "/whatsapp/template/send", withChannel(templateRequest(org, List.of()), channelId), org.key());
            assertThat(template.status()).as(channelId).isEqualTo(404);
            assertThat(template.json().get("field").asString()).isEqualTo("channelId");
        }
        assertThat(sandboxAcceptedTo(phone)).isZero();
        assertThat(api.get("/whatsapp/messages?customerId=" + customer.get("id").asString(), org.key())
                        .json()
                        .get("data"))
                .hasSize(1); // the customer's own message only
    }

    @Test
    void aBroadcastPacedOnOneNumberDoesNotSlowTheOther() {
        // the default number sends one message a second; the second one 80
        TestOrg org = anOrgSendingPerSecond(1);
        JsonNode fast = secondNumber(org, 80);
        List<String> customerIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            customerIds.add(aCustomer(org).get("id").asString());
        }

        Api.Response paced = api.post(
                "/whatsapp/template/send",
                templateRequest(org, customerIds),
                "X-API-KEY",
                org.apiKey(),
                "Prefer",
                "respond-async");
        assertThat(paced.status()).as(paced.text()).isEqualTo(202);
        String slowBroadcast = paced.json().get("id").asString();

        // the same customers from the fast number: answered at once, every one accepted from that number
        Api.Response quick = api.post(
                "/whatsapp/template/send",
                withChannel(templateRequest(org, customerIds), fast.get("id").asString()),
                org.key());
        assertThat(quick.status()).as(quick.text()).isEqualTo(200);
        assertThat(quick.json()).hasSize(8);
        quick.json().forEach(record -> {
            assertThat(record.get("status").asString()).isIn("accepted", "sent", "delivered", "read");
            assertThat(record.get("channelId").asString())
                    .isEqualTo(fast.get("id").asString());
        });

        // meanwhile the slow number is still at its pace: at 1 a second, 8 take 7 seconds
        JsonNode progress = api.get("/whatsapp/template/broadcasts/" + slowBroadcast, org.key())
                .json();
        assertThat(progress.get("status").asString()).as(progress.toString()).isEqualTo("running");

        JsonNode done = eventually(
                () -> api.get("/whatsapp/template/broadcasts/" + slowBroadcast, org.key())
                        .json(),
                p -> p.get("status").asString().equals("completed"),
                Duration.ofSeconds(30));
        assertThat(done.toString()).contains("\"total\":8");
        for (String customerId : customerIds) {
            JsonNode phoneOf =
                    api.get("/whatsapp/customers/" + customerId, org.key()).json();
            assertThat(sandboxNumbersSentTo(phoneOf.get("phone").asString()))
                    .containsExactlyInAnyOrder(
                            org.phoneNumberId(), fast.get("phoneNumberId").asString());
        }
    }

    private JsonNode secondNumber(TestOrg org, int throughput) {
        Api.Response added = api.post(
                "/admin/orgs/" + org.orgId() + "/channels", channel("1" + randomDigits(14), throughput), admin());
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        return added.json();
    }

    private Map<String, Object> channel(String phoneNumberId, int throughput) {
        return Map.of(
                "phoneNumberId",
                phoneNumberId,
                "wabaId",
                "2" + randomDigits(14),
                "accessToken",
                sandbox.accessToken(),
                "throughputPerSecond",
                throughput,
                "name",
                "Second number");
    }

    /** The business numbers the sandbox accepted messages to this customer from, oldest first. */
    private List<String> sandboxNumbersSentTo(String phone) {
        List<String> numbers = new ArrayList<>();
        api.get("/sandbox/messages?to=" + phone)
                .json()
                .forEach(m -> numbers.add(m.get("phoneNumberId").asString()));
        return numbers;
    }

    private static Map<String, Object> withChannel(Map<String, Object> request, String channelId) {
        Map<String, Object> named = new HashMap<>(request);
        named.put("channelId", channelId);
        return named;
    }

    private static Map<String, Object> templateRequest(TestOrg org, List<String> customerIds) {
        Map<String, Object> request = helloWorldSend(org);
        if (!customerIds.isEmpty()) {
            request.put("customerIds", customerIds);
        }
        return request;
    }
}
