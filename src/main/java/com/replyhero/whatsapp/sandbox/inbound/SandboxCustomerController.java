package com.replyhero.whatsapp.sandbox.inbound;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxException;
import com.replyhero.whatsapp.sandbox.SandboxState;
import com.replyhero.whatsapp.sandbox.faults.SandboxFaults;
import com.replyhero.whatsapp.sandbox.graph.SandboxGraphController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/** Simulated customers writing in, and the sandbox's ledger of what it accepted. */
@RestController
@Conditional(SandboxEnabled.class)
@Tag(name = "Sandbox", description = "The built-in stand-in for Meta's Cloud API (only while it is the upstream)")
class SandboxCustomerController {

    private final SandboxAccount settings;
    private final SandboxState state;
    private final SandboxWebhooks webhooks;
    private final SandboxInboundMessages inbound;
    private final SandboxFaults faults;
    private final SandboxTaps taps;

    SandboxCustomerController(
            SandboxAccount settings,
            SandboxState state,
            SandboxWebhooks webhooks,
            SandboxInboundMessages inbound,
            SandboxFaults faults,
            SandboxTaps taps) {
        this.settings = settings;
        this.taps = taps;
        this.faults = faults;
        this.state = state;
        this.webhooks = webhooks;
        this.inbound = inbound;
    }

    /**
     * {@code text}, or {@code type} and the kind's object (see {@link SandboxInboundMessages}); optional
     * {@code name} and {@code phoneNumberId} (the business number written to); or {@code tap}, a tap on a button or
     * a list row of a message the sandbox sent (see {@link SandboxTaps}).
     */
    record WriteInRequest(String text, String name, String phoneNumberId, String type, Tap tap) {}

    /** {@code messageId}: our message id or its wamid; then {@code index} or {@code buttonId}, or {@code rowId}. */
    record Tap(String messageId, Integer index, String buttonId, String rowId) {}

    record WriteInResult(String wamid, String phoneNumberId, String from, int webhookStatus) {}

    @PostMapping("/sandbox/customers/{phone}/messages")
    @Operation(
            summary = "A simulated customer writes in: a signed inbound webhook reaches the gateway, the window opens",
            description =
                    "{\"text\": \"hi\"}, or any inbound kind: {\"type\": \"image\", \"image\": {\"caption\": \"x\","
                            + " \"data\": \"<base64, optional>\", \"mime_type\": \"image/png\", \"failDownloads\": 0}}; document,"
                            + " video, audio, sticker alike; location, contacts, interactive, button and reaction objects are"
                            + " sent as Meta's. A tap on a message the sandbox sent: {\"tap\": {\"messageId\": \"<our id"
                            + " or its wamid>\", \"index\": 0}} for a template's quick-reply button (an inbound button"
                            + " message with its payload) or an interactive reply button (also by \"buttonId\"),"
                            + " {\"tap\": {\"messageId\": ..., \"rowId\": ...}} for a list row; with the context"
                            + " of the message tapped, as Meta sends it.")
    WriteInResult writeIn(
            @PathVariable String phone,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @io.swagger.v3.oas.annotations.media.Content(
                                            schema =
                                                    @io.swagger.v3.oas.annotations.media.Schema(
                                                            implementation = WriteInRequest.class)))
                    @RequestBody
                    ObjectNode request) {
        if (!phone.matches("[1-9][0-9]{6,14}")) {
            throw SandboxException.invalid("phone", "phone must be digits in international form, e.g. 60123456789");
        }
        String phoneNumberId = request.path("phoneNumberId").asString(settings.phoneNumberId());
        if (request.has("tap")) {
            SandboxTaps.Tapped tapped = taps.tap(phone, request.get("tap"));
            phoneNumberId = request.path("phoneNumberId").asString(tapped.phoneNumberId());
            if (request.has("name")) {
                tapped.request().set("name", request.get("name"));
            }
            request = tapped.request();
        }
        Instant now = Instant.now();
        String wamid = SandboxGraphController.wamid();
        ObjectNode message = inbound.message(phone, wamid, now, request);
        state.customerWroteIn(phoneNumberId, phone, now);
        state.sentIn(phoneNumberId, wamid);
        String name = request.path("name").asString(null);
        int status = webhooks.deliverInbound(phoneNumberId, phone, name == null ? "Customer " + phone : name, message);
        if (status < 200 || status >= 300) {
            throw new SandboxException(
                    HttpStatus.BAD_GATEWAY,
                    "webhook_not_accepted",
                    "the gateway's webhook answered " + status + " at " + settings.webhookUrl(),
                    null);
        }
        return new WriteInResult(wamid, phoneNumberId, phone, status);
    }

    @GetMapping("/sandbox/ledger")
    @Operation(
            summary = "Ground truth: how many messages the sandbox accepted, in all, per message id, per recipient",
            description = "With callbackData (a gateway message id): also bodies, the request bodies the sandbox"
                    + " received and accepted for that message (among its latest 10,000), as Meta would have. With"
                    + " wamid (a simulated customer's message): readReceipts, the read receipts accepted for it.")
    Map<String, Object> ledger(
            @RequestParam(required = false) String callbackData,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String wamid) {
        Map<String, Object> ledger = new LinkedHashMap<>();
        ledger.put("accepted", state.acceptedTotal());
        ledger.put("distinctMessageIds", state.distinctCallbackData());
        ledger.put("duplicatedMessageIds", state.duplicated());
        ledger.put("errorsAnswered", faults.errorsAnswered());
        ledger.put("answersDropped", faults.answersDropped());
        ledger.put("connectionsReset", faults.connectionsReset());
        if (callbackData != null) {
            ledger.put("callbackData", callbackData);
            ledger.put("acceptedForCallbackData", state.acceptedFor(callbackData));
            ledger.put("bodies", state.bodiesFor(callbackData));
        }
        if (to != null) {
            ledger.put("to", to);
            ledger.put("acceptedTo", state.acceptedTo(to));
        }
        if (wamid != null) {
            ledger.put("wamid", wamid);
            ledger.put("readReceipts", state.readsOf(wamid));
        }
        return ledger;
    }

    @GetMapping("/sandbox/ledger/messages")
    @Operation(
            summary = "Ground truth per gateway message id (biz_opaque_callback_data): how many times the sandbox"
                    + " accepted it (messages), and how many of its sends reached the sandbox at all (received)")
    Map<String, Object> ledgerPerMessage() {
        Map<String, Object> ledger = new LinkedHashMap<>();
        ledger.put("accepted", state.acceptedTotal());
        ledger.put("messages", state.acceptedPerCallbackData());
        ledger.put("received", state.receivedPerCallbackData());
        return ledger;
    }

    @GetMapping("/sandbox/messages")
    @Operation(summary = "The latest messages the sandbox accepted (newest last)")
    List<SandboxState.Accepted> messages(
            @RequestParam(required = false) String to, @RequestParam(defaultValue = "100") int limit) {
        return state.recent(to, Math.min(Math.max(limit, 1), 1000));
    }
}
