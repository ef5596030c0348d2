package com.replyhero.whatsapp.channels;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.ChannelHealth;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The org's WhatsApp numbers as its backend sees them: which {@code channelId} to send from. Operators add and change
 * them ({@code /admin/orgs/{orgId}/channels}); an org's key never sees a token, not even its last characters.
 */
@RestController
@Tag(name = "Channels", description = "The org's WhatsApp numbers")
@SecurityRequirement(name = "apiKey")
class ChannelController {

    private final Orgs orgs;
    private final AccountEvents accountEvents;

    ChannelController(Orgs orgs, AccountEvents accountEvents) {
        this.orgs = orgs;
        this.accountEvents = accountEvents;
    }

    /** A channel as the org sees it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChannelView(
            String id,
            String name,
            String phoneNumberId,
            String wabaId,
            int throughputPerSecond,
            @JsonProperty("default") boolean isDefault,

            @Schema(description = "The number's quality rating and messaging limit tier as Meta last reported them")
            ChannelHealth health) {
        static ChannelView of(Channel c, ChannelHealth health) {
            return new ChannelView(
                    c.id(), c.name(), c.phoneNumberId(), c.wabaId(), c.throughputPerSecond(), c.isDefault(), health);
        }
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/channels")
    @Operation(
            summary = "The org's WhatsApp numbers, the default first",
            description = "A send or template send names one by channelId; without it, it goes out from the default."
                    + " health: the number's quality rating (GREEN, YELLOW, RED), the event of Meta's that said so"
                    + " and its messaging limit tier, from Meta's phone_number_quality_update webhooks.")
    Page<ChannelView> list(Caller caller) {
        Map<String, ChannelHealth> health = orgs.health(caller.orgId());
        return Page.of(orgs.channels(caller.orgId()).stream()
                .map(c -> ChannelView.of(c, health.getOrDefault(c.id(), ChannelHealth.UNKNOWN)))
                .toList());
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/channels/{channelId}")
    @Operation(summary = "One of the org's WhatsApp numbers, with its quality rating and messaging limit tier")
    ChannelView get(Caller caller, @PathVariable String channelId) {
        return orgs.channel(caller.orgId(), channelId)
                .map(c -> ChannelView.of(c, orgs.health(caller.orgId(), c.id())))
                .orElseThrow(() -> Channel.notFound("channelId"));
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/account-events")
    @Operation(
            summary = "Meta's webhooks about the org's numbers and account, newest first",
            description = "phone_number_quality_update (channelId: the number), account_update and account_alerts"
                    + " (channelId when an alert names one of the org's numbers), with Meta's event (or alert type)"
                    + " and Meta's value as it came. limit: 1 to 500, default 50; cursor: the nextCursor of the"
                    + " page before.")
    Page<AccountEvents.AccountEvent> accountEvents(
            Caller caller,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int size = Page.limit(limit, 50, 500);
        List<AccountEvents.AccountEvent> rows = accountEvents.latest(caller.orgId(), Page.idCursor(cursor), size + 1);
        if (rows.size() > size) {
            List<AccountEvents.AccountEvent> page = rows.subList(0, size);
            return new Page<>(page, page.getLast().id());
        }
        return Page.of(rows);
    }
}
