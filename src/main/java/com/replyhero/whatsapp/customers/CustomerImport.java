package com.replyhero.whatsapp.customers;

import com.replyhero.whatsapp.web.ApiException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * A CSV of customers, read as it streams: a header row, then one customer a row. Columns: {@code phone} (required:
 * any spelling of an international number, kept as E.164 digits), {@code name}, {@code tags} (separated by
 * {@code ;}), and any other column an attribute of that name. Each row is checked on its own: a bad one is reported
 * (line, field, why) and left out, the others are stored, in batches, in one transaction (a file that stops being
 * CSV half-way stores nothing). Importing the same file again changes nothing.
 */
@Service
class CustomerImport {

    /** What an import did: rows read, customers created and updated, rows refused (the first 100 with why). */
    record Report(long rows, long created, long updated, long refused, List<RefusedRow> errors) {}

    /** A refused row: its line in the file (the header is line 1), the field, and why. */
    record RefusedRow(long line, String field, String message) {}

    static final int BATCH = 500;
    static final int ERRORS_SHOWN = 100;
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvReadFeature.TRIM_SPACES)
            .enable(CsvReadFeature.FAIL_ON_MISSING_HEADER_COLUMNS)
            .build();

    private final Customers customers;
    private final TransactionTemplate transaction;

    CustomerImport(Customers customers, TransactionTemplate transaction) {
        this.customers = customers;
        this.transaction = transaction;
    }

    Report read(String orgId, InputStream csv) {
        return transaction.execute(status -> {
            try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(csv)) {
                return importRows(orgId, rows);
            } catch (JacksonException e) {
                throw ApiException.invalid(
                        "body",
                        "the body is not CSV with a header row (" + e.getOriginalMessage() + "); nothing was stored");
            }
        });
    }

    private Report importRows(String orgId, MappingIterator<Map<String, String>> rows) {
        long line = 1;
        long read = 0;
        long created = 0;
        long updated = 0;
        long refused = 0;
        List<RefusedRow> errors = new ArrayList<>();
        List<Customers.Imported> batch = new ArrayList<>(BATCH);
        boolean checkedHeader = false;
        while (rows.hasNextValue()) {
            Map<String, String> row = rows.nextValue();
            line++;
            if (!checkedHeader) {
                checkHeader(rows.parser().getSchema() instanceof CsvSchema schema ? schema : null, row);
                checkedHeader = true;
            }
            if (row.values().stream().allMatch(v -> v == null || v.isBlank())) {
                continue; // an empty line
            }
            read++;
            try {
                batch.add(customer(row));
            } catch (ApiException e) {
                refused++;
                if (errors.size() < ERRORS_SHOWN) {
                    errors.add(new RefusedRow(line, e.field(), e.getMessage()));
                }
            }
            if (batch.size() == BATCH) {
                Customers.ImportCounts counts = customers.upsert(orgId, batch);
                created += counts.created();
                updated += counts.updated();
                batch.clear();
            }
        }
        if (!checkedHeader) {
            throw ApiException.invalid(
                    "body", "the CSV has no customer rows: a header row with phone, then a row each");
        }
        Customers.ImportCounts counts = customers.upsert(orgId, batch);
        return new Report(read, created + counts.created(), updated + counts.updated(), refused, errors);
    }

    /** The header names the columns: phone is required, and every other one is name, tags or an attribute's name. */
    private static void checkHeader(CsvSchema schema, Map<String, String> first) {
        List<String> columns = schema == null ? List.copyOf(first.keySet()) : schema.getColumnNames();
        if (!columns.contains("phone")) {
            throw ApiException.invalid(
                    "body", "the CSV's header row must have a phone column (then name, tags, attributes)");
        }
        for (String column : columns) {
            if (!List.of("phone", "name", "tags").contains(column)
                    && !ATTRIBUTE.matcher(column).matches()) {
                throw ApiException.invalid(
                        "body",
                        "column \"" + column + "\" is neither phone, name nor tags, and no attribute name (1 to 64"
                                + " letters, digits or _); nothing was stored");
            }
        }
    }

    private static Customers.Imported customer(Map<String, String> row) {
        String phone = Phone.normalize(row.get("phone"), "phone");
        String name = row.get("name") == null || row.get("name").isBlank()
                ? null
                : row.get("name").strip();
        if (name != null && name.length() > 200) {
            throw ApiException.invalid("name", "name must be at most 200 characters");
        }
        List<String> tags = row.get("tags") == null || row.get("tags").isBlank()
                ? List.of()
                : Traits.tags(
                        Arrays.stream(row.get("tags").split(";"))
                                .map(String::strip)
                                .filter(t -> !t.isEmpty())
                                .toList(),
                        "tags");
        Map<String, String> attributes = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            if (!List.of("phone", "name", "tags").contains(column) && value != null && !value.isBlank()) {
                attributes.put(column, value);
            }
        });
        return new Customers.Imported(phone, name, tags, Traits.attributes(attributes, "attributes", false));
    }
}
