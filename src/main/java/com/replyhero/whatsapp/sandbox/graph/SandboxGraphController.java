package com.replyhero.whatsapp.sandbox.graph;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.cloudapi.MediaTypes;
import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxState;
import com.replyhero.whatsapp.sandbox.faults.SandboxConnectionFaults;
import com.replyhero.whatsapp.sandbox.faults.SandboxFaults;
import com.replyhero.whatsapp.sandbox.inbound.SandboxWebhooks;
import com.replyhero.whatsapp.sandbox.media.SandboxMedia;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The Cloud API's {@code POST /{version}/{phone-number-id}/messages}, as the sandbox answers it. */
@RestController
@Conditional(SandboxEnabled.class)
@RequestMapping("/sandbox/graph")
@Tag(name = "Sandbox", description = "The built-in stand-in for Meta's Cloud API (only while it is the upstream)")
public class SandboxGraphController {

    private static final Set<String> TYPES = Set.of(
            "text",
            "image",
            "document",
            "video",
            "audio",
            "sticker",
            "template",
            "interactive",
            "location",
            "contacts",
            "reaction");
    private static final Set<String> MEDIA = Set.of("image", "document", "video", "audio", "sticker");

    private final SandboxAccount settings;
    private final SandboxState state;
    private final SandboxWebhooks webhooks;
    private final JsonMapper json;
    private final SandboxMedia media;
    private final SandboxTemplates templates;
    private final SandboxThrottle throttle;
    private final SandboxFaults faults;

    SandboxGraphController(
            SandboxAccount settings,
            SandboxState state,
            SandboxWebhooks webhooks,
            JsonMapper json,
            SandboxMedia media,
            SandboxTemplates templates,
            SandboxThrottle throttle,
            SandboxFaults faults) {
        this.faults = faults;
        this.settings = settings;
        this.media = media;
        this.state = state;
        this.webhooks = webhooks;
        this.json = json;
        this.templates = templates;
        this.throttle = throttle;
    }

    @PostMapping(
            value = "/{version}/{phoneNumberId}/messages",
            consumes = MediaType.ALL_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Graph-compatible send: Meta's answer shape, Meta's error codes")
    ResponseEntity<ObjectNode> send(
            @PathVariable String version,
            @PathVariable String phoneNumberId,
            @RequestHeader(value = "Authorization", required = false) String authorization,
            @RequestBody(required = false) byte[] body,
            HttpServletRequest servletRequest) {
        pause(faults.settings().latencyMs());
        if (!authorized(authorization)) {
            return GraphErrors.invalidToken();
        }
        JsonNode request;
        try {
            request = body == null ? null : json.readTree(body);
        } catch (JacksonException e) {
            return GraphErrors.invalidParameter("the request body is not JSON");
        }
        if (request == null || !request.isObject()) {
            return GraphErrors.invalidParameter("the request body must be a JSON object");
        }
        if (request.hasNonNull("biz_opaque_callback_data")) {
            state.received(request.get("biz_opaque_callback_data").asString()); // tried, whatever the answer
        }
        if (SandboxConnectionFaults.resetRequested(servletRequest)) {
            SandboxConnectionFaults.dropAnswer(servletRequest); // not accepted, no answer
            return null;
        }
        if (!"whatsapp".equals(request.path("messaging_product").asString(""))) {
            return GraphErrors.invalidParameter("messaging_product must be whatsapp");
        }
        if (request.has("status")) {
            return readReceipt(phoneNumberId, request);
        }
        String to = request.path("to").asString("");
        if (!to.matches("[0-9]{7,15}")) {
            return GraphErrors.invalidParameter("to must be a phone number");
        }
        String type = request.path("type").asString("text");
        boolean shaped = type.equals("contacts")
                ? request.path(type).isArray()
                : request.path(type).isObject();
        if (!TYPES.contains(type) || !shaped) {
            return GraphErrors.invalidParameter("type must name a message object present in the request");
        }
        ResponseEntity<ObjectNode> refusedKind = SandboxMessageKinds.check(type, request);
        if (refusedKind != null) {
            return refusedKind;
        }
        if (type.equals("text")) {
            String text = request.path("text").path("body").asString("");
            if (text.isEmpty() || text.length() > 4096) {
                return GraphErrors.invalidParameter("text.body must have 1 to 4096 characters");
            }
        }
        if (MEDIA.contains(type)) {
            ResponseEntity<ObjectNode> refused = mediaRefused(type, request.path(type));
            if (refused != null) {
                return refused;
            }
        }
        if (type.equals("template")) {
            ResponseEntity<ObjectNode> refused = templates.check(request.path("template"));
            if (refused != null) {
                return refused;
            }
        }
        String fault = faults.errorNow(System.currentTimeMillis());
        if (fault != null) {
            return GraphErrors.named(fault);
        }
        if (!throttle.allow(phoneNumberId)) {
            state.throttled();
            return GraphErrors.throughputExceeded();
        }
        if (settings.undeliverable(to)) {
            return GraphErrors.undeliverable();
        }
        if (!type.equals("template") && !state.windowOpen(phoneNumberId, to, Instant.now())) {
            return GraphErrors.outsideWindow();
        }
        String callbackData = request.path("biz_opaque_callback_data").asString(null);
        SandboxState.Accepted accepted = new SandboxState.Accepted(
                wamid(),
                phoneNumberId,
                to,
                type,
                callbackData,
                SandboxConnectionFaults.receivedAt(servletRequest),
                request,
                // what Meta charges it as: a template by its category, anything else in the window is service
                type.equals("template") ? templates.pricingCategory(request.path("template")) : "service");
        state.accept(accepted);
        webhooks.scheduleStatuses(accepted);
        if (faults.dropAnswerNow()) {
            // Meta took it, the answer never arrives: the gateway must not send it again
            SandboxConnectionFaults.dropAnswer(servletRequest);
            return null;
        }

        ObjectNode answer = json.createObjectNode();
        answer.put("messaging_product", "whatsapp");
        ObjectNode contact = answer.putArray("contacts").addObject();
        contact.put("input", to);
        contact.put("wa_id", to);
        answer.putArray("messages").addObject().put("id", accepted.wamid());
        return ResponseEntity.ok(answer);
    }

    /**
     * Meta's read receipt: {@code "status": "read"} and the {@code message_id} of a message the customer sent to this
     * number (else 100), optionally {@code "typing_indicator": {"type": "text"}} (else 131009). Answers
     * {@code {"success": true}}.
     */
    private ResponseEntity<ObjectNode> readReceipt(String phoneNumberId, JsonNode request) {
        if (!request.path("status").asString("").equals("read")) {
            return GraphErrors.invalidParameter("status must be read");
        }
        String wamid = request.path("message_id").asString("");
        if (wamid.isEmpty()) {
            return GraphErrors.missingParameter("message_id is required");
        }
        if (!state.wasSentIn(phoneNumberId, wamid)) {
            return GraphErrors.invalidParameter("message_id " + wamid + " is not a message received by this number");
        }
        if (request.has("typing_indicator")
                && !request.path("typing_indicator").path("type").asString("").equals("text")) {
            return GraphErrors.invalidValue("typing_indicator.type must be text");
        }
        state.read(wamid, request);
        ObjectNode answer = json.createObjectNode();
        answer.put("success", true);
        return ResponseEntity.ok(answer);
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A media object names exactly one of an uploaded {@code id} or an http(s) {@code link} (else 100); an audio or
     * sticker object takes no {@code caption} and only a document a {@code filename} (131009); an uploaded id must be
     * a file of the message's kind (131009: a PNG is no sticker).
     */
    private ResponseEntity<ObjectNode> mediaRefused(String type, JsonNode object) {
        boolean hasId = object.hasNonNull("id");
        boolean hasLink = object.hasNonNull("link");
        if (hasId == hasLink) {
            return GraphErrors.invalidParameter("a media object needs exactly one of id or link");
        }
        if (hasLink && !object.get("link").asString().matches("(?i)https?://\\S+")) {
            return GraphErrors.invalidParameter("link must be an http or https URL");
        }
        if (object.has("caption") && (type.equals("audio") || type.equals("sticker"))) {
            return GraphErrors.invalidValue(type + ".caption is not a valid parameter for " + type + " messages");
        }
        if (object.has("filename") && !type.equals("document")) {
            return GraphErrors.invalidValue(type + ".filename is used only with document messages");
        }
        if (hasId) {
            Optional<SandboxMedia.Stored> stored = media.find(object.get("id").asString());
            if (stored.isEmpty()) {
                return GraphErrors.invalidParameter(
                        "unknown media id " + object.get("id").asString());
            }
            Optional<MediaTypes.MediaType> uploaded = MediaTypes.of(stored.get().mimeType());
            if (uploaded.isPresent() && !uploaded.get().kind().messageType().equals(type)) {
                return GraphErrors.invalidValue("media id " + stored.get().id() + " is a "
                        + stored.get().mimeType() + " file, not a " + type);
            }
        }
        return null;
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(
                authorization.substring(7).getBytes(StandardCharsets.UTF_8),
                settings.accessToken().getBytes(StandardCharsets.UTF_8));
    }

    /** Ids shaped like Meta's: {@code wamid.} + base64. */
    public static String wamid() {
        byte[] bytes = new byte[30];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "wamid." + Base64.getEncoder().withoutPadding().encodeToString(bytes) + Ids.random(4);
    }
}
