package com.replyhero.whatsapp.messages.send.kinds;

import com.replyhero.whatsapp.web.ApiException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code contacts} message as Meta takes it: an array of 1 to 257 contact cards, each with
 * {@code name.formatted_name} and optionally the rest of the name, {@code phones}, {@code emails}, {@code urls},
 * {@code addresses}, {@code org} and {@code birthday} (YYYY-MM-DD).
 */
public final class Contacts {

    static final String FIELD = "message.contacts";
    /** Meta's limit: "each message can include information for up to 257 contacts". */
    static final int MAX_CONTACTS = 257;

    private static final Set<String> CONTACT =
            Set.of("name", "phones", "emails", "urls", "addresses", "org", "birthday");
    private static final Set<String> NAME =
            Set.of("formatted_name", "first_name", "last_name", "middle_name", "suffix", "prefix");
    private static final Set<String> PHONE = Set.of("phone", "type", "wa_id");
    private static final Set<String> EMAIL = Set.of("email", "type");
    private static final Set<String> URL = Set.of("url", "type");
    private static final Set<String> ADDRESS =
            Set.of("street", "city", "state", "zip", "country", "country_code", "type");
    private static final Set<String> ORG = Set.of("company", "department", "title");

    private Contacts() {}

    /** The checked array, in Meta's shape; 400 naming the field otherwise. */
    public static ArrayNode of(JsonNode value) {
        ArrayNode in = Fields.array(value, FIELD, 1, MAX_CONTACTS);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < in.size(); i++) {
            out.add(contact(in.get(i), FIELD + "[" + i + "]"));
        }
        return out;
    }

    private static ObjectNode contact(JsonNode value, String field) {
        ObjectNode in = Fields.object(value, field);
        Fields.only(in, field, CONTACT);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (!Fields.absent(in.get("addresses"))) {
            out.set("addresses", list(in.get("addresses"), field + ".addresses", ADDRESS, null));
        }
        if (!Fields.absent(in.get("birthday"))) {
            out.put("birthday", birthday(in.get("birthday"), field + ".birthday"));
        }
        if (!Fields.absent(in.get("emails"))) {
            out.set("emails", list(in.get("emails"), field + ".emails", EMAIL, "email"));
        }
        ObjectNode name = Fields.object(in.get("name"), field + ".name");
        Fields.only(name, field + ".name", NAME);
        ObjectNode outName = out.putObject("name");
        outName.put("formatted_name", Fields.text(name.get("formatted_name"), field + ".name.formatted_name", 1024));
        for (String part : new String[] {"first_name", "last_name", "middle_name", "suffix", "prefix"}) {
            Fields.copyOptional(name, outName, part, field + ".name", 1024);
        }
        if (!Fields.absent(in.get("org"))) {
            ObjectNode org = Fields.object(in.get("org"), field + ".org");
            Fields.only(org, field + ".org", ORG);
            ObjectNode outOrg = out.putObject("org");
            for (String part : new String[] {"company", "department", "title"}) {
                Fields.copyOptional(org, outOrg, part, field + ".org", Fields.FREE_TEXT);
            }
        }
        if (!Fields.absent(in.get("phones"))) {
            ArrayNode phones = list(in.get("phones"), field + ".phones", PHONE, "phone");
            for (int i = 0; i < phones.size(); i++) {
                JsonNode waId = phones.get(i).get("wa_id");
                if (waId != null && !waId.stringValue().matches("[0-9]{6,15}")) {
                    String at = field + ".phones[" + i + "].wa_id";
                    throw ApiException.invalid(at, at + " must be a WhatsApp id: the number's digits");
                }
            }
            out.set("phones", phones);
        }
        if (!Fields.absent(in.get("urls"))) {
            out.set("urls", list(in.get("urls"), field + ".urls", URL, "url"));
        }
        return out;
    }

    /** An array of objects of string fields ({@code required} one of them, when not null). */
    private static ArrayNode list(JsonNode value, String field, Set<String> names, String required) {
        ArrayNode in = Fields.array(value, field, 1, 100);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < in.size(); i++) {
            String at = field + "[" + i + "]";
            ObjectNode item = Fields.object(in.get(i), at);
            Fields.only(item, at, names);
            if (required != null) {
                Fields.text(item.get(required), at + "." + required, Fields.FREE_TEXT);
            }
            ObjectNode copy = out.addObject();
            for (String name : item.propertyNames()) {
                Fields.copyOptional(item, copy, name, at, Fields.FREE_TEXT);
            }
        }
        return out;
    }

    private static String birthday(JsonNode value, String field) {
        String text = Fields.text(value, field, 10);
        try {
            if (text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                LocalDate.parse(text);
                return text;
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw ApiException.invalid(field, field + " must be a date as YYYY-MM-DD");
    }
}
