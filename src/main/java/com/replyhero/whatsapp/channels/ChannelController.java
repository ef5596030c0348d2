package com.replyhero.whatsapp.channels;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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

    ChannelController(Orgs orgs) {
        this.orgs = orgs;
    }

    /** A channel as the org sees it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChannelView(
            String id,
            String name,
            String phoneNumberId,
            String wabaId,
            int throughputPerSecond,
            @JsonProperty("default") boolean isDefault) {
        static ChannelView of(Channel c) {
            return new ChannelView(
                    c.id(), c.name(), c.phoneNumberId(), c.wabaId(), c.throughputPerSecond(), c.isDefault());
        }
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/channels")
    @Operation(
            summary = "The org's WhatsApp numbers, the default first",
            description = "A send or template send names one by channelId; without it, it goes out from the default.")
    Page<ChannelView> list(Caller caller) {
        return Page.of(
                orgs.channels(caller.orgId()).stream().map(ChannelView::of).toList());
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/channels/{channelId}")
    @Operation(summary = "One of the org's WhatsApp numbers")
    ChannelView get(Caller caller, @PathVariable String channelId) {
        return orgs.channel(caller.orgId(), channelId)
                .map(ChannelView::of)
                .orElseThrow(() -> Channel.notFound("channelId"));
    }
}
