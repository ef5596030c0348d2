package com.replyhero.whatsapp.messages.send.kinds;

import com.replyhero.whatsapp.web.ApiException;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code location} message as Meta takes it: {@code latitude} (-90..90) and {@code longitude} (-180..180), as
 * numbers or as numeric strings (Meta's own examples send strings), and optionally {@code name} and
 * {@code address}.
 */
public final class Location {

    static final String FIELD = "message.location";
    private static final Set<String> FIELDS = Set.of("latitude", "longitude", "name", "address");

    private Location() {}

    /** The checked object, in Meta's shape; 400 naming the field otherwise. */
    public static ObjectNode of(JsonNode value) {
        ObjectNode in = Fields.object(value, FIELD);
        Fields.only(in, FIELD, FIELDS);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("latitude", coordinate(in.get("latitude"), FIELD + ".latitude", 90));
        out.set("longitude", coordinate(in.get("longitude"), FIELD + ".longitude", 180));
        Fields.copyOptional(in, out, "name", FIELD, 1024);
        Fields.copyOptional(in, out, "address", FIELD, 1024);
        return out;
    }

    /** The value as given (a number, or a string of one), once it is a coordinate within ±{@code bound}. */
    static JsonNode coordinate(JsonNode value, String field, int bound) {
        if (Fields.absent(value)) {
            throw ApiException.missing(field);
        }
        double degrees;
        if (value.isNumber()) {
            degrees = value.doubleValue();
        } else if (value.isString() && value.stringValue().strip().matches("[-+]?[0-9]{1,3}(\\.[0-9]{1,20})?")) {
            degrees = Double.parseDouble(value.stringValue().strip());
        } else {
            throw ApiException.invalid(field, field + " must be a number of degrees");
        }
        if (!Double.isFinite(degrees) || degrees < -bound || degrees > bound) {
            throw ApiException.invalid(field, field + " must be between -" + bound + " and " + bound);
        }
        return value;
    }
}
