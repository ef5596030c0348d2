package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MessageHistoryTest extends GatewayTest {

    private List<String> texts(JsonNode page) {
        List<String> texts = new ArrayList<>();
        page.get("data").forEach(m -> texts.add(m.get("message").asString()));
        return texts;
    }

    @Test
    void aCustomersHistoryComesNewestFirstPageByPage() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String phone = customer.get("phone").asString();
        for (int i = 1; i <= 5; i++) {
            writeIn(org, phone, "message " + i);
        }
        String customerId = customer.get("id").asString();

        JsonNode first = api.get("/whatsapp/messages?customerId=" + customerId + "&limit=2", org.key())
                .json();
        JsonNode second = api.get(
                        "/whatsapp/messages?customerId=" + customerId + "&limit=2&cursor="
                                + first.get("nextCursor").asString(),
                        org.key())
                .json();
        JsonNode third = api.get(
                        "/whatsapp/messages?customerId=" + customerId + "&limit=2&cursor="
                                + second.get("nextCursor").asString(),
                        org.key())
                .json();

        assertThat(texts(first)).containsExactly("message 5", "message 4");
        assertThat(texts(second)).containsExactly("message 3", "message 2");
        assertThat(texts(third)).containsExactly("message 1");
        assertThat(third.has("nextCursor")).isFalse();
        assertThat(first.get("data").get(0).get("messageType").asString()).isEqualTo("user");
    }

    @Test
    void aSessionsHistoryHoldsTheRepliesAndTheCustomersMessagesThatJoinedIt() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String customerId = customer.get("id").asString();
        Map<String, Object> reply = new java.util.HashMap<>(textRequest(org, customerId, "how can I help?"));
        reply.put("sessionId", "support-42");
        assertThat(api.post("/whatsapp/messages/send", reply, org.key()).status())
                .isEqualTo(200);

        writeIn(org, customer.get("phone").asString(), "my order is late");

        JsonNode session =
                api.get("/whatsapp/messages?sessionId=support-42", org.key()).json();
        assertThat(texts(session)).containsExactly("my order is late", "how can I help?");
        assertThat(session.get("data").get(0).get("sessionId").asString()).isEqualTo("support-42");
    }

    @Test
    void anotherOrgsCustomerIsNotFoundAndItsMessagesAreNotListed() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        Api.Response byCustomer =
                api.get("/whatsapp/messages?customerId=" + customer.get("id").asString(), other.key());
        Api.Response all = api.get("/whatsapp/messages", other.key());

        assertThat(byCustomer.status()).isEqualTo(404);
        assertThat(byCustomer.json().get("code").asString()).isEqualTo("customer_not_found");
        assertThat(all.json().get("data")).isEmpty();
    }

    @Test
    void aCursorThatWasNotGivenOutIsABadRequest() {
        TestOrg org = anOrg();

        Api.Response answer = api.get("/whatsapp/messages?cursor=not-a-cursor", org.key());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("field").asString()).isEqualTo("cursor");
    }

    @Test
    void aCursorOutsideTheRangeOfStoredTimesOrWithAControlCharacterIsABadRequestNamingTheCursor() {
        TestOrg org = anOrg();
        aCustomerWhoWroteIn(org);

        for (String decoded : new String[] {
            "-1000000000000000000:x",
            "1000000000000000000:x",
            "9223372036854775807:x",
            "-9223372036854775808:x",
            "-1:x",
            "1700000000000000:a\u0000b",
            "1700000000000000:"
        }) {
            String cursor =
                    Base64.getUrlEncoder().withoutPadding().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));

            Api.Response answer = api.get("/whatsapp/messages?cursor=" + cursor, org.key());

            assertThat(answer.status()).as(decoded + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("code").asString()).isEqualTo("invalid_request");
            assertThat(answer.json().get("field").asString()).isEqualTo("cursor");
        }
    }

    @Test
    void aCustomersCursorWithAControlCharacterIsABadRequestNamingTheCursor() {
        TestOrg org = anOrg();
        aCustomer(org);

        for (String cursor : new String[] {"%00", "abc%00def", "a%0Ab", "x".repeat(300)}) {
            Api.Response answer = api.get("/whatsapp/customers?cursor=" + cursor, org.key());

            assertThat(answer.status()).as(cursor + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("code").asString()).isEqualTo("invalid_request");
            assertThat(answer.json().get("field").asString()).isEqualTo("cursor");
        }
    }

    @Test
    void anEventsCursorThatIsNotASequenceNumberIsABadRequestNamingTheCursor() {
        TestOrg org = anOrg();

        for (String cursor : new String[] {"%00", "99999999999999999999", "1e9", "-1"}) {
            Api.Response answer = api.get("/whatsapp/webhook/events?cursor=" + cursor, org.key());

            assertThat(answer.status()).as(cursor + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("field").asString()).isEqualTo("cursor");
        }
    }

    @Test
    void customersAreListedPageByPageAndFoundByPhonePrefix() {
        TestOrg org = anOrg();
        api.post("/whatsapp/customers", Map.of("phone", "+44 7700 900001"), org.key());
        api.post("/whatsapp/customers", Map.of("phone", "447700900002"), org.key());
        api.post("/whatsapp/customers", Map.of("phone", "60123000003"), org.key());

        JsonNode uk = api.get("/whatsapp/customers?phone=%2B44", org.key()).json();
        JsonNode firstPage = api.get("/whatsapp/customers?limit=2", org.key()).json();
        JsonNode secondPage = api.get(
                        "/whatsapp/customers?limit=2&cursor="
                                + firstPage.get("nextCursor").asString(),
                        org.key())
                .json();

        assertThat(uk.get("data")).hasSize(2);
        assertThat(firstPage.get("data")).hasSize(2);
        assertThat(secondPage.get("data")).hasSize(1);
    }
}
