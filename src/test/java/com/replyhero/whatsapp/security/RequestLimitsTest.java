package com.replyhero.whatsapp.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Body limits per endpoint (413), Jackson's read limits (400) and page sizes capped on every list. */
class RequestLimitsTest extends GatewayTest {

    private static String customerWithNameOf(int length) {
        return "{\"phone\":\"60" + randomDigits(9) + "\",\"name\":\"" + "x".repeat(length) + "\"}";
    }

    private long customers(TestOrg org) {
        return db.sql("SELECT count(*) FROM customers WHERE org_id = ?")
                .param(org.orgId())
                .query(Long.class)
                .single();
    }

    private static void assertOneErrorShape(Api.Response answer, int status, String code) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.json().get("code").asString()).isEqualTo(code);
        assertThat(answer.json().get("message").asString()).isNotBlank();
    }

    @Test
    void aSmallJsonEndpointRefusesABodyOver64KbWith413AndStoresNothing() {
        TestOrg org = anOrg();

        Api.Response answer = api.post("/whatsapp/customers", customerWithNameOf(70_000), org.key());

        assertOneErrorShape(answer, 413, "payload_too_large");
        assertThat(customers(org)).isZero();
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsCountedToo() {
        TestOrg org = anOrg();

        Api.Response tooLarge = api.send(api.request("/whatsapp/customers", org.key())
                .header("Content-Type", "application/json")
                .POST(chunked(customerWithNameOf(70_000))));
        Api.Response small = api.send(api.request("/whatsapp/customers", org.key())
                .header("Content-Type", "application/json")
                .POST(chunked(customerWithNameOf(10))));

        assertOneErrorShape(tooLarge, 413, "payload_too_large");
        assertThat(small.status()).as(small.text()).isEqualTo(201);
        assertThat(customers(org)).isOne();
    }

    @Test
    void metasWebhookEndpointRefusesABodyOver3Mb() {
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[],\"pad\":\"" + "x".repeat(3_200_000)
                        + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        Api.Response answer = api.send(api.request("/webhooks/meta", "Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertOneErrorShape(answer, 413, "payload_too_large");
    }

    @Test
    void aTemplateSendMayBeLargerThanTheSmallEndpointsLimit() {
        TestOrg org = anOrg();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ids.add("unknown-customer-" + i);
        }

        Api.Response answer = api.post(
                "/whatsapp/template/send",
                Map.of("orgId", org.orgId(), "templateName", "none", "customerIds", ids),
                org.key());

        assertThat(answer.status()).as(answer.text()).isNotEqualTo(413).isLessThan(500);
    }

    @Test
    void jsonNestedDeeperThan64LevelsOrWithAHugeNumberIsA400() {
        TestOrg org = anOrg();
        String deep = "{\"phone\":\"60" + randomDigits(9) + "\",\"name\":\"a\",\"x\":" + "[".repeat(100)
                + "]".repeat(100) + "}";
        String number = "{\"phone\":\"60" + randomDigits(9) + "\",\"name\":\"a\",\"x\":" + "9".repeat(200) + "}";

        Api.Response tooDeep = api.post("/whatsapp/customers", deep, org.key());
        Api.Response tooLong = api.post("/whatsapp/customers", number, org.key());

        assertOneErrorShape(tooDeep, 400, "malformed_json");
        assertOneErrorShape(tooLong, 400, "malformed_json");
        assertThat(customers(org)).isZero();
    }

    @Test
    void everyListWithALimitRefusesAPageLargerThanItsCap() {
        TestOrg org = anOrg();
        JsonNode document = api.get("/v3/api-docs").json();
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            JsonNode get = path.getValue().get("get");
            if (get == null || !hasQueryParameter(get, "limit")) {
                continue;
            }
            String url = path.getKey().replace("{orgId}", org.orgId());
            boolean otherIds = url.contains("{");
            url = url.replaceAll("\\{[^}]+}", "none");
            String[] auth = url.startsWith("/admin/") ? admin() : org.key();

            Api.Response answer = api.get(url + (url.contains("?") ? "&" : "?") + "limit=1000000", auth);
            checked.add(url);
            if (url.startsWith("/sandbox/")) {
                // the sandbox's own lists clamp the limit instead (at 1000)
                assertThat(answer.json().size()).as(url).isLessThanOrEqualTo(1000);
                continue;
            }

            assertThat(answer.status()).as(url).isIn(otherIds ? List.of(400, 404) : List.of(400));
            if (!otherIds) {
                assertThat(answer.json().get("field").asString()).as(url).isEqualTo("limit");
            }
        }
        assertThat(checked).as("list endpoints with a limit").hasSizeGreaterThanOrEqualTo(8);
    }

    private static boolean hasQueryParameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (name.equals(parameter.path("name").asString())
                    && "query".equals(parameter.path("in").asString())) {
                return true;
            }
        }
        return false;
    }

    private static HttpRequest.BodyPublisher chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }
}
