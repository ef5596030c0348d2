package com.replyhero.whatsapp.templates;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A template of the org as the gateway's registry holds it, mirroring Meta: its status ({@code PENDING},
 * {@code APPROVED}, {@code REJECTED} with Meta's {@code reason}, {@code PAUSED}, {@code DISABLED}, ...), quality score
 * and Meta's id; only an {@code APPROVED} template can be sent.
 */
@Schema(description = "A template of the org, mirroring Meta: status, a rejection's reason, quality score, Meta's id")
public record TemplateRecord(
        String name,
        String language,

        @Schema(description = "PENDING, APPROVED, REJECTED, PAUSED, DISABLED (Meta's); only APPROVED can be sent")
        String status,

        @Schema(description = "Meta's reason for a rejection (e.g. INVALID_FORMAT), or null")
        String reason,

        String category,

        @Schema(description = "Meta's quality score: GREEN, YELLOW, RED, UNKNOWN; null before Meta rated it")
        String qualityScore,

        @Schema(description = "Meta's id of the template (hsm_id)")
        String metaId,

        @Schema(description = "The channel whose WhatsApp Business Account holds it; null: the org's default")
        String channelId,

        JsonNode components,
        String headerFormat,
        int headerParameters,
        int bodyParameters,
        List<TemplateAdminController.ButtonView> buttons,

        @Schema(description = "created (through the gateway), synced (from Meta) or registered (by an operator)")
        String source,

        Instant updatedAt) {

    static TemplateRecord of(
            Template t, String metaId, String channelId, String reason, String qualityScore, Instant updatedAt) {
        return new TemplateRecord(
                t.name(),
                t.language(),
                t.status(),
                reason,
                t.category(),
                qualityScore,
                metaId,
                channelId,
                t.components(),
                t.headerFormat(),
                t.headerParams(),
                t.bodyParams(),
                t.buttons().stream().map(TemplateAdminController.ButtonView::of).toList(),
                t.source(),
                updatedAt);
    }
}
