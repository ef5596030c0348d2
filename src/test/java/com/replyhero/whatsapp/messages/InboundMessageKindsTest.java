package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InboundMessageKindsTest extends GatewayTest {

    private JsonNode receive(TestOrg org, JsonNode customer, Map<String, Object> message) {
        Map<String, Object> body = new java.util.HashMap<>(message);
        body.put("phoneNumberId", org.phoneNumberId());
        Api.Response wroteIn =
                api.post("/sandbox/customers/" + customer.get("phone").asString() + "/messages", body);
        assertThat(wroteIn.status()).as(wroteIn.text()).isEqualTo(200);
        JsonNode latest = api.get(
                        "/whatsapp/messages?limit=1&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .get("data")
                .get(0);
        assertThat(latest.get("wamid").asString())
                .isEqualTo(wroteIn.json().get("wamid").asString());
        return latest;
    }

    @Test
    void everyInboundKindIsStoredAsAUserMessageWithMetasObject() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        List<Map<String, Object>> kinds = List.of(
                Map.of("type", "text", "text", "plain words"),
                Map.of("type", "image", "image", Map.of("caption", "a photo")),
                Map.of("type", "document", "document", Map.of("filename", "invoice.pdf", "caption", "invoice")),
                Map.of("type", "video", "video", Map.of()),
                Map.of("type", "audio", "audio", Map.of("voice", true)),
                Map.of("type", "sticker", "sticker", Map.of("animated", false)),
                Map.of(
                        "type",
                        "location",
                        "location",
                        Map.of("latitude", 3.139, "longitude", 101.6869, "name", "KL Sentral")),
                Map.of(
                        "type",
                        "contacts",
                        "contacts",
                        List.of(Map.of(
                                "name",
                                Map.of("formatted_name", "Ali Bin Abu"),
                                "phones",
                                List.of(Map.of("phone", "+60123456789", "type", "CELL"))))),
                Map.of(
                        "type",
                        "interactive",
                        "interactive",
                        Map.of("type", "button_reply", "button_reply", Map.of("id", "yes", "title", "Yes"))),
                Map.of(
                        "type",
                        "interactive",
                        "interactive",
                        Map.of("type", "list_reply", "list_reply", Map.of("id", "row-2", "title", "Tuesday"))),
                Map.of("type", "button", "button", Map.of("payload", "STOP", "text", "Stop promotions")),
                Map.of("type", "reaction", "reaction", Map.of("message_id", "wamid.abc", "emoji", "👍")));

        for (Map<String, Object> kind : kinds) {
            String type = (String) kind.get("type");

            JsonNode stored = receive(org, customer, kind);

            assertThat(stored.get("messageType").asString()).isEqualTo("user");
            assertThat(stored.get("kind").asString()).isEqualTo(type);
            assertThat(stored.get("status").asString()).isEqualTo("received");
            JsonNode content = stored.get("content");
            assertThat(content.get("type").asString()).isEqualTo(type);
            assertThat(content.get("from").asString())
                    .isEqualTo(customer.get("phone").asString());
            assertThat(content.has(type)).as(type).isTrue();
        }
        JsonNode history = api.get(
                        "/whatsapp/messages?limit=20&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .get("data");
        assertThat(history).hasSize(kinds.size());
        assertThat(history.get(kinds.size() - 1).get("message").asString()).isEqualTo("plain words");
    }

    @Test
    void metasObjectsAreKeptAsReceived() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);

        JsonNode location = receive(
                org,
                customer,
                Map.of("type", "location", "location", Map.of("latitude", 3.139, "longitude", 101.6869)));
        JsonNode reaction = receive(
                org, customer, Map.of("type", "reaction", "reaction", Map.of("message_id", "wamid.x", "emoji", "❤")));
        JsonNode image = receive(org, customer, Map.of("type", "image", "image", Map.of("caption", "look")));

        assertThat(location.get("content").get("location").get("longitude").asDouble())
                .isEqualTo(101.6869);
        assertThat(reaction.get("content").get("reaction").get("emoji").asString())
                .isEqualTo("❤");
        assertThat(image.get("message").asString()).isEqualTo("look");
        assertThat(image.get("mediaId").asString())
                .isEqualTo(image.get("content").get("image").get("id").asString());
        assertThat(image.get("content").get("image").get("sha256").asString()).isNotBlank();
    }

    @Test
    void aMessageMissingItsKindsFieldsIsRefusedBySandbox() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);

        Api.Response answer = api.post(
                "/sandbox/customers/" + customer.get("phone").asString() + "/messages",
                Map.of(
                        "type",
                        "location",
                        "location",
                        Map.of("name", "nowhere"),
                        "phoneNumberId",
                        org.phoneNumberId()));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("field").asString()).isEqualTo("location");
    }
}
