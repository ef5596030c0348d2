package com.replyhero.whatsapp.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The seed's template send: {@code templateName}, {@code sessionId}, {@code orgId}, {@code userId},
 * {@code components} ({@code header}, {@code body}); optional {@code language} (default: the org's) and
 * {@code customerIds} (a subset of the org's customers; default: all of them).
 */
public record TemplateSendRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "TEMPLATE_NAME")
        String templateName,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "SESSION_ID")
        String sessionId,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ORG_ID")
        String orgId,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "USER_ID")
        String userId,

        @Schema(description = "template language code, e.g. en_US; default: the org's")
        String language,

        @Schema(description = "send only to these customers of the org")
        List<String> customerIds,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Component> components,

        @Schema(description = "the org's number to send from (a channel id); default: the org's default channel")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String channelId) {

    /** {@code header} or {@code body}, with its parameters. */
    public record Component(String type, List<Parameter> parameters) {}

    /** {@code text}, or (in a header only) {@code image}, {@code document}, {@code video}. */
    public record Parameter(String type, String text, Media image, Media document, Media video) {

        Media media() {
            return switch (type == null ? "" : type) {
                case "image" -> image;
                case "document" -> document;
                case "video" -> video;
                default -> null;
            };
        }
    }

    /** Media by {@code id} (from the upload endpoint) or by {@code link}: exactly one of them. */
    public record Media(String id, String link, String caption, String filename, String provider) {}
}
