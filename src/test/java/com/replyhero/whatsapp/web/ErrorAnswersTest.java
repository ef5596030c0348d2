package com.replyhero.whatsapp.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors are JSON in the one error shape, whatever the request's Accept header asks for. */
class ErrorAnswersTest extends GatewayTest {

    @Test
    void anErrorIsJsonEvenToAClientThatAcceptsOnlyXml() {
        TestOrg org = anOrg();
        Api.Response missing = api.get("/no/such/endpoint", "Accept", "application/xml");
        Api.Response unauthenticated = api.post("/webhooks/meta", Map.of(), "Accept", "application/xml");
        Api.Response notFound =
                api.get("/whatsapp/messages/nope", "X-API-KEY", org.apiKey(), "Accept", "application/xml");

        for (Api.Response answer : java.util.List.of(missing, unauthenticated, notFound)) {
            assertThat(answer.status()).as(answer.text()).isBetween(400, 499);
            assertThat(answer.header("Content-Type")).startsWith("application/json");
            assertThat(answer.json().get("code").asString()).isNotBlank();
        }
    }

    @Test
    void aQueryParameterThatIsNotUtf8IsA400NotA500() {
        TestOrg org = anOrg();

        Api.Response answer = api.get("/whatsapp/customers?phone=%E2%82", "X-API-KEY", org.apiKey());

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.json().get("code").asString()).isEqualTo("invalid_parameter");
    }
}
