package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Template components beyond the seed's header and body, on the seed's {@code POST /whatsapp/template/send}: a
 * footer, headers of every format, and buttons (quick reply, URL suffix, copy code, phone number) reach the sandbox
 * in the shape of Meta's "Send message templates" examples, checked against the template's definition first.
 */
class TemplateComponentsTest extends GatewayTest {

    @Autowired
    private SandboxAccount sandboxAccount;

    /** A template with every kind of component: a location header, a footer, and five buttons. */
    private static final String EVERY_COMPONENT = """
            [
              {"type": "HEADER", "format": "LOCATION"},
              {"type": "BODY", "text": "Your order {{1}} is ready for pickup."},
              {"type": "FOOTER", "text": "Lucky Shrimp"},
              {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "On my way"},
                {"type": "QUICK_REPLY", "text": "Tomorrow"},
                {"type": "URL", "text": "Track", "url": "https://www.luckyshrimp.com/orders/{{1}}"},
                {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+16505551234"},
                {"type": "COPY_CODE", "example": "25OFF"}
              ]}
            ]""";

    /** Meta's template object for it, as Meta's pages show each component. */
    private static final String EVERY_COMPONENT_SENT = """
            {
              "name": "%s",
              "language": {"code": "en_US"},
              "components": [
                {"type": "header", "parameters": [{"type": "location", "location": {
                  "latitude": "37.483307", "longitude": "122.148981",
                  "name": "Pablo Morales", "address": "1 Hacker Way, Menlo Park, CA 94025"}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "A-1234"}]},
                {"type": "button", "sub_type": "quick_reply", "index": "0",
                 "parameters": [{"type": "payload", "payload": "PICKUP-TODAY"}]},
                {"type": "button", "sub_type": "url", "index": "2",
                 "parameters": [{"type": "text", "text": "A-1234"}]},
                {"type": "button", "sub_type": "copy_code", "index": "4",
                 "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]}
              ]
            }""";

    @Test
    void everyComponentReachesTheSandboxInMetasShape() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String template = aSandboxTemplate(EVERY_COMPONENT);
        JsonNode expected = Api.json().readTree(EVERY_COMPONENT_SENT.formatted(template));

        // the request gives the components in another order than Meta's: buttons go by index, after the body
        Api.Response sent = api.post(
                "/whatsapp/template/send",
                request(
                        template,
                        org,
                        button("copy_code", "4", Map.of("type", "coupon_code", "coupon_code", "25OFF")),
                        Map.of(
                                "type",
                                "header",
                                "parameters",
                                List.of(Map.of(
                                        "type",
                                        "location",
                                        "location",
                                        Map.of(
                                                "latitude", "37.483307",
                                                "longitude", "122.148981",
                                                "name", "Pablo Morales",
                                                "address", "1 Hacker Way, Menlo Park, CA 94025")))),
                        Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", "A-1234"))),
                        button("url", "2", Map.of("type", "text", "text", "A-1234")),
                        button("quick_reply", "0", Map.of("type", "payload", "payload", "PICKUP-TODAY"))),
                org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        String id = sent.json().get(0).get("id").asString();
        JsonNode received = onlyBodyReceived(id);
        assertThat(received.get("type").asString()).isEqualTo("template");
        assertThat(received.get("to").asString())
                .isEqualTo(customer.get("phone").asString());
        JsonNode components = received.get("template").get("components");
        assertThat(components.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(components.get(i))
                    .as("component " + i + " as the sandbox received it")
                    .isEqualTo(expected.get("components").get(i));
        }
        assertThat(received.get("template")).isEqualTo(expected);
        JsonNode stored = api.get("/whatsapp/messages/" + id, org.key()).json();
        assertThat(stored.get("kind").asString()).isEqualTo("template");
        assertThat(stored.get("message").asString()).isEqualTo(template);
    }

    @Test
    void headersOfEveryFormatReachTheSandboxInMetasShape() {
        TestOrg org = anOrg();
        aCustomer(org);
        Map<String, String> links = Map.of(
                "image", "https://www.luckyshrimp.com/a.png",
                "video", "https://www.luckyshrimp.com/a.mp4",
                "document", "https://www.luckyshrimp.com/a.pdf");

        for (String format : List.of("TEXT", "IMAGE", "VIDEO", "DOCUMENT")) {
            String template =
                    aSandboxTemplate("""
                    [{"type": "HEADER", "format": "%s"%s}, {"type": "BODY", "text": "Hi"},
                     {"type": "FOOTER", "text": "Reply STOP to opt out"}]""".formatted(format, format.equals("TEXT") ? ", \"text\": \"Order {{1}}\"" : ""));
            String type = format.toLowerCase(java.util.Locale.ROOT);
            Map<String, Object> parameter = format.equals("TEXT")
                    ? Map.of("type", "text", "text", "A-1234")
                    : Map.of("type", type, type, Map.of("link", links.get(type)));

            Api.Response sent = api.post(
                    "/whatsapp/template/send",
                    request(template, org, Map.of("type", "header", "parameters", List.of(parameter))),
                    org.key());

            assertThat(sent.status()).as(format + ": " + sent.text()).isEqualTo(200);
            JsonNode header = onlyBodyReceived(sent.json().get(0).get("id").asString())
                    .get("template")
                    .get("components");
            assertThat(header)
                    .as(format)
                    .isEqualTo(Api.json()
                            .valueToTree(List.of(Map.of("type", "header", "parameters", List.of(parameter)))));
        }
    }

    @Test
    void aQuickReplyWithoutAPayloadAndAStaticUrlNeedNoComponent() {
        TestOrg org = anOrg();
        aCustomer(org);
        String template = aSandboxTemplate("""
                [{"type": "BODY", "text": "Hi"}, {"type": "BUTTONS", "buttons": [
                  {"type": "QUICK_REPLY", "text": "Yes"},
                  {"type": "URL", "text": "Shop", "url": "https://www.luckyshrimp.com/shop"},
                  {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+16505551234"}]}]""");

        Api.Response sent = api.post("/whatsapp/template/send", request(template, org), org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(onlyBodyReceived(sent.json().get(0).get("id").asString())
                        .get("template")
                        .get("components"))
                .isEmpty();
    }

    @Test
    void badComponentsAreRefusedNamingTheFieldWithNothingStoredAndNoUpstreamCall() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String template = aSandboxTemplate(EVERY_COMPONENT);
        Map<String, Object> location = Map.of(
                "type",
                "header",
                "parameters",
                List.of(Map.of("type", "location", "location", Map.of("latitude", "1", "longitude", "2"))));
        Map<String, Object> body = Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", "x")));
        Map<String, Object> url = button("url", "2", Map.of("type", "text", "text", "x"));
        Map<String, Object> coupon = button("copy_code", "4", Map.of("type", "coupon_code", "coupon_code", "25OFF"));
        Object[][] cases = {
            {
                button("quick_reply", "0", Map.of("type", "payload", "payload", "p".repeat(257))),
                "components[3].parameters[0].payload",
                "invalid_request"
            },
            {
                button("quick_reply", "7", Map.of("type", "payload", "payload", "p")),
                "components[3].index",
                "template_parameters_mismatch"
            },
            {
                button("quick_reply", "10", Map.of("type", "payload", "payload", "p")),
                "components[3].index",
                "invalid_request"
            },
            {
                button("quick_reply", "3", Map.of("type", "payload", "payload", "p")),
                "components[3].index",
                "template_parameters_mismatch"
            },
            {
                button("url", "0", Map.of("type", "text", "text", "x")),
                "components[3].sub_type",
                "template_parameters_mismatch"
            },
            {
                button("phone_number", "3", Map.of("type", "text", "text", "x")),
                "components[3].sub_type",
                "invalid_request"
            },
            {
                button("quick_reply", "1", Map.of("type", "text", "text", "p")),
                "components[3].parameters[0].type",
                "invalid_request"
            },
            {
                Map.of(
                        "type", "button",
                        "sub_type", "quick_reply",
                        "index", "0",
                        "parameters",
                                List.of(
                                        Map.of("type", "payload", "payload", "a"),
                                        Map.of("type", "payload", "payload", "b"))),
                "components[3].parameters",
                "invalid_request"
            },
            {
                button("copy_code", "4", Map.of("type", "coupon_code", "coupon_code", "C".repeat(16))),
                "components[3].parameters[0].coupon_code",
                "invalid_request"
            },
            {Map.of("type", "footer", "parameters", List.of()), "components[3].type", "invalid_request"},
        };
        for (Object[] bad : cases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> component = (Map<String, Object>) bad[0];
            Api.Response sent = api.post(
                    "/whatsapp/template/send", request(template, org, location, body, url, component), org.key());

            assertThat(sent.status()).as(bad[1] + ": " + sent.text()).isEqualTo(400);
            assertThat(sent.json().get("field").asString()).as(sent.text()).isEqualTo(bad[1]);
            assertThat(sent.json().get("code").asString()).as(sent.text()).isEqualTo(bad[2]);
        }
        Object[][] incomplete = {
            // the copy-code button needs its code
            {List.of(location, body, url), "components"},
            {
                List.of(location, body, coupon, button("url", "2", Map.of("type", "text", "text", "x")), url),
                "components[4].index"
            },
            {
                List.of(
                        Map.of(
                                "type",
                                "header",
                                "parameters",
                                List.of(Map.of(
                                        "type", "location", "location", Map.of("latitude", "91", "longitude", "2")))),
                        body,
                        url,
                        coupon),
                "components[0].parameters[0].location.latitude"
            },
            {
                List.of(
                        Map.of(
                                "type",
                                "header",
                                "parameters",
                                List.of(Map.of("type", "image", "image", Map.of("link", "https://x.example/a.png")))),
                        body,
                        url,
                        coupon),
                "components"
            },
        };
        for (Object[] bad : incomplete) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> components = (List<Map<String, Object>>) bad[0];
            Api.Response sent = api.post(
                    "/whatsapp/template/send", request(template, org, components.toArray(Map[]::new)), org.key());

            assertThat(sent.status()).as(bad[1] + ": " + sent.text()).isEqualTo(400);
            assertThat(sent.json().get("field").asString()).as(sent.text()).isEqualTo(bad[1]);
        }
        assertThat(db.sql("SELECT count(*) FROM messages WHERE org_id = :orgId")
                        .param("orgId", org.orgId())
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();

        Api.Response good =
                api.post("/whatsapp/template/send", request(template, org, location, body, url, coupon), org.key());
        assertThat(good.status()).as(good.text()).isEqualTo(200);
    }

    @Test
    void theSandboxRefusesBadTemplateComponentsAsMetaDoes() {
        String template = aSandboxTemplate(EVERY_COMPONENT);
        String header = """
                {"type": "header", "parameters": [{"type": "location", "location": {"latitude": "1", "longitude": "2"}}]}""";
        String body = """
                {"type": "body", "parameters": [{"type": "text", "text": "x"}]}""";
        String url = """
                {"type": "button", "sub_type": "url", "index": "2", "parameters": [{"type": "text", "text": "x"}]}""";
        String coupon = """
                {"type": "button", "sub_type": "copy_code", "index": "4",
                 "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]}""";
        Object[][] cases = {
            {List.of(header, body, url), 132000}, // the copy-code button left out
            {List.of(header, url, coupon), 132000}, // the body's parameter left out
            {List.of(header.replace("\"location\", \"location\"", "\"image\", \"image\""), body, url, coupon), 132012},
            {List.of(header, body, url, coupon, """
                    {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "x"}]}"""), 132012},
            {List.of(header, body, url, coupon, """
                    {"type": "button", "sub_type": "quick_reply", "index": "3",
                     "parameters": [{"type": "payload", "payload": "x"}]}"""), 132000},
            {List.of(header, body, url, coupon, """
                    {"type": "button", "sub_type": "quick_reply", "index": "9",
                     "parameters": [{"type": "payload", "payload": "x"}]}"""), 131009},
            {List.of(header, body, url, coupon.replace("25OFF", "THIS-IS-TOO-LONG")), 131009},
            {List.of(header, body, url, coupon), 0},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<String> components = (List<String>) c[0];
            ObjectNode message =
                    (ObjectNode) Api.json().readTree("""
                    {"messaging_product": "whatsapp", "to": "60123456789", "type": "template",
                     "template": {"name": "%s", "language": {"code": "en_US"}, "components": [%s]}}""".formatted(template, String.join(",", components)));

            Api.Response answer = api.post(
                    "/sandbox/graph/v21.0/" + sandboxAccount.phoneNumberId() + "/messages",
                    message,
                    "Authorization",
                    "Bearer " + sandboxAccount.accessToken());

            if ((int) c[1] == 0) {
                assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            } else {
                assertThat(answer.status())
                        .as(components + ": " + answer.text())
                        .isEqualTo(400);
                assertThat(answer.json().get("error").get("code").asInt())
                        .as(answer.text())
                        .isEqualTo(c[1]);
            }
        }
    }

    @Test
    void theOperatorRegistersFootersAndButtonsAndSeesWhatASendGivesEach() {
        TestOrg org = anOrg();
        String name = "order_ready_" + randomDigits(6);

        Api.Response registered = api.post(
                "/admin/orgs/" + org.orgId() + "/templates",
                Map.of(
                        "name",
                        name,
                        "language",
                        "en_US",
                        "components",
                        Api.json().readTree(EVERY_COMPONENT)),
                admin());
        Api.Response badButton = api.post(
                "/admin/orgs/" + org.orgId() + "/templates",
                Map.of(
                        "name",
                        name,
                        "language",
                        "en_US",
                        "components",
                        Api.json().readTree("""
                                        [{"type": "BODY", "text": "Hi"},
                                         {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Go"}]}]""")),
                admin());

        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        JsonNode buttons = registered.json().get("buttons");
        assertThat(buttons.size()).isEqualTo(5);
        assertThat(buttons.get(0).get("subType").asString()).isEqualTo("quick_reply");
        assertThat(buttons.get(0).get("parameter").asString()).isEqualTo("payload");
        assertThat(buttons.get(0).get("required").asBoolean()).isFalse();
        assertThat(buttons.get(2).get("subType").asString()).isEqualTo("url");
        assertThat(buttons.get(2).get("required").asBoolean()).isTrue();
        assertThat(buttons.get(3).get("type").asString()).isEqualTo("PHONE_NUMBER");
        assertThat(buttons.get(3).get("parameter").isNull()).isTrue();
        assertThat(buttons.get(4).get("parameter").asString()).isEqualTo("coupon_code");
        assertThat(registered.json().get("headerFormat").asString()).isEqualTo("LOCATION");
        assertThat(registered.json().get("headerParameters").asInt()).isEqualTo(1);
        assertThat(badButton.status()).as(badButton.text()).isEqualTo(400);
        assertThat(badButton.json().get("field").asString()).isEqualTo("components[1].buttons[0].url");
    }

    @Test
    void theOpenApiExampleOfTemplateComponentsIsSentInMetasShape() {
        TestOrg org = anOrg();
        aCustomer(org);
        String template = aSandboxTemplate(EVERY_COMPONENT);
        JsonNode example = api.get("/v3/api-docs")
                .json()
                .at("/paths/~1whatsapp~1template~1send/post/requestBody/content/application~1json/examples")
                .get("location header, quick reply, URL suffix, copy code")
                .get("value");
        String value = example.isString() ? example.asString() : example.toString();

        Api.Response sent = api.post(
                "/whatsapp/template/send",
                value.replace("TEMPLATE_NAME", template)
                        .replace("ORG_ID", org.orgId())
                        .replace("USER_ID", org.userId()),
                org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(onlyBodyReceived(sent.json().get(0).get("id").asString()).get("template"))
                .isEqualTo(Api.json().readTree(EVERY_COMPONENT_SENT.formatted(template)));
    }

    /** What the sandbox received for the message, which it accepted exactly once. */
    private JsonNode onlyBodyReceived(String messageId) {
        JsonNode bodies =
                api.get("/sandbox/ledger?callbackData=" + messageId).json().get("bodies");
        assertThat(bodies.size()).as("bodies received for " + messageId).isEqualTo(1);
        return bodies.get(0);
    }

    /** A template the sandbox (Meta) knows; the gateway learns it by syncing from the Cloud API. */
    private String aSandboxTemplate(String components) {
        String name = "components_" + randomDigits(8);
        Api.Response registered = api.post("/sandbox/templates", """
                {"name": "%s", "language": "en_US", "category": "MARKETING", "components": %s}""".formatted(name, components));
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        return name;
    }

    private static Map<String, Object> button(String subType, String index, Map<String, Object> parameter) {
        return Map.of("type", "button", "sub_type", subType, "index", index, "parameters", List.of(parameter));
    }

    @SafeVarargs
    private static Map<String, Object> request(String template, TestOrg org, Map<String, Object>... components) {
        return Map.of(
                "templateName", template,
                "sessionId", "SESSION_ID",
                "orgId", org.orgId(),
                "userId", org.userId(),
                "components", List.of(components));
    }
}
