package com.replyhero.whatsapp.messages.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.cloudapi.MetaSignature;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.messages.store.DeliveryStates;
import com.replyhero.whatsapp.metawebhooks.MetaApp;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class DeliveryTrackingTest extends GatewayTest {

    @Autowired
    private MetaApp metaApp;

    @Autowired
    private OutboundMessages outbound;

    @Autowired
    private DeliveryStates states;

    /** Meta's status webhook for the org's number, signed as Meta signs it. */
    private Api.Response metaStatus(TestOrg org, Map<String, Object> status) {
        Map<String, Object> body = Map.of(
                "object",
                "whatsapp_business_account",
                "entry",
                List.of(Map.of(
                        "id",
                        "200000000000001",
                        "changes",
                        List.of(Map.of(
                                "field",
                                "messages",
                                "value",
                                Map.of(
                                        "messaging_product",
                                        "whatsapp",
                                        "metadata",
                                        Map.of(
                                                "display_phone_number",
                                                "15550001111",
                                                "phone_number_id",
                                                org.phoneNumberId()),
                                        "statuses",
                                        List.of(status)))))));
        String json = Api.json().writeValueAsString(body);
        return api.post(
                "/webhooks/meta",
                json,
                MetaSignature.HEADER,
                MetaSignature.sign(metaApp.appSecret(), json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aStatusThatArrivesBeforeTheSendRecordsItsWamidIsAppliedWhenItDoes() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String wamid = "wamid.race" + Ids.next();
        Api.Response early = metaStatus(
                org,
                Map.of(
                        "id",
                        wamid,
                        "status",
                        "delivered",
                        "timestamp",
                        Long.toString(Instant.now().getEpochSecond()),
                        "recipient_id",
                        customer.get("phone").asString()));
        assertThat(early.status()).isEqualTo(200);
        assertThat(db.sql("SELECT count(*) FROM pending_statuses WHERE org_id = :orgId AND wamid = :wamid")
                        .param("orgId", org.orgId())
                        .param("wamid", wamid)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        String id = Ids.next();
        outbound.store(
                new OutboundMessages.NewOutbound(
                        org.orgId(),
                        id,
                        org.channelId(),
                        customer.get("id").asString(),
                        org.userId(),
                        "S",
                        "human",
                        "text",
                        Api.json().readTree("{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}"),
                        null,
                        null),
                Duration.ofMinutes(1));

        Message accepted = states.markAccepted(
                org.orgId(), id, wamid, Api.json().readTree("{\"messages\":[{\"id\":\"" + wamid + "\"}]}"));

        assertThat(accepted.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(api.get("/whatsapp/messages/" + id, org.key())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("delivered");
        assertThat(db.sql("SELECT count(*) FROM pending_statuses WHERE org_id = :orgId AND wamid = :wamid")
                        .param("orgId", org.orgId())
                        .param("wamid", wamid)
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void aFailedStatusKeepsMetasErrorCodeAndText() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Api.Response sent = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hello"), org.key());
        String id = sent.json().get("id").asString();
        String wamid =
                sent.json().get("response").get("messages").get(0).get("id").asString();
        eventually(
                () -> api.get("/whatsapp/messages/" + id, org.key()).json(),
                m -> m.get("status").asString().equals("read"),
                Duration.ofSeconds(10));

        metaStatus(
                org,
                Map.of(
                        "id",
                        wamid,
                        "status",
                        "failed",
                        "timestamp",
                        Long.toString(Instant.now().getEpochSecond()),
                        "recipient_id",
                        customer.get("phone").asString(),
                        "errors",
                        List.of(Map.of(
                                "code",
                                131026,
                                "title",
                                "Message undeliverable",
                                "message",
                                "Message undeliverable",
                                "error_data",
                                Map.of("details", "Message could not be delivered to the recipient.")))));

        JsonNode record = api.get("/whatsapp/messages/" + id, org.key()).json();
        assertThat(record.get("status").asString()).isEqualTo("failed");
        assertThat(record.get("error").get("upstreamCode").asInt()).isEqualTo(131026);
        assertThat(record.get("error").get("message").asString())
                .isEqualTo("Message undeliverable: Message could not be delivered to the recipient.");
    }

    @Test
    void aLateOrRepeatedStatusNeverMovesAMessageBack() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Api.Response sent = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hello"), org.key());
        String id = sent.json().get("id").asString();
        String wamid =
                sent.json().get("response").get("messages").get(0).get("id").asString();
        eventually(
                () -> api.get("/whatsapp/messages/" + id, org.key()).json(),
                m -> m.get("status").asString().equals("read"),
                Duration.ofSeconds(10));

        for (String late : List.of("delivered", "sent", "read")) {
            metaStatus(
                    org,
                    Map.of(
                            "id",
                            wamid,
                            "status",
                            late,
                            "timestamp",
                            Long.toString(Instant.now().getEpochSecond()),
                            "recipient_id",
                            customer.get("phone").asString()));
        }

        assertThat(api.get("/whatsapp/messages/" + id, org.key())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("read");
        assertThat(db.sql("SELECT count(*) FROM pending_statuses WHERE org_id = :orgId")
                        .param("orgId", org.orgId())
                        .query(Integer.class)
                        .single())
                .isZero();
    }
}
