package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.templates.TemplateSendRequest.Component;
import com.replyhero.whatsapp.templates.TemplateSendRequest.Media;
import com.replyhero.whatsapp.templates.TemplateSendRequest.Parameter;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of a template send, checked before anything is stored or sent: component and parameter types,
 * text limits (header 60; body 1024 beside other components, 32768 alone: Meta's limit, where the seed
 * says 36768), media only in the header and by exactly one of {@code id} / {@code link}, and the
 * template's own shape (header format, parameter counts).
 */
final class TemplateMessages {

    static final int HEADER_TEXT = 60;
    static final int BODY_TEXT_WITH_OTHERS = 1024;
    static final int BODY_TEXT_ALONE = 32768;
    private static final Set<String> MEDIA = Set.of("image", "document", "video");

    private TemplateMessages() {}

    /** A checked request: the Meta {@code template} object to send and the media ids it names. */
    record Checked(ObjectNode template, List<String> mediaIds, List<Component> components) {}

    /** Checks the components on their own (types, limits, media); the template is checked later. */
    static List<Component> checkComponents(List<Component> components) {
        if (components == null) {
            throw ApiException.missing("components");
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int c = 0; c < components.size(); c++) {
            Component component = components.get(c);
            String field = "components[" + c + "]";
            if (component == null) {
                throw ApiException.invalid(field, field + " must be an object");
            }
            String type = Require.text(component.type(), field + ".type", 20).toLowerCase(Locale.ROOT);
            if (!type.equals("header") && !type.equals("body")) {
                throw ApiException.invalid(field + ".type", field + ".type must be header or body");
            }
            if (!seen.add(type)) {
                throw ApiException.invalid(field + ".type", "only one " + type + " component is allowed");
            }
            if (component.parameters() == null) {
                throw ApiException.missing(field + ".parameters");
            }
        }
        boolean bodyAlone = seen.equals(Set.of("body"));
        for (int c = 0; c < components.size(); c++) {
            Component component = components.get(c);
            String type = component.type().toLowerCase(Locale.ROOT);
            for (int p = 0; p < component.parameters().size(); p++) {
                checkParameter(
                        component.parameters().get(p), type, bodyAlone, "components[" + c + "].parameters[" + p + "]");
            }
        }
        return components;
    }

    private static void checkParameter(Parameter parameter, String component, boolean bodyAlone, String field) {
        if (parameter == null) {
            throw ApiException.invalid(field, field + " must be an object");
        }
        String type = Require.text(parameter.type(), field + ".type", 20);
        if (type.equals("text")) {
            int max = component.equals("header") ? HEADER_TEXT : (bodyAlone ? BODY_TEXT_ALONE : BODY_TEXT_WITH_OTHERS);
            Require.text(parameter.text(), field + ".text", max);
            return;
        }
        if (!MEDIA.contains(type)) {
            throw ApiException.invalid(field + ".type", field + ".type must be one of text, image, document, video");
        }
        if (!component.equals("header")) {
            throw ApiException.invalid(
                    field + ".type", "only the header component supports image, document and video parameters");
        }
        Media media = parameter.media();
        if (media == null) {
            throw ApiException.missing(field + "." + type);
        }
        String mediaField = field + "." + type;
        boolean hasId = media.id() != null && !media.id().isBlank();
        boolean hasLink = media.link() != null && !media.link().isBlank();
        if (hasId == hasLink) {
            throw ApiException.invalid(mediaField, mediaField + " needs exactly one of id or link");
        }
        if (hasId) {
            Require.text(media.id(), mediaField + ".id", 200);
        } else {
            checkLink(media.link(), mediaField + ".link");
        }
        Require.optional(media.caption(), mediaField + ".caption", 1024);
        if (media.filename() != null && !type.equals("document")) {
            throw ApiException.invalid(mediaField + ".filename", "filename is only for document media");
        }
        Require.optional(media.filename(), mediaField + ".filename", 240);
        if (media.provider() != null) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "unsupported_media_provider",
                    "media providers are not supported for template parameters; use a public link or a media id",
                    mediaField + ".provider");
        }
    }

    private static void checkLink(String link, String field) {
        URI uri;
        try {
            uri = URI.create(Require.text(link, field, 2048));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + " must be an http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw ApiException.invalid(field, field + " must be an http or https URL");
        }
    }

    /** Checks the request against the template and builds Meta's {@code template} object. */
    static Checked against(Template template, List<Component> components) {
        Component header = find(components, "header");
        Component body = find(components, "body");
        String mediaType = template.headerMediaType();
        int headerGiven = header == null ? 0 : header.parameters().size();
        if (mediaType != null) {
            if (headerGiven != 1
                    || !mediaType.equals(header.parameters().getFirst().type())) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "template_parameters_mismatch",
                        "template " + template.name() + " needs one " + mediaType + " parameter in its header",
                        "components");
            }
        } else {
            if (headerGiven != template.headerParams()) {
                throw mismatch(template, "header", template.headerParams(), headerGiven);
            }
            if (header != null
                    && header.parameters().stream().anyMatch(p -> !p.type().equals("text"))) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "template_parameters_mismatch",
                        "template " + template.name() + " has a text header: its parameters are text",
                        "components");
            }
        }
        int bodyGiven = body == null ? 0 : body.parameters().size();
        if (bodyGiven != template.bodyParams()) {
            throw mismatch(template, "body", template.bodyParams(), bodyGiven);
        }
        if (body != null && template.hasOtherComponents()) {
            for (int p = 0; p < body.parameters().size(); p++) {
                String text = body.parameters().get(p).text();
                if (text != null && text.length() > BODY_TEXT_WITH_OTHERS) {
                    throw ApiException.invalid(
                            "components[" + components.indexOf(body) + "].parameters[" + p + "].text",
                            "body text must be at most " + BODY_TEXT_WITH_OTHERS
                                    + " characters when the template has other components");
                }
            }
        }

        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("name", template.name());
        meta.putObject("language").put("code", template.language());
        ArrayNode out = meta.putArray("components");
        List<String> mediaIds = new ArrayList<>();
        for (Component component : List.of(header == null ? empty() : header, body == null ? empty() : body)) {
            if (component.parameters().isEmpty()) {
                continue;
            }
            ObjectNode c = out.addObject();
            c.put("type", component.type().toLowerCase(Locale.ROOT));
            ArrayNode parameters = c.putArray("parameters");
            for (Parameter parameter : component.parameters()) {
                ObjectNode p = parameters.addObject();
                p.put("type", parameter.type());
                if (parameter.type().equals("text")) {
                    p.put("text", parameter.text());
                    continue;
                }
                Media media = parameter.media();
                ObjectNode m = p.putObject(parameter.type());
                if (media.id() != null && !media.id().isBlank()) {
                    m.put("id", media.id());
                    mediaIds.add(media.id());
                } else {
                    m.put("link", media.link());
                }
                if (media.caption() != null) {
                    m.put("caption", media.caption());
                }
                if (media.filename() != null) {
                    m.put("filename", media.filename());
                }
            }
        }
        return new Checked(meta, mediaIds, components);
    }

    private static Component empty() {
        return new Component("none", List.of());
    }

    private static Component find(List<Component> components, String type) {
        return components.stream()
                .filter(c -> c.type().equalsIgnoreCase(type))
                .findFirst()
                .orElse(null);
    }

    private static ApiException mismatch(Template template, String component, int expected, int given) {
        return new ApiException(
                HttpStatus.BAD_REQUEST,
                "template_parameters_mismatch",
                "template " + template.name() + " (" + template.language() + ") takes " + expected + " " + component
                        + " parameter(s); the request gives " + given,
                "components");
    }
}
