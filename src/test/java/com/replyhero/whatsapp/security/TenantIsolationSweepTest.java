package com.replyhero.whatsapp.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the gateway's own OpenAPI document and calls every operation of the org API with org B's key and
 * org A's ids, with no key, a revoked key and a malformed key: each must answer 401, 403 or 404 as SPEC §2
 * says, and no answer may contain any of A's data. A new endpoint is covered without editing this test; an
 * operation or a parameter it cannot classify fails it.
 */
class TenantIsolationSweepTest extends SweepFixtures {

    /** Paths outside the org API, and who may call them. */
    private static final List<String> NOT_ORG_API = List.of("/admin/", "/sandbox/", "/webhooks/meta", "/actuator");

    /** Parameter and body field names that name an org's objects. */
    private static final Set<String> ID_NAMES = Set.of(
            "orgId",
            "userId",
            "customerId",
            "customerIds",
            "id",
            "sessionId",
            "phone",
            "mediaId",
            "broadcastId",
            "channelId");

    @Test
    void noOrgReachesAnotherOrgsData() {
        Objects a = orgAWithOneOfEverything();
        TestOrg b = anOrg();
        JsonNode customerOfB = aCustomerWhoWroteIn(b);
        String revokedKey = revokedKeyOf(a.org());
        JsonNode document = api.get("/v3/api-docs").json();

        int operations = 0;
        int parameters = 0;
        List<String> leaks = new ArrayList<>();
        List<String> wrongStatus = new ArrayList<>();
        List<String> unclassified = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            String template = path.getKey();
            if (NOT_ORG_API.stream().anyMatch(template::startsWith)) {
                continue;
            }
            if (!template.startsWith("/whatsapp/")) {
                unclassified.add(template);
                continue;
            }
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String method = op.getKey().toUpperCase();
                JsonNode operation = op.getValue();
                operations++;
                List<Call> calls;
                try {
                    calls = callsFor(method, template, operation, document, a, b, customerOfB);
                } catch (IllegalStateException e) {
                    unclassified.add(method + " " + template + ": " + e.getMessage());
                    continue;
                }
                for (Call call : calls) {
                    parameters += call.namesA ? 1 : 0;
                    String[] keyOfB = b.key();
                    for (String[] key : List.of(
                            keyOfB,
                            new String[] {"X-Unused", "none"},
                            new String[] {"X-API-KEY", revokedKey},
                            new String[] {"X-API-KEY", "rhk_not-a-key"})) {
                        Api.Response answer = api.send(call.request(api, key));
                        boolean otherOrg = key == keyOfB;
                        for (String marker : a.markers()) {
                            // what the request itself carries may be echoed (B may use the same phone number)
                            boolean echo =
                                    call.path.contains(marker) || (call.body != null && call.body.contains(marker));
                            if (!echo && answer.text().contains(marker)) {
                                leaks.add(method + " " + call.path + " leaked " + marker + " with " + key[0]);
                            }
                        }
                        if (!otherOrg && answer.status() != 401) {
                            wrongStatus.add(method + " " + call.path + " without a valid key: " + answer.status());
                        }
                        if (otherOrg && call.namesA && answer.status() != 403 && answer.status() != 404) {
                            wrongStatus.add(method + " " + call.path + " " + call.description + ": " + answer.status()
                                    + " " + answer.text());
                        }
                        if (answer.status() >= 500) {
                            wrongStatus.add(method + " " + call.path + ": " + answer.status());
                        }
                    }
                }
            }
        }

        System.out.printf("%d operations x %d parameters tried, %d leaks%n", operations, parameters, leaks.size());
        assertThat(unclassified).as("operations the sweep cannot classify").isEmpty();
        assertThat(leaks).as("answers with org A's data").isEmpty();
        assertThat(wrongStatus).as("answers that are not 401, 403 or 404").isEmpty();
        assertThat(operations).isGreaterThanOrEqualTo(6);
        assertThat(parameters).isGreaterThanOrEqualTo(6);
    }

    /** Operator endpoints outside the OpenAPI document (the actuator's), other than the open health and metrics. */
    private static final List<String> ACTUATOR =
            List.of("/actuator", "/actuator/metrics", "/actuator/sbom", "/actuator/info");

    /**
     * Every operation that needs a key or the admin token, under every spelling of its path that a filter and the
     * dispatcher might read differently, with no credential, with another org's key and with another org's key as
     * a bearer token: none may answer 2xx, and the org the paths name must be unchanged afterwards. (The
     * canonical-path filter answers these spellings 400 {@code invalid_path}; any other 400 would mean the
     * request reached an operation, so it counts as answered.)
     */
    @Test
    void noCredentialReachesAnOperationUnderAnyPathSpelling() {
        Objects a = orgAWithOneOfEverything();
        api.put(
                "/admin/orgs/" + a.org().orgId() + "/media-providers/sweep",
                Map.of("headers", Map.of("Authorization", "Bearer provider-secret")),
                admin());
        Map<String, String> ids = new HashMap<>(a.ids());
        ids.put("name", "sweep");
        TestOrg b = anOrg();
        String before = stateOf(a.org().orgId());
        JsonNode document = api.get("/v3/api-docs").json();

        List<String[]> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            String template = path.getKey();
            if (!template.startsWith("/admin/") && !template.startsWith("/whatsapp/")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String concrete = template;
                for (JsonNode parameter : op.getValue().path("parameters")) {
                    String name = parameter.get("name").asString();
                    if (parameter.get("in").asString().equals("path")) {
                        String value = ids.get(pathKey(template, name));
                        assertThat(value)
                                .as("a value for " + name + " in " + template)
                                .isNotNull();
                        concrete = concrete.replace("{" + name + "}", value);
                    }
                }
                String contentType = op.getValue().path("requestBody").path("content").propertyNames().stream()
                        .findFirst()
                        .orElse(null);
                operations.add(new String[] {op.getKey().toUpperCase(), concrete, contentType});
            }
        }
        ACTUATOR.forEach(path -> operations.add(new String[] {"GET", path, null}));

        String[] keyOfB = b.key();
        int spellingsTried = 0;
        List<String> answered = new ArrayList<>();
        for (String[] operation : operations) {
            String method = operation[0];
            String contentType = operation[2];
            String body = contentType == null
                    ? null
                    : contentType.startsWith("multipart/")
                            ? multipartField("orgId", a.org().orgId())
                            : "{\"orgId\": \"" + a.org().orgId() + "\", \"name\": \"sweep\"}";
            String type = contentType != null && contentType.startsWith("multipart/")
                    ? "multipart/form-data; boundary=sweep"
                    : "application/json";
            for (String spelling : spellings(operation[1])) {
                spellingsTried++;
                for (String[] credential : List.of(
                        new String[] {"X-Unused", "none"}, keyOfB, new String[] {"Authorization", "Bearer " + b.apiKey()
                        })) {
                    HttpRequest.Builder request = api.request(spelling, credential);
                    request = body == null
                            ? request.method(method, HttpRequest.BodyPublishers.noBody())
                            : request.header("Content-Type", type)
                                    .method(method, HttpRequest.BodyPublishers.ofString(body));
                    Api.Response answer = api.send(request);
                    boolean refused = answer.status() == 401
                            || answer.status() == 403
                            || answer.status() == 404
                            || (answer.status() == 400
                                    && "invalid_path"
                                            .equals(answer.json().path("code").asString()));
                    // B's own key on a plain org path that names none of A's objects is B's own business
                    boolean ownBusiness = spelling.equals(operation[1]) && credential == keyOfB && !names(spelling, a);
                    if (ownBusiness ? answer.status() >= 500 : !refused) {
                        answered.add(method + " " + spelling + " with " + credential[0] + ": " + answer.status() + " "
                                + answer.text());
                    }
                }
            }
        }

        System.out.printf(
                "%d operations x %d spellings tried, %d answered%n",
                operations.size(), spellingsTried / Math.max(1, operations.size()), answered.size());
        assertThat(answered)
                .as("requests without a valid credential that reached an operation")
                .isEmpty();
        assertThat(stateOf(a.org().orgId())).as("org A after the sweep").isEqualTo(before);
        assertThat(operations.size()).isGreaterThanOrEqualTo(30);
    }

    /** Whether a path names one of A's objects (another org's key on it must be refused). */
    private static boolean names(String path, Objects a) {
        return a.ids().values().stream().anyMatch(path::contains);
    }

    /**
     * The plain path and the spellings a filter reading the raw URI and a dispatcher matching the decoded,
     * normalized one could disagree on: {@code ;x} after each segment, a percent-encoded first character of each
     * segment, {@code /./}, {@code //}, a trailing slash and {@code /x/../}.
     */
    static List<String> spellings(String path) {
        String[] segments = path.substring(1).split("/");
        List<String> spellings = new ArrayList<>(List.of(path, path + "/", "/." + path, "/" + path, "/x/.." + path));
        for (int i = 0; i < segments.length; i++) {
            String before = "/" + String.join("/", java.util.Arrays.copyOfRange(segments, 0, i));
            String rest = String.join("/", java.util.Arrays.copyOfRange(segments, i + 1, segments.length));
            String prefix = i == 0 ? "/" : before + "/";
            String suffix = rest.isEmpty() ? "" : "/" + rest;
            String segment = segments[i];
            spellings.add(prefix + segment + ";x" + suffix);
            spellings.add(prefix + String.format("%%%02X", (int) segment.charAt(0)) + segment.substring(1) + suffix);
            if (i > 0) {
                spellings.add(prefix + "./" + segment + suffix);
                spellings.add(prefix + "/" + segment + suffix);
                spellings.add(prefix + "x/../" + segment + suffix);
            }
        }
        return spellings;
    }

    /**
     * Query filters that are labels, not objects an org owns (a phone prefix, a client's session label): another
     * org filtering by A's value gets its own, empty, page; the markers check still finds any leak.
     */
    private static final Set<String> LABELS = Set.of("phone", "sessionId");

    /** One request of the sweep: its path, body and whether it names one of A's objects. */
    record Call(String method, String path, String contentType, String body, boolean namesA, String description) {
        HttpRequest.Builder request(Api api, String[] key) {
            HttpRequest.Builder builder = api.request(path, key);
            if (body == null) {
                return builder.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return builder.header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
    }

    private List<Call> callsFor(
            String method, String template, JsonNode operation, JsonNode document, Objects a, TestOrg b, JsonNode cb) {
        Map<String, String> ofB = new HashMap<>(Map.of(
                "orgId", b.orgId(),
                "userId", b.userId(),
                "customerId", cb.get("id").asString(),
                "sessionId", "session-of-b",
                "phone", cb.get("phone").asString()));
        List<Call> calls = new ArrayList<>();
        // the path's own ids are A's
        String path = template;
        boolean pathNamesA = false;
        for (JsonNode parameter : operation.path("parameters")) {
            String name = parameter.get("name").asString();
            String in = parameter.get("in").asString();
            if (in.equals("path")) {
                String value = a.ids().get(pathKey(template, name));
                if (value == null) {
                    throw new IllegalStateException("path parameter " + name + " names nothing the sweep knows");
                }
                path = path.replace("{" + name + "}", value);
                pathNamesA = true;
            }
        }
        // each query parameter that names an object: A's value, one at a time
        List<String> idQueries = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            String name = parameter.get("name").asString();
            if (parameter.get("in").asString().equals("query") && ID_NAMES.contains(name)) {
                idQueries.add(name);
            }
        }
        JsonNode content = operation.path("requestBody").path("content");
        String contentType = content.properties().isEmpty()
                ? null
                : content.properties().iterator().next().getKey();
        if (contentType != null && contentType.startsWith("multipart/")) {
            for (String field : List.of("orgId")) {
                String body = multipartField(field, a.ids().get(field));
                calls.add(new Call(method, path, "multipart/form-data; boundary=sweep", body, true, field + " of A"));
            }
            return calls;
        }
        ObjectNode bodyOfB = contentType == null ? null : exampleBody(content.get(contentType), document, ofB);
        List<String> bodyIds = bodyOfB == null ? List.of() : idFields(bodyOfB);
        if (pathNamesA || (idQueries.isEmpty() && bodyIds.isEmpty())) {
            calls.add(new Call(
                    method,
                    path,
                    "application/json",
                    bodyOfB == null ? null : bodyOfB.toString(),
                    pathNamesA,
                    "A's path ids"));
        }
        for (String name : idQueries) {
            String value = a.ids().getOrDefault(name, a.ids().get("customerId"));
            calls.add(new Call(
                    method,
                    path + "?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8),
                    "application/json",
                    bodyOfB == null ? null : bodyOfB.toString(),
                    !LABELS.contains(name),
                    name + " of A"));
        }
        for (String field : bodyIds) {
            ObjectNode body = bodyOfB.deepCopy();
            replace(body, field, a.ids());
            calls.add(new Call(method, path, "application/json", body.toString(), true, field + " of A"));
        }
        if (bodyOfB != null && (bodyOfB.has("message") || bodyOfB.has("templateName")) && !bodyOfB.has("channelId")) {
            // B's own send, otherwise valid, from one of A's numbers
            ObjectNode fromA = bodyOfB.deepCopy();
            fromA.put("channelId", a.ids().get("channelId"));
            calls.add(new Call(method, path, "application/json", fromA.toString(), true, "A's channelId"));
        }
        if (bodyOfB != null && bodyOfB.path("message").isObject()) {
            // B's own send, otherwise valid, reacting to or answering one of A's messages (by id and by wamid)
            for (String reference : List.of(a.ids().get("messages.id"), a.ids().get("messages.wamid"))) {
                ObjectNode reply = bodyOfB.deepCopy();
                ((ObjectNode) reply.get("message")).putObject("context").put("messageId", reference);
                calls.add(new Call(method, path, "application/json", reply.toString(), true, "a reply to A's message"));
                ObjectNode reaction = bodyOfB.deepCopy();
                ObjectNode message = reaction.putObject("message");
                message.put("type", "reaction");
                message.putObject("reaction").put("message_id", reference).put("emoji", "👍");
                calls.add(new Call(
                        method, path, "application/json", reaction.toString(), true, "a reaction to A's message"));
            }
        }
        return calls;
    }

    /** Which of A's objects a path parameter names: {@code {id}} by the segment before it. */
    private static String pathKey(String template, String name) {
        if (!name.equals("id")) {
            return name;
        }
        String before = template.substring(0, template.indexOf("{id}") - 1);
        return before.substring(before.lastIndexOf('/') + 1) + ".id";
    }

    /** The operation's example body (the seed's where there is one), or one built from its schema; B's ids. */
    private ObjectNode exampleBody(JsonNode mediaType, JsonNode document, Map<String, String> ofB) {
        JsonNode examples = mediaType.path("examples");
        if (!examples.isMissingNode() && !examples.properties().isEmpty()) {
            JsonNode value = examples.properties().iterator().next().getValue().path("value");
            String text = value.isString() ? value.asString() : value.toString();
            for (Map.Entry<String, String> id : Map.of(
                            "ORG_ID",
                            "orgId",
                            "USER_ID",
                            "userId",
                            "CUSTOMER_ID",
                            "customerId",
                            "SESSION_ID",
                            "sessionId")
                    .entrySet()) {
                text = text.replace(id.getKey(), ofB.get(id.getValue()));
            }
            return (ObjectNode) Api.json().readTree(text);
        }
        ObjectNode body = Api.json().createObjectNode();
        JsonNode schema = resolve(mediaType.path("schema"), document);
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String name = property.getKey();
            if (ofB.containsKey(name)) {
                body.put(name, ofB.get(name));
            } else if (name.equals("customerIds")) {
                body.putArray(name).add(ofB.get("customerId"));
            } else if (resolve(property.getValue(), document)
                    .path("type")
                    .asString("")
                    .equals("string")) {
                body.put(name, "sweep");
            }
        }
        return body;
    }

    private static JsonNode resolve(JsonNode schema, JsonNode document) {
        JsonNode ref = schema.get("$ref");
        if (ref == null) {
            return schema;
        }
        String name = ref.asString().substring(ref.asString().lastIndexOf('/') + 1);
        return document.path("components").path("schemas").path(name);
    }

    private static List<String> idFields(ObjectNode body) {
        List<String> fields = new ArrayList<>();
        for (String name : body.propertyNames()) {
            if (ID_NAMES.contains(name) && !name.equals("sessionId") && !name.equals("phone")) {
                fields.add(name);
            }
        }
        return fields;
    }

    private static void replace(ObjectNode body, String field, Map<String, String> ofA) {
        if (field.equals("customerIds")) {
            body.putArray(field).add(ofA.get("customerId"));
        } else {
            body.put(field, ofA.get(field));
        }
    }

    private static String multipartField(String name, String value) {
        return "--sweep\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n--sweep\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nimage/png\r\n"
                + "--sweep\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n\u0089PNG\r\n\u001a\n\r\n--sweep--\r\n";
    }

    private String revokedKeyOf(TestOrg org) {
        JsonNode created = api.post("/whatsapp/api-keys", Map.of("name", "revoked"), org.key())
                .json();
        api.delete("/whatsapp/api-keys/" + created.get("id").asString(), org.key());
        return created.get("key").asString();
    }
}
