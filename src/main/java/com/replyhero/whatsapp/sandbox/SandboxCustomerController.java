package com.replyhero.whatsapp.sandbox;

import com.replyhero.whatsapp.web.ApiException;
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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Simulated customers writing in, and the sandbox's ledger of what it accepted. */
@RestController
@Conditional(SandboxEnabled.class)
@Tag(name = "Sandbox", description = "The built-in stand-in for Meta's Cloud API (only while it is the upstream)")
class SandboxCustomerController {

    private final SandboxSettings settings;
    private final SandboxState state;
    private final SandboxWebhooks webhooks;
    private final JsonMapper json;

    SandboxCustomerController(SandboxSettings settings, SandboxState state, SandboxWebhooks webhooks, JsonMapper json) {
        this.settings = settings;
        this.state = state;
        this.webhooks = webhooks;
        this.json = json;
    }

    record WriteInRequest(String text, String name, String phoneNumberId) {}

    record WriteInResult(String wamid, String phoneNumberId, String from, int webhookStatus) {}

    @PostMapping("/sandbox/customers/{phone}/messages")
    @Operation(
            summary = "A simulated customer writes in: a signed inbound webhook reaches the gateway, the window opens")
    WriteInResult writeIn(@PathVariable String phone, @RequestBody WriteInRequest request) {
        if (!phone.matches("[1-9][0-9]{6,14}")) {
            throw ApiException.invalid("phone", "phone must be digits in international form, e.g. 60123456789");
        }
        if (request.text() == null || request.text().isEmpty()) {
            throw ApiException.missing("text");
        }
        String phoneNumberId = request.phoneNumberId() == null ? settings.phoneNumberId() : request.phoneNumberId();
        Instant now = Instant.now();
        state.customerWroteIn(phoneNumberId, phone, now);
        String wamid = SandboxGraphController.wamid();
        ObjectNode message = json.createObjectNode();
        message.put("from", phone);
        message.put("id", wamid);
        message.put("timestamp", Long.toString(now.getEpochSecond()));
        message.put("type", "text");
        message.putObject("text").put("body", request.text());
        int status = webhooks.deliverInbound(
                phoneNumberId, phone, request.name() == null ? "Customer " + phone : request.name(), message);
        if (status < 200 || status >= 300) {
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    "webhook_not_accepted",
                    "the gateway's webhook answered " + status + " at " + settings.webhookUrl(),
                    null);
        }
        return new WriteInResult(wamid, phoneNumberId, phone, status);
    }

    @GetMapping("/sandbox/ledger")
    @Operation(summary = "Ground truth: how many messages the sandbox accepted, in all, per message id, per recipient")
    Map<String, Object> ledger(
            @RequestParam(required = false) String callbackData, @RequestParam(required = false) String to) {
        Map<String, Object> ledger = new LinkedHashMap<>();
        ledger.put("accepted", state.acceptedTotal());
        ledger.put("distinctMessageIds", state.distinctCallbackData());
        ledger.put("duplicatedMessageIds", state.duplicated());
        if (callbackData != null) {
            ledger.put("callbackData", callbackData);
            ledger.put("acceptedForCallbackData", state.acceptedFor(callbackData));
        }
        if (to != null) {
            ledger.put("to", to);
            ledger.put("acceptedTo", state.acceptedTo(to));
        }
        return ledger;
    }

    @GetMapping("/sandbox/messages")
    @Operation(summary = "The latest messages the sandbox accepted (newest last)")
    List<SandboxState.Accepted> messages(
            @RequestParam(required = false) String to, @RequestParam(defaultValue = "100") int limit) {
        return state.recent(to, Math.min(Math.max(limit, 1), 1000));
    }
}
