package com.replyhero.whatsapp.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every operation of the OpenAPI document fed generated bad input: wrong types, missing and extra fields,
 * nulls, empty and huge strings, deep nesting, invalid UTF-8, duplicate keys, truncated JSON, wrong content
 * types, broken multipart. No answer may be a 5xx, every 4xx is the one error shape with its code, nothing
 * hangs, and the heap stays flat. The seed is printed so a failure can be replayed (-Dfuzz.seed=...).
 */
class BadInputFuzzTest extends GatewayTest {

    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    private static final int GEN_SIZE = 1000;

    record Operation(String method, String path, String contentType, ObjectNode example) {}

    record Request(String method, String path, String contentType, byte[] body, String kind) {}

    @Test
    void badInputNeverGetsA5xxAndAlwaysTheErrorShape() throws Exception {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        List<Operation> operations = operations(org, customer);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        List<Request> batch = new ArrayList<>(REQUESTS);
        JqwikSession.start();
        try {
            RandomGenerator<Request> requests = requests(operations).generator(GEN_SIZE);
            for (int i = 0; i < REQUESTS; i++) {
                batch.add(requests.next(random).value());
            }
        } finally {
            JqwikSession.finish();
        }
        long heapBefore = usedHeapAfterGc();
        // a key of its own with a high rate limit, so that the bad input reaches the endpoints (not the 429)
        String fuzzKey = api.post(
                        "/admin/orgs/" + org.orgId() + "/api-keys",
                        Map.of("name", "fuzz", "rateLimitPerSecond", 100_000),
                        admin())
                .json()
                .get("key")
                .asString();

        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Request request : batch) {
                pool.submit(() -> {
                    String[] auth = request.path().startsWith("/admin") ? admin() : new String[] {"X-API-KEY", fuzzKey};
                    Api.Response answer = api.send(api.request(request.path(), auth)
                            .header("Content-Type", request.contentType())
                            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body())));
                    byStatus.computeIfAbsent(answer.status(), s -> new AtomicInteger())
                            .incrementAndGet();
                    if (answer.status() >= 500) {
                        failures.add(request.kind() + " " + request.method() + " " + request.path() + " -> "
                                + answer.status() + " " + answer.text());
                    } else if (answer.status() >= 400 && !errorShape(request.path(), answer)) {
                        failures.add(request.kind() + " " + request.method() + " " + request.path()
                                + " -> not the error shape: " + answer.status() + " " + answer.text());
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).as("no hang").isTrue();
        }
        long heapAfter = usedHeapAfterGc();

        int total = byStatus.values().stream().mapToInt(AtomicInteger::get).sum();
        long fiveHundreds = byStatus.entrySet().stream()
                .filter(e -> e.getKey() >= 500)
                .mapToInt(e -> e.getValue().get())
                .sum();
        System.out.printf(
                "fuzz: %d requests over %d operations (seed %d), %d x 5xx, statuses %s, heap %d MB -> %d MB%n",
                total,
                operations.size(),
                seed,
                fiveHundreds,
                new java.util.TreeMap<>(byStatus),
                heapBefore >> 20,
                heapAfter >> 20);
        assertThat(total).isEqualTo(REQUESTS);
        assertThat(failures).as("seed " + seed).isEmpty();
        assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(128L << 20);
    }

    /**
     * The gateway's one error shape; the sandbox's Graph endpoint stands in for Meta, so past the gateway's own
     * filters it answers Meta's shape ({@code {"error": {"code": ..., "message": ...}}}).
     */
    private static boolean errorShape(String path, Api.Response answer) {
        JsonNode body = answer.json();
        if (body == null) {
            return false;
        }
        boolean gatewayShape =
                body.path("code").isString() && body.path("status").asInt() == answer.status();
        boolean metaShape = body.path("error").path("code").isInt()
                && body.path("error").path("message").isString();
        return gatewayShape || (metaShape && path.startsWith("/sandbox/graph/"));
    }

    /** The operations of the OpenAPI document (not the actuator, not the docs), with a plausible body each. */
    private List<Operation> operations(TestOrg org, JsonNode customer) {
        JsonNode document = api.get("/v3/api-docs").json();
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            if (path.getKey().startsWith("/actuator")) {
                continue;
            }
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "fuzz" + randomDigits(4));
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                JsonNode content = op.getValue().path("requestBody").path("content");
                String contentType = content.properties().isEmpty()
                        ? "application/json"
                        : content.properties().iterator().next().getKey();
                ObjectNode example = Api.json().createObjectNode();
                example.put("orgId", org.orgId());
                example.put("userId", org.userId());
                example.put("customerId", customer.get("id").asString());
                example.put("sessionId", "fuzz");
                example.putObject("message")
                        .put("type", "text")
                        .putObject("text")
                        .put("body", "fuzz");
                operations.add(new Operation(op.getKey().toUpperCase(), concrete, contentType, example));
                if (path.getKey().equals("/whatsapp/messages/{id}/read")) {
                    // and on a real customer's message, so that the body reaches the Cloud API call
                    ObjectNode typing = example.deepCopy();
                    typing.put("typing", true);
                    operations.add(new Operation(
                            "POST", "/whatsapp/messages/" + inboundId(org, customer) + "/read", contentType, typing));
                }
                if (path.getKey().equals("/whatsapp/messages/send")) {
                    for (JsonNode message : everyKind(org, customer)) {
                        ObjectNode ofKind = example.deepCopy();
                        ofKind.set("message", message);
                        operations.add(new Operation("POST", concrete, contentType, ofKind));
                    }
                }
            }
        }
        return operations;
    }

    /** The id of the customer's message (they wrote in). */
    private String inboundId(TestOrg org, JsonNode customer) {
        for (JsonNode message : api.get(
                        "/whatsapp/messages?limit=50&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .path("data")) {
            if (message.path("messageType").asString("").equals("user")) {
                return message.get("id").asString();
            }
        }
        throw new AssertionError("the customer has written in");
    }

    /**
     * A valid message of each non-media kind, of audio and sticker by link, and a reply, for the send endpoint's
     * nested fields to be fuzzed.
     */
    private List<JsonNode> everyKind(TestOrg org, JsonNode customer) {
        String wamid = api.get(
                        "/whatsapp/messages?limit=1&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .path("data")
                .path(0)
                .path("wamid")
                .asString("wamid.unknown");
        return List.of(
                Api.json().readTree("""
                        {"type": "location", "location": {"latitude": 3.139, "longitude": 101.6869, "name": "KL"}}"""),
                Api.json().readTree("""
                        {"type": "contacts", "contacts": [{"name": {"formatted_name": "Ali"}, "birthday": "1999-01-23",
                         "phones": [{"phone": "+60123456789", "type": "CELL", "wa_id": "60123456789"}],
                         "emails": [{"email": "ali@example.com"}], "org": {"company": "X"}}]}"""),
                Api.json().readTree("""
                        {"type": "interactive", "interactive": {"type": "button", "header": {"type": "text",
                         "text": "h"}, "body": {"text": "b"}, "footer": {"text": "f"}, "action": {"buttons": [
                         {"type": "reply", "reply": {"id": "a", "title": "A"}},
                         {"type": "reply", "reply": {"id": "b", "title": "B"}}]}}}"""),
                Api.json().readTree("""
                        {"type": "interactive", "interactive": {"type": "list", "body": {"text": "b"},
                         "action": {"button": "Open", "sections": [{"title": "S", "rows": [
                         {"id": "r1", "title": "R1", "description": "d"}]}]}}}"""),
                Api.json().readTree("""
                        {"type": "interactive", "interactive": {"type": "cta_url", "body": {"text": "b"},
                         "action": {"name": "cta_url", "parameters": {"display_text": "Go",
                         "url": "https://example.com"}}}}"""),
                Api.json().readTree("""
                        {"type": "interactive", "interactive": {"type": "location_request_message",
                         "body": {"text": "where?"}, "action": {"name": "send_location"}}}"""),
                Api.json().readTree("""
                        {"type": "audio", "audio": {"link": "https://example.com/voice.ogg"}}"""),
                Api.json().readTree("""
                        {"type": "sticker", "sticker": {"link": "https://example.com/smile.webp"}}"""),
                Api.json().readTree("""
                        {"type": "reaction", "reaction": {"message_id": "%s", "emoji": "👍"}}""".formatted(wamid)),
                Api.json().readTree("""
                        {"type": "text", "text": {"body": "re"}, "context": {"messageId": "%s"}}""".formatted(wamid)));
    }

    private static Arbitrary<Request> requests(List<Operation> operations) {
        Arbitrary<Operation> operation = Arbitraries.of(operations);
        Arbitrary<String> field = Arbitraries.of(
                "orgId",
                "userId",
                "customerId",
                "sessionId",
                "message",
                "phone",
                "name",
                "type",
                "text",
                "templateName",
                "components",
                "file",
                "link",
                "limit",
                "url",
                "secret",
                "typing",
                "autoMarkRead");
        Arbitrary<Object> badValue = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.just(true),
                Arbitraries.just(List.of()),
                Arbitraries.just(Map.of("x", 1)),
                Arbitraries.just(""),
                Arbitraries.strings().ofMinLength(0).ofMaxLength(64).map(s -> (Object) s),
                Arbitraries.strings().withChars('a', 'z').ofLength(200_000).map(s -> (Object) s),
                Arbitraries.just("\u0000\uFFFF\uD83D"),
                Arbitraries.just("!!!not-base64!!!"));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(
                                3,
                                operation.flatMap(op -> field.flatMap(f -> badValue.map(
                                        v -> json(op, "wrong value for " + f, setField(op.example(), f, v)))))),
                        net.jqwik.api.Tuple.of(
                                2,
                                operation.flatMap(op ->
                                        field.map(f -> json(op, "missing " + f, removeField(op.example(), f))))),
                        net.jqwik.api.Tuple.of(
                                3,
                                operation.flatMap(op -> Arbitraries.of(pointers(op.example()))
                                        .flatMap(at -> badValue.map(
                                                v -> json(op, "wrong value at " + at, setAt(op.example(), at, v)))))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.flatMap(op -> Arbitraries.of(pointers(op.example()))
                                        .map(at -> json(op, "missing " + at, removeAt(op.example(), at))))),
                        net.jqwik.api.Tuple.of(
                                1, operation.map(op -> json(op, "extra field", extraField(op.example())))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.flatMap(op -> Arbitraries.of("[]", "1", "\"s\"", "null", "{}")
                                        .map(body ->
                                                raw(op, "wrong top-level type", op.contentType(), body.getBytes())))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.flatMap(op -> Arbitraries.integers()
                                        .between(100, 20_000)
                                        .map(depth -> raw(op, "nesting " + depth, op.contentType(), deep(depth))))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.map(
                                        op -> raw(op, "invalid UTF-8", op.contentType(), invalidUtf8(op.example())))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.map(op ->
                                        raw(op, "duplicate keys", op.contentType(), duplicateKeys(op.example())))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.flatMap(op -> Arbitraries.integers()
                                        .between(1, 40)
                                        .map(cut ->
                                                raw(op, "truncated", op.contentType(), truncate(op.example(), cut))))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.flatMap(op -> Arbitraries.of(
                                                "text/plain",
                                                "application/xml",
                                                "application/x-www-form-urlencoded",
                                                "image/png")
                                        .map(type -> raw(
                                                op,
                                                "content type " + type,
                                                type,
                                                op.example().toString().getBytes())))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.flatMap(op -> Arbitraries.bytes()
                                        .array(byte[].class)
                                        .ofMaxSize(512)
                                        .map(bytes -> raw(op, "random bytes", op.contentType(), bytes)))),
                        net.jqwik.api.Tuple.of(
                                1,
                                operation.flatMap(op -> Arbitraries.of(
                                                "--x\r\nContent-Disposition: form-data; name=\"orgId\"\r\n\r\n",
                                                "--wrong\r\n\r\n--wrong--",
                                                "no boundary at all")
                                        .map(body -> raw(
                                                op,
                                                "broken multipart",
                                                "multipart/form-data; boundary=x",
                                                body.getBytes())))))
                .map(r -> r);
    }

    private static Request json(Operation op, String kind, ObjectNode body) {
        return new Request(
                op.method(), op.path(), "application/json", body.toString().getBytes(StandardCharsets.UTF_8), kind);
    }

    private static Request raw(Operation op, String kind, String contentType, byte[] body) {
        return new Request(op.method(), op.path(), contentType, body, kind);
    }

    private static ObjectNode setField(ObjectNode example, String field, Object value) {
        ObjectNode body = example.deepCopy();
        body.set(field, Api.json().valueToTree(value));
        return body;
    }

    private static ObjectNode removeField(ObjectNode example, String field) {
        ObjectNode body = example.deepCopy();
        body.remove(field);
        return body;
    }

    /** The JSON pointers of every value nested in the body (below its top level), e.g. /message/reaction/emoji. */
    private static List<String> pointers(JsonNode node) {
        List<String> pointers = new ArrayList<>();
        collect(node, "", pointers);
        return pointers.stream().filter(p -> p.indexOf('/', 1) > 0).toList();
    }

    private static void collect(JsonNode node, String at, List<String> pointers) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> child : node.properties()) {
                String pointer = at + "/" + child.getKey();
                pointers.add(pointer);
                collect(child.getValue(), pointer, pointers);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String pointer = at + "/" + i;
                pointers.add(pointer);
                collect(node.get(i), pointer, pointers);
            }
        }
    }

    private static ObjectNode setAt(ObjectNode example, String pointer, Object value) {
        ObjectNode body = example.deepCopy();
        JsonNode parent = body.at(pointer.substring(0, pointer.lastIndexOf('/')));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        JsonNode tree = Api.json().valueToTree(value);
        if (parent instanceof ObjectNode object) {
            object.set(last, tree);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), tree);
        }
        return body;
    }

    private static ObjectNode removeAt(ObjectNode example, String pointer) {
        ObjectNode body = example.deepCopy();
        JsonNode parent = body.at(pointer.substring(0, pointer.lastIndexOf('/')));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last));
        }
        return body;
    }

    private static ObjectNode extraField(ObjectNode example) {
        ObjectNode body = example.deepCopy();
        body.put("unexpected" + body.size(), "value");
        return body;
    }

    private static byte[] deep(int depth) {
        return ("{\"message\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] invalidUtf8(ObjectNode example) {
        byte[] json = example.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[json.length + 2];
        System.arraycopy(json, 0, bad, 0, json.length - 1);
        bad[json.length - 1] = (byte) 0xC3;
        bad[json.length] = (byte) 0x28;
        bad[json.length + 1] = '}';
        return bad;
    }

    private static byte[] duplicateKeys(ObjectNode example) {
        String json = example.toString();
        return ("{\"orgId\":\"dup\"," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] truncate(ObjectNode example, int cut) {
        byte[] json = example.toString().getBytes(StandardCharsets.UTF_8);
        int length = Math.max(1, json.length - cut);
        byte[] out = new byte[length];
        System.arraycopy(json, 0, out, 0, length);
        return out;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
