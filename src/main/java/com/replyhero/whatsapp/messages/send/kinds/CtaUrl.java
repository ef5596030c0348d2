package com.replyhero.whatsapp.messages.send.kinds;

import com.replyhero.whatsapp.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The action of an interactive {@code cta_url} message: {@code name} {@code cta_url} and {@code parameters} with
 * the button's {@code display_text} (at most 20 characters) and the http(s) {@code url} it opens.
 */
final class CtaUrl {

    static final int MAX_DISPLAY_TEXT = 20;
    static final int MAX_URL = 2000;

    private CtaUrl() {}

    static ObjectNode action(ObjectNode action, String field) {
        Fields.only(action, field, Set.of("name", "parameters"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("name", Fields.exactly(action.get("name"), field + ".name", "cta_url"));
        String at = field + ".parameters";
        ObjectNode parameters = Fields.object(action.get("parameters"), at);
        Fields.only(parameters, at, Set.of("display_text", "url"));
        ObjectNode outParameters = out.putObject("parameters");
        outParameters.put(
                "display_text", Fields.text(parameters.get("display_text"), at + ".display_text", MAX_DISPLAY_TEXT));
        outParameters.put("url", url(Fields.text(parameters.get("url"), at + ".url", MAX_URL), at + ".url"));
        return out;
    }

    private static String url(String url, String field) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw ApiException.invalid(field, field + " must be an http or https URL");
    }
}
