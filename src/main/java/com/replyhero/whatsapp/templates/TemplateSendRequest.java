package com.replyhero.whatsapp.templates;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The seed's template send: {@code templateName}, {@code sessionId}, {@code orgId}, {@code userId},
 * {@code components} ({@code header}, {@code body}, and one {@code button} per button that takes a parameter);
 * optional {@code language} (default: the org's) and {@code customerIds} (a subset of the org's customers; default:
 * all of them). The fields beyond the seed's are left out of the request's hash when absent, so that a seed request
 * keeps its Idempotency-Key across versions.
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
        String channelId,

        @Schema(
                description = "when to start sending (ISO-8601 with an offset, e.g. 2026-12-24T09:00:00+08:00):"
                        + " the send answers 202 with the broadcast, scheduled; default: now")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String sendAt,

        @Schema(description = "the org's number to send from, by its phone number id (instead of channelId)")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String from,

        @Schema(
                description = "who the campaign goes to instead of every customer: customers with any of tags,"
                        + " with every attribute equal, and/or these customerIds (those who opted out never)")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Audience audience,

        @JsonAnySetter @JsonInclude(JsonInclude.Include.NON_EMPTY) @Schema(hidden = true)
        Map<String, Object> unknownFields) {

    /**
     * A campaign's audience: any of {@code tags}, every one of {@code attributes}, only {@code customerIds}; at least
     * one of them (an audience that names nobody is refused, never read as everyone).
     */
    public record Audience(
            List<String> tags,
            Map<String, String> attributes,
            List<String> customerIds,

            @JsonAnySetter @JsonInclude(JsonInclude.Include.NON_EMPTY) @Schema(hidden = true)
            Map<String, Object> unknownFields) {}

    /**
     * {@code header}, {@code body} or {@code button}, with its parameters; a button names its {@code sub_type}
     * ({@code quick_reply}, {@code url}, {@code copy_code}) and its {@code index} among the template's buttons.
     */
    public record Component(
            String type,

            @JsonInclude(JsonInclude.Include.NON_NULL)
            @JsonProperty("sub_type")
            @Schema(example = "quick_reply", description = "button only: quick_reply, url or copy_code")
            String subType,

            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(example = "0", description = "button only: its index among the template's buttons, 0 to 9")
            String index,

            List<Parameter> parameters) {

        public Component(String type, List<Parameter> parameters) {
            this(type, null, null, parameters);
        }
    }

    /**
     * {@code text}; in a header only {@code image}, {@code document}, {@code video} or {@code location}; in a
     * button {@code payload} (quick reply), {@code text} (a URL's suffix) or {@code coupon_code} (copy code).
     */
    public record Parameter(
            String type,
            String text,
            Media image,
            Media document,
            Media video,
            @JsonInclude(JsonInclude.Include.NON_NULL) Location location,
            @JsonInclude(JsonInclude.Include.NON_NULL) String payload,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("coupon_code")
            String couponCode) {

        public Parameter(String type, String text, Media image, Media document, Media video) {
            this(type, text, image, document, video, null, null, null);
        }

        Media media() {
            return switch (type == null ? "" : type) {
                case "image" -> image;
                case "document" -> document;
                case "video" -> video;
                default -> null;
            };
        }
    }

    /** A location header's place: {@code latitude} and {@code longitude} (degrees), {@code name}, {@code address}. */
    public record Location(String latitude, String longitude, String name, String address) {}

    /** Media by {@code id} (from the upload endpoint) or by {@code link}: exactly one of them. */
    public record Media(String id, String link, String caption, String filename, String provider) {}
}
