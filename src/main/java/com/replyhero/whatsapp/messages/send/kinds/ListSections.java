package com.replyhero.whatsapp.messages.send.kinds;

import com.replyhero.whatsapp.web.ApiException;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The action of an interactive {@code list} message: the {@code button} that opens the list (at most 20
 * characters) and 1 to 10 {@code sections} of at most 10 rows in all; a section's {@code title} (at most 24) is
 * required when there is more than one; each row has a unique {@code id} (at most 200), a {@code title} (24) and
 * optionally a {@code description} (72). Meta's rules.
 */
final class ListSections {

    static final int MAX_BUTTON = 20;
    static final int MAX_SECTIONS = 10;
    static final int MAX_ROWS = 10;
    static final int MAX_SECTION_TITLE = 24;
    static final int MAX_ROW_ID = 200;
    static final int MAX_ROW_TITLE = 24;
    static final int MAX_ROW_DESCRIPTION = 72;

    private ListSections() {}

    static ObjectNode action(ObjectNode action, String field) {
        Fields.only(action, field, Set.of("button", "sections"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("button", Fields.text(action.get("button"), field + ".button", MAX_BUTTON));
        ArrayNode sections = Fields.array(action.get("sections"), field + ".sections", 1, MAX_SECTIONS);
        ArrayNode outSections = out.putArray("sections");
        Set<String> ids = new HashSet<>();
        int rowsInAll = 0;
        for (int s = 0; s < sections.size(); s++) {
            String at = field + ".sections[" + s + "]";
            ObjectNode section = Fields.object(sections.get(s), at);
            Fields.only(section, at, Set.of("title", "rows"));
            ObjectNode outSection = outSections.addObject();
            String title = sections.size() > 1
                    ? Fields.text(section.get("title"), at + ".title", MAX_SECTION_TITLE)
                    : Fields.optionalText(section.get("title"), at + ".title", MAX_SECTION_TITLE);
            if (title != null) {
                outSection.put("title", title);
            }
            ArrayNode rows = Fields.array(section.get("rows"), at + ".rows", 1, MAX_ROWS);
            ArrayNode outRows = outSection.putArray("rows");
            for (int r = 0; r < rows.size(); r++) {
                String rowAt = at + ".rows[" + r + "]";
                rowsInAll++;
                if (rowsInAll > MAX_ROWS) {
                    throw ApiException.invalid(
                            rowAt, field + ".sections may have at most " + MAX_ROWS + " rows in all");
                }
                ObjectNode row = Fields.object(rows.get(r), rowAt);
                Fields.only(row, rowAt, Set.of("id", "title", "description"));
                String id = Fields.text(row.get("id"), rowAt + ".id", MAX_ROW_ID);
                if (!ids.add(id)) {
                    throw ApiException.invalid(rowAt + ".id", rowAt + ".id repeats another row's id");
                }
                ObjectNode outRow = outRows.addObject();
                outRow.put("id", id);
                outRow.put("title", Fields.text(row.get("title"), rowAt + ".title", MAX_ROW_TITLE));
                Fields.copyOptional(row, outRow, "description", rowAt, MAX_ROW_DESCRIPTION);
            }
        }
        return out;
    }
}
