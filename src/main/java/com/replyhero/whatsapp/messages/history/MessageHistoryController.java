package com.replyhero.whatsapp.messages.history;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The conversation history: the org's messages, newest first, per customer and per session. */
@RestController
@Tag(name = "Messages")
@SecurityRequirement(name = "apiKey")
class MessageHistoryController {

    private final MessageHistory history;
    private final Customers customers;
    private final Orgs orgs;
    private final JsonMapper json;

    MessageHistoryController(MessageHistory history, Customers customers, Orgs orgs, JsonMapper json) {
        this.history = history;
        this.customers = customers;
        this.orgs = orgs;
        this.json = json;
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/messages")
    @Operation(
            summary = "The conversation history, newest first",
            description = "Outbound and inbound (messageType user) messages of the caller's org, optionally of one"
                    + " customer and/or one session. Pages: limit (1..200, default 50), then pass nextCursor as"
                    + " cursor. An inbound message joins the session of the customer's latest message (either"
                    + " direction) within the 24 hours before it, else it starts a new session.")
    Page<JsonNode> list(
            Caller caller,
            @RequestParam(required = false) String customerId,
            @RequestParam(required = false) String sessionId,
            @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        int size = Page.limit(limit, 50, 200);
        String customer = blankToNull(customerId);
        if (customer != null && customers.find(caller.orgId(), customer).isEmpty()) {
            throw ApiException.notFound("customer", "customerId");
        }
        List<Message> rows = history.page(caller.orgId(), customer, blankToNull(sessionId), decode(cursor), size + 1);
        ZoneId zone = orgs.get(caller.orgId()).zone();
        List<Message> page = rows.size() > size ? rows.subList(0, size) : rows;
        List<JsonNode> records = page.stream().map(m -> entry(m, zone)).toList();
        return rows.size() > size ? new Page<>(records, encode(page.getLast())) : Page.of(records);
    }

    /**
     * The seed's record; a customer's message also carries {@code content} (Meta's message object as received:
     * location, contacts, reply ids ...) and, for media, {@code mediaId} (its bytes: GET /whatsapp/media/{id}).
     */
    private JsonNode entry(Message m, ZoneId zone) {
        ObjectNode entry = (ObjectNode) json.valueToTree(MessageRecord.of(m, zone));
        if (m.messageType().equals("user")) {
            entry.set("content", m.content());
            String mediaId = m.content().path(m.kind()).path("id").asString(null);
            if (mediaId != null) {
                entry.put("mediaId", mediaId);
            }
        }
        return entry;
    }

    /** Opaque to clients: the last message's creation time (microseconds, as stored) and id. */
    static String encode(Message last) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, last.createdAt());
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((micros + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
    }

    /** 10000-01-01T00:00:00Z in microseconds since 1970: no message was created after it. */
    static final long LATEST_CURSOR_MICROS =
            ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("+10000-01-01T00:00:00Z"));

    /** The position a history cursor names; 400 naming {@code cursor} when this API did not give it out. */
    static MessageHistory.Cursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String text;
        long micros;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            micros = Long.parseLong(text.substring(0, text.indexOf(':')));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw Page.notACursor();
        }
        String id = text.substring(text.indexOf(':') + 1);
        // a message's creation time: never before 1970, and PostgreSQL refuses years past 294276 (22008)
        if (micros < 0 || micros >= LATEST_CURSOR_MICROS || !Page.isId(id)) {
            throw Page.notACursor();
        }
        return new MessageHistory.Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
