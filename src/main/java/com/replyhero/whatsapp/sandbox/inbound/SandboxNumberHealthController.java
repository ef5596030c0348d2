package com.replyhero.whatsapp.sandbox.inbound;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A number's quality and messaging limit tier changed on demand, as Meta reports it: the signed
 * {@code phone_number_quality_update} webhook, naming the account and the number's display phone number.
 */
@RestController
@Conditional(SandboxEnabled.class)
@Tag(name = "Sandbox", description = "The built-in stand-in for Meta's Cloud API (only while it is the upstream)")
class SandboxNumberHealthController {

    /** Meta's messaging limit tiers, lowest first. */
    static final List<String> TIERS =
            List.of("TIER_50", "TIER_250", "TIER_1K", "TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED");

    private static final List<String> EVENTS =
            List.of("FLAGGED", "UNFLAGGED", "UPGRADE", "DOWNGRADE", "ONBOARDING", "THROUGHPUT_UPGRADE");

    /**
     * {@code qualityRating} RED (posted as FLAGGED) or GREEN (UNFLAGGED); {@code messagingLimit} a tier (posted as
     * UPGRADE or DOWNGRADE from the number's last one); or Meta's {@code event} itself. {@code wabaId}: the account
     * the webhook names (the sandbox's own when left out).
     */
    record QualityChange(String wabaId, String qualityRating, String messagingLimit, String event) {}

    private final SandboxAccount account;
    private final SandboxWebhooks webhooks;
    private final JsonMapper json;
    private final Map<String, String> tiers = new ConcurrentHashMap<>();

    SandboxNumberHealthController(SandboxAccount account, SandboxWebhooks webhooks, JsonMapper json) {
        this.account = account;
        this.webhooks = webhooks;
        this.json = json;
    }

    @PostMapping("/sandbox/numbers/{phoneNumberId}/quality")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(
            summary = "Change a number's quality rating or messaging limit tier: posts Meta's signed"
                    + " phone_number_quality_update webhook",
            description = "{\"qualityRating\": \"RED\"} (event FLAGGED) or \"GREEN\" (UNFLAGGED);"
                    + " {\"messagingLimit\": \"TIER_10K\"} (UPGRADE or DOWNGRADE from the number's last tier); or"
                    + " Meta's \"event\" itself. \"wabaId\": the account the webhook names (the sandbox's own when"
                    + " left out). Answers the webhook's value.")
    ObjectNode change(@PathVariable String phoneNumberId, @RequestBody QualityChange change) {
        String limit = upper(change.messagingLimit());
        if (limit != null && !TIERS.contains(limit)) {
            throw SandboxException.invalid("messagingLimit", "messagingLimit must be one of " + TIERS);
        }
        String event = upper(change.event());
        if (event != null && !EVENTS.contains(event)) {
            throw SandboxException.invalid("event", "event must be one of " + EVENTS);
        }
        String quality = upper(change.qualityRating());
        if (event == null && quality != null) {
            event = switch (quality) {
                case "RED" -> "FLAGGED";
                case "GREEN" -> "UNFLAGGED";
                default -> throw SandboxException.invalid("qualityRating", "qualityRating must be RED or GREEN");
            };
        }
        if (event == null && limit != null) {
            String was = tiers.getOrDefault(phoneNumberId, "TIER_1K");
            event = TIERS.indexOf(limit) >= TIERS.indexOf(was) ? "UPGRADE" : "DOWNGRADE";
        }
        if (event == null) {
            throw SandboxException.missing("qualityRating");
        }
        if (limit != null) {
            tiers.put(phoneNumberId, limit);
        }
        ObjectNode value = json.createObjectNode();
        value.put("display_phone_number", account.displayPhoneNumber(phoneNumberId));
        value.put("event", event);
        value.put("current_limit", tiers.getOrDefault(phoneNumberId, "TIER_1K"));
        String wabaId = change.wabaId() == null || change.wabaId().isBlank() ? account.wabaId() : change.wabaId();
        webhooks.postAccountChange(wabaId, "phone_number_quality_update", value);
        return value;
    }

    private static String upper(String value) {
        return value == null || value.isBlank() ? null : value.trim().toUpperCase(Locale.ROOT);
    }
}
