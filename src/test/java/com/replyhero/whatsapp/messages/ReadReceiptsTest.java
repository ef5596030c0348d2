package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Read receipts and the typing indicator: {@code POST /whatsapp/messages/{id}/read} reaches the sandbox as Meta's
 * documented body ("Mark messages as read", "Typing indicators"), answers Meta's {@code {"success": true}} and shows
 * on the message in history; only the org's own customers' messages can be marked; and an org with
 * {@code autoMarkRead} has every inbound message marked as it is stored.
 */
class ReadReceiptsTest extends GatewayTest {

    @Autowired
    private SandboxAccount sandboxAccount;

    @Test
    void aCustomersMessageIsMarkedReadByOurIdAndMetaGetsItsWamid() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String wamid = writeIn(org, customer.get("phone").asString(), "is my order ready?")
                .json()
                .get("wamid")
                .asString();
        JsonNode inbound = latestOf(org, customer);
        assertThat(inbound.has("markedReadAt")).isFalse();

        Api.Response read = api.post("/whatsapp/messages/" + inbound.get("id").asString() + "/read", "", org.key());

        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(Api.json().readTree("{\"success\": true}"));
        assertThat(readReceiptsOf(wamid))
                .containsExactly(Api.json()
                        .readTree("{\"messaging_product\": \"whatsapp\", \"status\": \"read\", \"message_id\": \""
                                + wamid + "\"}"));
        assertThat(latestOf(org, customer).get("markedReadAt").asString()).isNotBlank();
        assertThat(api.get("/whatsapp/messages/" + inbound.get("id").asString(), org.key())
                        .json()
                        .get("markedReadAt")
                        .asString())
                .isNotBlank();
    }

    @Test
    void withTypingTheIndicatorGoesAlongAndTheMessageMayBeNamedByItsWamid() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String wamid = writeIn(org, customer.get("phone").asString(), "hello?")
                .json()
                .get("wamid")
                .asString();
        // a wamid is base64: written in base64url, a '/' in it does not split the path
        String inPath = wamid.replace('/', '_');

        Api.Response read = api.post("/whatsapp/messages/" + inPath + "/read", Map.of("typing", true), org.key());

        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().get("success").asBoolean()).isTrue();
        assertThat(readReceiptsOf(wamid))
                .containsExactly(Api.json()
                        .readTree("{\"messaging_product\": \"whatsapp\", \"status\": \"read\", \"message_id\": \""
                                + wamid + "\", \"typing_indicator\": {\"type\": \"text\"}}"));
    }

    @Test
    void onlyTheOrgsOwnCustomersMessagesCanBeMarkedRead() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        JsonNode inbound = latestOf(org, customer);
        String theirWamid = inbound.get("wamid").asString();
        Api.Response ours = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "on its way"), org.key());
        assertThat(ours.status()).as(ours.text()).isEqualTo(200);

        Api.Response outbound = api.post(
                "/whatsapp/messages/" + ours.json().get("id").asString() + "/read", Map.of("typing", true), org.key());
        Api.Response otherOrgsById =
                api.post("/whatsapp/messages/" + inbound.get("id").asString() + "/read", "", other.key());
        Api.Response otherOrgsByWamid = api.post(
                "/whatsapp/messages/" + theirWamid.replace('/', '_') + "/read", Map.of("typing", true), other.key());
        Api.Response unknown = api.post("/whatsapp/messages/no-such-message/read", "", org.key());

        assertThat(outbound.status()).as(outbound.text()).isEqualTo(400);
        assertThat(outbound.json().get("code").asString()).isEqualTo("not_inbound");
        assertThat(outbound.json().get("field").asString()).isEqualTo("id");
        for (Api.Response notFound : List.of(otherOrgsById, otherOrgsByWamid, unknown)) {
            assertThat(notFound.status()).as(notFound.text()).isEqualTo(404);
            assertThat(notFound.json().get("code").asString()).isEqualTo("message_not_found");
            assertThat(notFound.text()).doesNotContain(customer.get("phone").asString());
        }
        assertThat(otherOrgsByWamid.json().get("message"))
                .as("the same answer as for a message that does not exist")
                .isEqualTo(unknown.json().get("message"));
        assertThat(readReceiptsOf(theirWamid)).isEmpty();
        assertThat(api.get("/whatsapp/messages/" + inbound.get("id").asString(), org.key())
                        .json()
                        .has("markedReadAt"))
                .isFalse();
    }

    @Test
    void aReadOnlyKeyCannotMarkMessagesRead() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        JsonNode inbound = latestOf(org, customer);
        String readOnly = api.post("/whatsapp/api-keys", Map.of("name", "reader", "scopes", List.of("read")), org.key())
                .json()
                .get("key")
                .asString();

        Api.Response refused =
                api.post("/whatsapp/messages/" + inbound.get("id").asString() + "/read", "", "X-API-KEY", readOnly);

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(readReceiptsOf(inbound.get("wamid").asString())).isEmpty();
    }

    @Test
    void anOrgWithAutoMarkReadHasEveryInboundMessageMarkedReadAsItIsStored() {
        TestOrg auto = anOrg();
        TestOrg manual = anOrg();
        Api.Response set = api.patch("/admin/orgs/" + auto.orgId(), Map.of("autoMarkRead", true), admin());
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().get("autoMarkRead").asBoolean()).isTrue();
        assertThat(api.get("/admin/orgs/" + manual.orgId(), admin())
                        .json()
                        .get("autoMarkRead")
                        .asBoolean())
                .as("off by default")
                .isFalse();
        JsonNode customer = aCustomer(auto);
        JsonNode theirs = aCustomer(manual);

        Api.Response manualWrote = writeIn(manual, theirs.get("phone").asString(), "no hurry");
        Api.Response autoWrote = writeIn(auto, customer.get("phone").asString(), "anyone there?");

        assertThat(autoWrote.json().get("webhookStatus").asInt()).isEqualTo(200);
        String wamid = autoWrote.json().get("wamid").asString();
        List<JsonNode> receipts = eventually(() -> readReceiptsOf(wamid), r -> !r.isEmpty(), Duration.ofSeconds(10));
        assertThat(receipts)
                .containsExactly(Api.json()
                        .readTree("{\"messaging_product\": \"whatsapp\", \"status\": \"read\", \"message_id\": \""
                                + wamid + "\"}"));
        eventually(() -> latestOf(auto, customer).has("markedReadAt"), marked -> marked, Duration.ofSeconds(10));
        assertThat(readReceiptsOf(manualWrote.json().get("wamid").asString()))
                .as("an org without autoMarkRead")
                .isEmpty();
        assertThat(latestOf(manual, theirs).has("markedReadAt")).isFalse();
    }

    @Test
    void theOrgSettingNeedsAValue() {
        TestOrg org = anOrg();

        Api.Response empty = api.patch("/admin/orgs/" + org.orgId(), Map.of(), admin());
        Api.Response unknownOrg = api.patch("/admin/orgs/no-such-org", Map.of("autoMarkRead", true), admin());

        assertThat(empty.status()).as(empty.text()).isEqualTo(400);
        assertThat(empty.json().get("field").asString()).isEqualTo("autoMarkRead");
        assertThat(unknownOrg.status()).isEqualTo(404);
    }

    @Test
    void theSandboxRefusesAReceiptForAMessageItNeverSentInAsMetaDoes() {
        TestOrg org = anOrg();

        Api.Response refused = api.post(
                "/sandbox/graph/v21.0/" + org.phoneNumberId() + "/messages",
                "{\"messaging_product\": \"whatsapp\", \"status\": \"read\", \"message_id\": \"wamid.never\"}",
                "Authorization",
                "Bearer " + sandboxAccount.accessToken());

        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().get("error").get("code").asInt()).isEqualTo(100);
        assertThat(readReceiptsOf("wamid.never")).isEmpty();
    }

    /** The read receipts the sandbox accepted for this wamid, as it received them. */
    private List<JsonNode> readReceiptsOf(String wamid) {
        JsonNode receipts = api.get("/sandbox/ledger?wamid=" + URLEncoder.encode(wamid, StandardCharsets.UTF_8))
                .json()
                .get("readReceipts");
        return receipts.valueStream().toList();
    }

    /** The customer's latest message in the org's history. */
    private JsonNode latestOf(TestOrg org, JsonNode customer) {
        return api.get(
                        "/whatsapp/messages?limit=1&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .get("data")
                .get(0);
    }
}
