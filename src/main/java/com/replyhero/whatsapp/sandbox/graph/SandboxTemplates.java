package com.replyhero.whatsapp.sandbox.graph;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxSettings;
import com.replyhero.whatsapp.sandbox.inbound.SandboxWebhooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The templates the sandbox knows, as a WABA on Meta would: {@code hello_world} (en_US) and those registered
 * through {@code POST /sandbox/templates}. A template message naming another template is refused with
 * Meta's 132001; a wrong parameter count (header, body, or a button's) with 132000; a parameter of another format
 * than the template's (a video for an image header, a payload for a URL button) with 132012; a button index the
 * template does not have, or a coupon code over 15 characters, with 131009. A template that is not APPROVED is
 * refused as Meta does: PAUSED with 132015, DISABLED with 132016, PENDING or REJECTED with 132001.
 *
 * <p>Templates created through Graph's {@code POST /{waba-id}/message_templates} belong to that WABA (others do not
 * list them), start {@code PENDING} and are reviewed after {@code rh.sandbox.template-review-delay}: approved, or
 * rejected (a name with "reject", or {@code rh.sandbox.template-review-outcome=REJECTED}); each status change is
 * posted to the gateway as Meta's signed {@code message_template_status_update} webhook.
 */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxTemplates implements AutoCloseable {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private final Map<String, ObjectNode> templates = new ConcurrentHashMap<>();
    /** The WABA a created template belongs to, by key; registered templates belong to every WABA. */
    private final Map<String, String> wabaOf = new ConcurrentHashMap<>();

    private final AtomicLong ids = new AtomicLong(900_000_000_000_000L + (System.nanoTime() % 1_000_000) * 1000);
    private final JsonMapper json;
    private final SandboxWebhooks webhooks;
    private final Duration reviewDelay;
    private final String reviewOutcome;
    private final String defaultWabaId;
    private final ScheduledExecutorService reviews = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sandbox-template-reviews").factory());

    SandboxTemplates(JsonMapper json, SandboxWebhooks webhooks, SandboxSettings settings) {
        this.json = json;
        this.webhooks = webhooks;
        this.reviewDelay = settings.templateReviewDelay();
        this.reviewOutcome = settings.templateReviewOutcome();
        this.defaultWabaId = settings.wabaId();
        register((ObjectNode) json.readTree("""
                {"name": "hello_world", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
                 "components": [
                   {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
                   {"type": "BODY", "text": "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us."},
                   {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"}
                 ]}"""));
    }

    /** Registers (or replaces) a template given in Meta's definition; answers it with an id. */
    ObjectNode register(ObjectNode definition) {
        ObjectNode stored = definition.deepCopy();
        if (!stored.hasNonNull("status")) {
            stored.put("status", "APPROVED");
        }
        stored.put(
                "id",
                Integer.toString(Math.abs((definition.path("name").asString() + ":"
                                + definition.path("language").asString())
                        .hashCode())));
        templates.put(
                key(
                        definition.path("name").asString(),
                        definition.path("language").asString()),
                stored);
        return stored;
    }

    Collection<ObjectNode> all() {
        return templates.values();
    }

    /** The templates a WABA lists: its own and the registered ones. */
    List<ObjectNode> of(String wabaId) {
        List<ObjectNode> listed = new ArrayList<>();
        templates.forEach((key, t) -> {
            String owner = wabaOf.get(key);
            if (owner == null || owner.equals(wabaId)) {
                listed.add(t);
            }
        });
        return listed;
    }

    /**
     * Graph's template creation: stored PENDING in the WABA, reviewed later. Answers Meta's {@code {"id", "status",
     * "category"}}, or Meta's error for a name and language the WABA already has.
     */
    synchronized ResponseEntity<ObjectNode> create(String wabaId, ObjectNode definition) {
        String name = definition.path("name").asString("");
        String language = definition.path("language").asString("");
        String key = wabaId + "\u0000" + key(name, language);
        if (templates.containsKey(key)) {
            return GraphErrors.error(
                    400,
                    100,
                    "Invalid parameter",
                    "Content in this language already exists: " + name + " (" + language + ")");
        }
        ObjectNode stored = definition.deepCopy();
        stored.remove("allow_category_change");
        stored.put("id", Long.toString(ids.incrementAndGet()));
        stored.put("status", "PENDING");
        templates.put(key, stored);
        wabaOf.put(key, wabaId);
        review(key);
        ObjectNode answer = json.createObjectNode();
        answer.put("id", stored.path("id").asString());
        answer.put("status", "PENDING");
        answer.put("category", stored.path("category").asString());
        return ResponseEntity.ok(answer);
    }

    /** Graph's {@code POST /{template-id}}: new components and/or category; the template is reviewed again. */
    synchronized boolean edit(String templateId, JsonNode edit) {
        for (Map.Entry<String, ObjectNode> t : templates.entrySet()) {
            if (t.getValue().path("id").asString("").equals(templateId)) {
                if (edit.has("components")) {
                    t.getValue().set("components", edit.get("components"));
                }
                if (edit.has("category")) {
                    t.getValue().set("category", edit.get("category"));
                }
                t.getValue().put("status", "PENDING");
                review(t.getKey());
                return true;
            }
        }
        return false;
    }

    /** Graph's delete: every language of the name, or the one of {@code hsmId}; answers how many went. */
    synchronized int delete(String wabaId, String name, String hsmId) {
        int deleted = 0;
        for (String key : List.copyOf(templates.keySet())) {
            ObjectNode t = templates.get(key);
            String owner = wabaOf.get(key);
            if (t.path("name").asString("").equals(name)
                    && (owner == null || owner.equals(wabaId))
                    && (hsmId == null || t.path("id").asString("").equals(hsmId))) {
                templates.remove(key);
                wabaOf.remove(key);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Sets a template's status as Meta's enforcement would (PAUSED, DISABLED, APPROVED again) and posts the status
     * webhook; answers false for a template the sandbox does not know.
     */
    public boolean setStatus(String name, String language, String status, String reason) {
        boolean found = false;
        for (Map.Entry<String, ObjectNode> t : templates.entrySet()) {
            if (t.getValue().path("name").asString("").equals(name)
                    && t.getValue().path("language").asString("").equals(language)) {
                t.getValue().put("status", status);
                postStatus(t.getKey(), t.getValue(), status, reason);
                found = true;
            }
        }
        return found;
    }

    private void review(String key) {
        reviews.schedule(
                () -> {
                    ObjectNode t = templates.get(key);
                    if (t == null || !t.path("status").asString("").equals("PENDING")) {
                        return;
                    }
                    boolean rejected =
                            t.path("name").asString("").contains("reject") || reviewOutcome.equals("REJECTED");
                    String status = rejected ? "REJECTED" : "APPROVED";
                    t.put("status", status);
                    postStatus(key, t, status, rejected ? "INVALID_FORMAT" : "NONE");
                },
                reviewDelay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void postStatus(String key, ObjectNode t, String status, String reason) {
        ObjectNode value = json.createObjectNode();
        value.put("event", status);
        value.put(
                "message_template_id", Long.parseLong(t.path("id").asString("0").replaceAll("\\D", "0")));
        value.put("message_template_name", t.path("name").asString());
        value.put("message_template_language", t.path("language").asString());
        value.put("reason", reason == null ? "NONE" : reason);
        value.put("message_template_category", t.path("category").asString(""));
        if (status.equals("DISABLED")) {
            value.putObject("disable_info").put("disable_date", System.currentTimeMillis() / 1000);
        }
        webhooks.postAccountChange(wabaOf.getOrDefault(key, defaultWabaId), "message_template_status_update", value);
    }

    @Override
    public void close() {
        reviews.shutdownNow();
    }

    /**
     * The cost category of a template message (its {@code template} object), as Meta's {@code pricing} names it:
     * the template's category in lower case; marketing when the sandbox does not know the category.
     */
    public String pricingCategory(JsonNode template) {
        ObjectNode definition = find(
                template.path("name").asString(""),
                template.path("language").path("code").asString(""));
        String category = definition == null ? "" : definition.path("category").asString("");
        return category.isBlank() ? "marketing" : category.toLowerCase(java.util.Locale.ROOT);
    }

    /** The definition of a template the sandbox knows, by name and language. */
    public Optional<ObjectNode> definition(String name, String language) {
        return Optional.ofNullable(find(name, language));
    }

    /**
     * A template by name and language: a registered one, else one created in some WABA (a send names no WABA; the
     * sandbox does not map numbers to WABAs), an APPROVED one first.
     */
    private ObjectNode find(String name, String language) {
        ObjectNode registered = templates.get(key(name, language));
        if (registered != null) {
            return registered;
        }
        ObjectNode found = null;
        for (Map.Entry<String, ObjectNode> t : templates.entrySet()) {
            if (wabaOf.containsKey(t.getKey())
                    && t.getValue().path("name").asString("").equals(name)
                    && t.getValue().path("language").asString("").equals(language)
                    && (found == null
                            || t.getValue().path("status").asString("").equals("APPROVED"))) {
                found = t.getValue();
            }
        }
        return found;
    }

    /** Meta's error for a template message the WABA cannot send, or null when it is fine. */
    ResponseEntity<ObjectNode> check(JsonNode template) {
        String name = template.path("name").asString("");
        String language = template.path("language").path("code").asString("");
        ObjectNode known = find(name, language);
        String status = known == null ? null : known.path("status").asString("APPROVED");
        if (known == null || status.equals("PENDING") || status.equals("REJECTED")) {
            return GraphErrors.error(
                    404,
                    132001,
                    "(#132001) Template name does not exist in the translation",
                    "template name (" + name + ") does not exist in " + language
                            + (known == null ? "" : " (it is " + status + ")"));
        }
        if (status.equals("PAUSED")) {
            return GraphErrors.error(400, 132015, "(#132015) Template is Paused", "template " + name + " is paused");
        }
        if (status.equals("DISABLED")) {
            return GraphErrors.error(
                    400, 132016, "(#132016) Template is Disabled", "template " + name + " is disabled");
        }
        JsonNode definedButtons = JsonNodeFactory.instance.arrayNode();
        for (JsonNode component : known.path("components")) {
            String type = component.path("type").asString("").toLowerCase(Locale.ROOT);
            if (type.equals("buttons")) {
                definedButtons = component.path("buttons");
                continue;
            }
            if (!type.equals("header") && !type.equals("body")) {
                continue; // a footer takes no parameters
            }
            String format = type.equals("header")
                    ? component.path("format").asString("TEXT").toUpperCase(Locale.ROOT)
                    : "TEXT";
            int expected =
                    format.equals("TEXT") ? placeholders(component.path("text").asString("")) : 1;
            JsonNode parameters = JsonNodeFactory.instance.arrayNode();
            for (JsonNode c : template.path("components")) {
                if (c.path("type").asString("").equalsIgnoreCase(type)) {
                    parameters = c.path("parameters");
                }
            }
            if (parameters.size() != expected) {
                return countMismatch(type, parameters.size(), expected);
            }
            for (JsonNode parameter : parameters) {
                String given = parameter.path("type").asString("");
                boolean matches = format.equals("TEXT")
                        ? Set.of("text", "currency", "date_time").contains(given)
                        : given.equals(format.toLowerCase(Locale.ROOT))
                                && parameter.path(given).isObject();
                if (!matches) {
                    return formatMismatch(type + ": parameter of type " + given + " where the template has "
                            + format.toLowerCase(Locale.ROOT));
                }
                if (given.equals("location")
                        && !(parameter.path("location").has("latitude")
                                && parameter.path("location").has("longitude"))) {
                    return GraphErrors.missingParameter("header: location needs latitude and longitude");
                }
            }
        }
        return checkButtons(template, definedButtons);
    }

    /** Each button component names a button by index, with its kind's sub_type and parameter; none is left out. */
    private static ResponseEntity<ObjectNode> checkButtons(JsonNode template, JsonNode defined) {
        Set<Integer> given = new TreeSet<>();
        for (JsonNode c : template.path("components")) {
            if (!c.path("type").asString("").equalsIgnoreCase("button")) {
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(c.path("index").asString(""));
            } catch (NumberFormatException e) {
                return GraphErrors.invalidValue("button: index must be a number");
            }
            if (index < 0 || index >= defined.size()) {
                return GraphErrors.invalidValue("button: the template has no button at index " + index);
            }
            given.add(index);
            String kind = defined.get(index).path("type").asString("").toUpperCase(Locale.ROOT);
            String expected = switch (kind) {
                case "QUICK_REPLY" -> "quick_reply";
                case "URL", "OTP" -> "url";
                case "COPY_CODE" -> "copy_code";
                default -> null;
            };
            JsonNode parameters = c.path("parameters");
            if (expected == null || (kind.equals("URL") && !dynamic(defined.get(index)))) {
                return countMismatch("button at index " + index, parameters.size(), 0);
            }
            if (!expected.equals(c.path("sub_type").asString(""))) {
                return formatMismatch("button at index " + index + ": sub_type "
                        + c.path("sub_type").asString("") + " where the template has a " + kind + " button");
            }
            if (parameters.size() != 1) {
                return countMismatch("button at index " + index, parameters.size(), 1);
            }
            String parameterType = switch (expected) {
                case "quick_reply" -> "payload";
                case "copy_code" -> "coupon_code";
                default -> "text";
            };
            JsonNode parameter = parameters.get(0);
            if (!parameterType.equals(parameter.path("type").asString(""))
                    || !parameter.path(parameterType).isString()) {
                return formatMismatch(
                        "button at index " + index + ": a " + kind + " button takes a " + parameterType + " parameter");
            }
            if (!kind.equals("QUICK_REPLY")
                    && !kind.equals("URL")
                    && parameter.path(parameterType).asString().length() > 15) {
                return GraphErrors.invalidValue(
                        "button at index " + index + ": the code must be at most 15 characters");
            }
        }
        for (int i = 0; i < defined.size(); i++) {
            JsonNode button = defined.get(i);
            String kind = button.path("type").asString("").toUpperCase(Locale.ROOT);
            boolean needed = kind.equals("COPY_CODE") || kind.equals("OTP") || (kind.equals("URL") && dynamic(button));
            if (needed && !given.contains(i)) {
                return countMismatch("button at index " + i, 0, 1);
            }
        }
        return null;
    }

    private static boolean dynamic(JsonNode urlButton) {
        return placeholders(urlButton.path("url").asString("")) > 0;
    }

    private static ResponseEntity<ObjectNode> countMismatch(String where, int given, int expected) {
        return GraphErrors.error(
                400,
                132000,
                "(#132000) Number of parameters does not match the expected number of params",
                where + ": number of localizable_params (" + given + ") does not match the expected number of"
                        + " params (" + expected + ")");
    }

    private static ResponseEntity<ObjectNode> formatMismatch(String details) {
        return GraphErrors.error(
                400, 132012, "(#132012) Parameter format does not match format in the created template", details);
    }

    private static int placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names.size();
    }

    private static String key(String name, String language) {
        return name + "\u0000" + language;
    }
}
