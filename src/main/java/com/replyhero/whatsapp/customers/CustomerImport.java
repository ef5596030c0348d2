package com.replyhero.whatsapp.customers;

import com.replyhero.whatsapp.web.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * A CSV of customers: a header row, then one customer a row. Columns: {@code phone} (required: any spelling of an
 * international number, kept as E.164 digits), {@code name}, {@code tags} (separated by {@code ;}), and any other
 * column an attribute of that name. The body is first copied to a temporary file as it arrives (a slow client holds
 * no database connection), read once to check it (a file that stops being CSV half-way stores nothing), then read
 * again into the database in batches of {@value #BATCH} rows, each its own short transaction (rows sorted by number,
 * so that concurrent imports never deadlock). Each row is checked on its own: a bad one is reported (its line, the
 * field, why) and left out. Importing the same file again changes nothing, and completes an import a failure cut.
 */
@Service
class CustomerImport {

    /** What an import did: rows read, customers created and updated, rows refused (the first 100 with why). */
    record Report(long rows, long created, long updated, long refused, List<RefusedRow> errors) {}

    /** A refused row: the line of the file it starts on (the header is line 1), the field, and why. */
    record RefusedRow(long line, String field, String message) {}

    static final int BATCH = 500;
    static final int ERRORS_SHOWN = 100;
    private static final Set<String> NAMED_COLUMNS = Set.of("phone", "name", "tags");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_]{1,64}");
    /** Control characters PostgreSQL's text cannot hold (NUL) or no name or tag should (others but tab). */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

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

    /** Imports the CSV {@code body} in {@code charset} (null: UTF-8). */
    Report read(String orgId, InputStream body, String charset) throws IOException {
        Charset encoding = charset(charset);
        Path spooled = Files.createTempFile("rh-customer-import-", ".csv");
        try {
            try (var out = Files.newOutputStream(spooled)) {
                body.transferTo(out); // a body above rh.limits.customer-import-body stops here: 413
            }
            pass(spooled, encoding, row -> {}); // the whole file is CSV, before anything is stored
            Importer importer = new Importer(orgId);
            pass(spooled, encoding, importer::add);
            return importer.finish();
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    private static Charset charset(String name) {
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ApiException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "charset " + name + " is not one the gateway reads; send the CSV as UTF-8",
                    "Content-Type");
        }
    }

    /** A data row and the line of the file it starts on. */
    private record Row(long line, Map<String, String> values) {}

    private interface RowHandler {
        void handle(Row row);
    }

    /** Reads the spooled file from the start, row by row; 400 when it is not CSV with a good header. */
    private static void pass(Path file, Charset charset, RowHandler handler) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader reader = withoutBom(new InputStreamReader(Files.newInputStream(file), decoder));
                MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class)
                        .with(CsvSchema.emptySchema().withHeader())
                        .readValues(reader)) {
            boolean checkedHeader = false;
            while (rows.hasNextValue()) {
                Map<String, String> values = rows.nextValue();
                // read, the row's last token stands where the row starts (a quoted field may span lines)
                long line = rows.parser().currentTokenLocation().getLineNr();
                if (!checkedHeader) {
                    checkHeader(file, charset);
                    checkedHeader = true;
                }
                if (values.values().stream().allMatch(v -> v == null || v.isBlank())) {
                    continue; // an empty line
                }
                handler.handle(new Row(line, values));
            }
            if (!checkedHeader) {
                throw ApiException.invalid(
                        "body", "the CSV has no customer rows: a header row with phone, then a row each");
            }
        } catch (JacksonException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.nio.charset.CharacterCodingException) {
                    throw notText(charset);
                }
            }
            throw ApiException.invalid(
                    "body",
                    "the body is not CSV with a header row (" + e.getOriginalMessage() + "); nothing was stored");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw notText(charset);
        } catch (IOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw notText(charset);
            }
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ApiException notText(Charset charset) {
        return ApiException.invalid(
                "body",
                "the body is not text in " + charset.name() + " (the charset of its Content-Type, or UTF-8);"
                        + " nothing was stored");
    }

    /** The reader past a byte order mark (Excel's "CSV UTF-8" starts with one). */
    private static Reader withoutBom(Reader reader) throws IOException {
        java.io.PushbackReader pushback = new java.io.PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /**
     * The header names the columns, each once: phone is required, and every other one is name, tags or an attribute's
     * name. Read on its own, as written (the map of a row would hide a column named twice).
     */
    private static void checkHeader(Path file, Charset charset) throws IOException {
        List<String> columns;
        try (Reader reader = withoutBom(Files.newBufferedReader(file, charset));
                MappingIterator<List<String>> lines = CSV.readerForListOf(String.class)
                        .with(CsvSchema.emptySchema())
                        .with(CsvReadFeature.WRAP_AS_ARRAY)
                        .readValues(reader)) {
            columns = lines.hasNextValue() ? lines.nextValue() : List.of();
        }
        if (!columns.contains("phone")) {
            throw ApiException.invalid(
                    "body", "the CSV's header row must have a phone column (then name, tags, attributes)");
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (!NAMED_COLUMNS.contains(column) && !ATTRIBUTE.matcher(column).matches()) {
                throw ApiException.invalid(
                        "body",
                        "column \"" + column + "\" is neither phone, name nor tags, and no attribute name (1 to 64"
                                + " letters, digits or _); nothing was stored");
            }
            if (!seen.add(column)) {
                throw ApiException.invalid(
                        "body", "column \"" + column + "\" is in the header row twice; nothing was stored");
            }
        }
    }

    /** Stores the good rows of one import in batches, and counts and reports the rest. */
    private final class Importer {

        final String orgId;
        long read;
        long created;
        long updated;
        long refused;
        final List<RefusedRow> errors = new ArrayList<>();
        final Map<String, Long> lines = new LinkedHashMap<>();
        final List<Customers.Imported> batch = new ArrayList<>(BATCH);

        Importer(String orgId) {
            this.orgId = orgId;
        }

        void add(Row row) {
            read++;
            try {
                Customers.Imported customer = customer(row.values());
                batch.add(customer);
                lines.put(customer.phone(), row.line());
            } catch (ApiException e) {
                refuse(row.line(), e.field(), e.getMessage());
            }
            if (batch.size() == BATCH) {
                store();
            }
        }

        Report finish() {
            store();
            return new Report(read, created, updated, refused, errors);
        }

        private void refuse(long line, String field, String message) {
            refused++;
            if (errors.size() < ERRORS_SHOWN) {
                errors.add(new RefusedRow(line, field, message));
            }
        }

        private void store() {
            if (batch.isEmpty()) {
                return;
            }
            // in the order of their numbers, so that concurrent imports of the same customers lock them in one
            // order (no deadlock); each batch its own short transaction: no row stays locked for the whole file
            batch.sort(Comparator.comparing(Customers.Imported::phone));
            Customers.ImportResult result = transaction.execute(tx -> customers.upsert(orgId, batch));
            created += result.created();
            updated += result.updated();
            // a number twice in the batch is merged into one row: the rows after its first updated that customer
            updated += batch.size()
                    - batch.stream().map(Customers.Imported::phone).distinct().count();
            for (String phone : result.overLimit()) {
                Customers.Imported row = batch.stream()
                        .filter(r -> r.phone().equals(phone))
                        .reduce((a, b) -> b)
                        .orElseThrow();
                Customer known = customers.findByPhone(orgId, phone).orElse(null);
                java.util.Set<String> tags = new java.util.HashSet<>(row.tags());
                if (known != null) {
                    tags.addAll(known.tags());
                }
                boolean tooManyTags = tags.size() > Traits.MAX_TAGS;
                refuse(
                        lines.getOrDefault(phone, 0L),
                        tooManyTags ? "tags" : "attributes",
                        "the customer " + phone + " would have more than "
                                + (tooManyTags ? Traits.MAX_TAGS + " tags" : Traits.MAX_ATTRIBUTES + " attributes")
                                + " with this row's; the row was left out");
            }
            batch.clear();
            lines.clear();
        }
    }

    private static Customers.Imported customer(Map<String, String> row) {
        row.forEach((column, value) -> {
            if (value != null && CONTROL.matcher(value).find()) {
                throw ApiException.invalid(column, column + " holds a control character (such as NUL)");
            }
        });
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
            if (!NAMED_COLUMNS.contains(column) && value != null && !value.isBlank()) {
                attributes.put(column, value);
            }
        });
        return new Customers.Imported(phone, name, tags, Traits.attributes(attributes, "attributes", false));
    }
}
