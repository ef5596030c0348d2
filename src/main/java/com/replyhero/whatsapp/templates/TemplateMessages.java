package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.templates.TemplateSendRequest.Component;
import com.replyhero.whatsapp.templates.TemplateSendRequest.Location;
import com.replyhero.whatsapp.templates.TemplateSendRequest.Media;
import com.replyhero.whatsapp.templates.TemplateSendRequest.Parameter;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of a template send, checked before anything is stored or sent: component and parameter types,
 * text limits (header 60; body 1024 beside other components, 32768 alone: Meta's limit, where the seed
 * says 36768), media and location only in the header, media by exactly one of {@code id} / {@code link},
 * buttons by {@code sub_type} and {@code index} with one parameter each (a quick reply's {@code payload}, a URL's
 * suffix, a copy-code button's {@code coupon_code} of at most 15 characters), and the template's own shape
 * (header format, parameter counts, which of its buttons take a parameter).
 */
final class TemplateMessages {

    static final int HEADER_TEXT = 60;
    static final int BODY_TEXT_WITH_OTHERS = 1024;
    static final int BODY_TEXT_ALONE = 32768;
    /** Meta documents no limit for a quick reply's payload; the gateway keeps it to a reply button id's. */
    static final int PAYLOAD = 256;
    /** Meta's limit for a copy-code button's coupon code (and a one-time password). */
    static final int COUPON_CODE = 15;
    /** Meta's limit for a URL button's URL, the suffix included. */
    static final int URL = 2000;

    static final int MAX_BUTTONS = 10;
    private static final Set<String> MEDIA = Set.of("image", "document", "video");
    private static final Map<String, String> BUTTON_PARAMETERS =
            Map.of("quick_reply", "payload", "url", "text", "copy_code", "coupon_code");

    private TemplateMessages() {}

    /** A checked request: the Meta {@code template} object to send and the media ids it names. */
    record Checked(ObjectNode template, List<String> mediaIds, List<Component> components) {}

    /** Checks the components on their own (types, limits, media, buttons); the template is checked later. */
    static List<Component> checkComponents(List<Component> components) {
        if (components == null) {
            throw ApiException.missing("components");
        }
        Set<String> seen = new java.util.HashSet<>();
        Set<Integer> buttonIndexes = new java.util.HashSet<>();
        for (int c = 0; c < components.size(); c++) {
            Component component = components.get(c);
            String field = "components[" + c + "]";
            if (component == null) {
                throw ApiException.invalid(field, field + " must be an object");
            }
            String type = Require.text(component.type(), field + ".type", 20).toLowerCase(Locale.ROOT);
            if (!type.equals("header") && !type.equals("body") && !type.equals("button")) {
                throw ApiException.invalid(
                        field + ".type",
                        field + ".type must be header, body or button"
                                + (type.equals("footer")
                                        ? " (a footer takes no parameters: it is sent as the template defines it)"
                                        : ""));
            }
            if (type.equals("button")) {
                if (!buttonIndexes.add(buttonIndex(component, field))) {
                    throw ApiException.invalid(field + ".index", "only one button component per index is allowed");
                }
            } else if (!seen.add(type)) {
                throw ApiException.invalid(field + ".type", "only one " + type + " component is allowed");
            } else if (component.subType() != null || component.index() != null) {
                throw ApiException.invalid(
                        field + (component.subType() != null ? ".sub_type" : ".index"),
                        "only a button component has a sub_type and an index");
            }
            if (component.parameters() == null) {
                throw ApiException.missing(field + ".parameters");
            }
        }
        boolean bodyAlone = seen.equals(Set.of("body")) && buttonIndexes.isEmpty();
        for (int c = 0; c < components.size(); c++) {
            Component component = components.get(c);
            String type = component.type().toLowerCase(Locale.ROOT);
            if (type.equals("button")) {
                checkButton(component, "components[" + c + "]");
                continue;
            }
            for (int p = 0; p < component.parameters().size(); p++) {
                checkParameter(
                        component.parameters().get(p), type, bodyAlone, "components[" + c + "].parameters[" + p + "]");
            }
        }
        return components;
    }

    /** A button's index, 0 to 9, as Meta takes it (a string of digits; a JSON number is read as one). */
    private static int buttonIndex(Component button, String field) {
        String index = Require.text(button.index(), field + ".index", 2);
        if (!index.matches("[0-9]") || Integer.parseInt(index) >= MAX_BUTTONS) {
            throw ApiException.invalid(
                    field + ".index", field + ".index must be the button's index in the template, 0 to 9");
        }
        return Integer.parseInt(index);
    }

    /** One parameter of the sub_type's kind: a quick reply's payload, a URL's suffix, a coupon code. */
    private static void checkButton(Component button, String field) {
        String subType = Require.text(button.subType(), field + ".sub_type", 20);
        String parameterType = BUTTON_PARAMETERS.get(subType);
        if (parameterType == null) {
            throw ApiException.invalid(
                    field + ".sub_type",
                    field + ".sub_type must be quick_reply, url or copy_code (a phone number button takes no"
                            + " parameters)");
        }
        if (button.parameters().size() != 1) {
            throw ApiException.invalid(
                    field + ".parameters",
                    "a " + subType + " button takes exactly one " + parameterType + " parameter");
        }
        Parameter parameter = button.parameters().getFirst();
        String p = field + ".parameters[0]";
        if (parameter == null) {
            throw ApiException.invalid(p, p + " must be an object");
        }
        if (!parameterType.equals(Require.text(parameter.type(), p + ".type", 20))) {
            throw ApiException.invalid(p + ".type", "a " + subType + " button's parameter is of type " + parameterType);
        }
        switch (subType) {
            case "quick_reply" -> Require.text(parameter.payload(), p + ".payload", PAYLOAD);
            case "url" -> Require.text(parameter.text(), p + ".text", URL);
            default -> Require.text(parameter.couponCode(), p + ".coupon_code", COUPON_CODE);
        }
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
        if (!MEDIA.contains(type) && !type.equals("location")) {
            throw ApiException.invalid(
                    field + ".type", field + ".type must be one of text, image, document, video, location");
        }
        if (!component.equals("header")) {
            throw ApiException.invalid(
                    field + ".type",
                    "only the header component supports image, document, video and location parameters");
        }
        if (type.equals("location")) {
            checkLocation(parameter.location(), field + ".location");
            return;
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

    private static void checkLocation(Location location, String field) {
        if (location == null) {
            throw ApiException.missing(field);
        }
        degrees(location.latitude(), field + ".latitude", 90);
        degrees(location.longitude(), field + ".longitude", 180);
        Require.optional(location.name(), field + ".name", 1000);
        Require.optional(location.address(), field + ".address", 1000);
    }

    private static void degrees(String value, String field, int bound) {
        String text = Require.text(value, field, 32).strip();
        // decimal degrees only, as a location message takes them (no 0x1p3, 45f, NaN or 1e2 Java would read)
        if (!text.matches("[-+]?[0-9]{1,3}(\\.[0-9]{1,20})?")) {
            throw ApiException.invalid(field, field + " must be a number of degrees");
        }
        double degrees = Double.parseDouble(text);
        if (!(degrees >= -bound && degrees <= bound)) {
            throw ApiException.invalid(field, field + " must be between -" + bound + " and " + bound);
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
        checkHeader(template, header);
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
        List<Component> buttons = checkButtons(template, components);

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
                if (parameter.type().equals("location")) {
                    Location location = parameter.location();
                    ObjectNode l = p.putObject("location");
                    l.put("latitude", location.latitude());
                    l.put("longitude", location.longitude());
                    if (location.name() != null) {
                        l.put("name", location.name());
                    }
                    if (location.address() != null) {
                        l.put("address", location.address());
                    }
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
        for (Component button : buttons) {
            ObjectNode c = out.addObject();
            c.put("type", "button");
            c.put("sub_type", button.subType());
            c.put("index", button.index());
            Parameter parameter = button.parameters().getFirst();
            ObjectNode p = c.putArray("parameters").addObject();
            p.put("type", parameter.type());
            switch (parameter.type()) {
                case "payload" -> p.put("payload", parameter.payload());
                case "coupon_code" -> p.put("coupon_code", parameter.couponCode());
                default -> p.put("text", parameter.text());
            }
        }
        return new Checked(meta, mediaIds, components);
    }

    /** The header's parameters: a text header's count of text ones, else one of its format (media, location). */
    private static void checkHeader(Template template, Component header) {
        String format = template.headerFormat() == null ? "TEXT" : template.headerFormat();
        int headerGiven = header == null ? 0 : header.parameters().size();
        if (!format.equals("TEXT")) {
            String type = format.toLowerCase(Locale.ROOT);
            if (headerGiven != 1 || !type.equals(header.parameters().getFirst().type())) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "template_parameters_mismatch",
                        "template " + template.name() + " needs one " + type + " parameter in its header",
                        "components");
            }
            return;
        }
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

    /**
     * Each button component names a button of the template by index, with the sub_type of that button's kind; a
     * URL button's URL stays within Meta's limit with its suffix; every button that needs a parameter has one.
     * Answers the button components in the order of their index.
     */
    private static List<Component> checkButtons(Template template, List<Component> components) {
        List<Component> given = new ArrayList<>();
        Set<Integer> indexes = new java.util.HashSet<>();
        for (int c = 0; c < components.size(); c++) {
            Component component = components.get(c);
            if (!component.type().equalsIgnoreCase("button")) {
                continue;
            }
            String field = "components[" + c + "]";
            int index = Integer.parseInt(component.index());
            if (index >= template.buttons().size()) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "template_parameters_mismatch",
                        "template " + template.name() + " (" + template.language() + ") has "
                                + template.buttons().size() + " button(s): there is no button at index " + index,
                        field + ".index");
            }
            Template.Button button = template.buttons().get(index);
            String subType = button.subType();
            if (subType == null) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "template_parameters_mismatch",
                        "the button at index " + index + " of template " + template.name() + " is a "
                                + (button.type().equals("URL") ? "URL button without a {{1}} suffix" : button.type())
                                + " button: it takes no parameters, leave its component out",
                        field + ".index");
            }
            if (!subType.equals(component.subType())) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "template_parameters_mismatch",
                        "the button at index " + index + " of template " + template.name() + " is a " + button.type()
                                + " button: its sub_type is " + subType,
                        field + ".sub_type");
            }
            if (button.type().equals("OTP")) {
                Require.text(component.parameters().getFirst().text(), field + ".parameters[0].text", COUPON_CODE);
            } else if (subType.equals("url")) {
                String url = button.url().replaceFirst("\\{\\{\\s*[A-Za-z0-9_]+\\s*}}", "");
                int room = URL - url.length();
                Require.text(
                        component.parameters().getFirst().text(), field + ".parameters[0].text", Math.max(room, 1));
            }
            indexes.add(index);
            given.add(component);
        }
        for (Template.Button button : template.buttons()) {
            if (button.needsParameter() && !indexes.contains(button.index())) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "template_parameters_mismatch",
                        "template " + template.name() + " (" + template.language() + ") has a " + button.type()
                                + " button at index " + button.index() + " that needs a parameter: add"
                                + " {\"type\": \"button\", \"sub_type\": \"" + button.subType() + "\", \"index\": \""
                                + button.index() + "\", \"parameters\": [...]}",
                        "components");
            }
        }
        given.sort(java.util.Comparator.comparingInt(b -> Integer.parseInt(b.index())));
        return given;
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
