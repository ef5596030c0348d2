package com.replyhero.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Who may touch what: a table is read and written only by the feature that owns it (the others call its public
 * classes), and a lower feature never depends on a higher one. Read from the sources, as a reviewer would.
 */
class FeatureBoundariesTest {

    private static final Path FEATURES = Path.of("src/main/java/com/replyhero/whatsapp");

    /** Table, then the feature (top-level package) that owns it. */
    private static final Map<String, String> OWNERS = Map.of(
            "messages", "messages",
            "pending_statuses", "messages",
            "customers", "customers",
            "media", "media",
            "media_downloads", "media");

    private static final Pattern STATEMENT = Pattern.compile(
            "\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|FROM|JOIN)\\s+(messages|pending_statuses|customers|media_downloads|media)\\b");

    @Test
    void onlyTheFeatureThatOwnsATableReadsOrWritesIt() throws IOException {
        List<String> trespasses = new ArrayList<>();

        for (Path file : sources()) {
            String feature = featureOf(file);
            String source = Files.readString(file);
            Matcher statement = STATEMENT.matcher(source);
            while (statement.find()) {
                String owner = OWNERS.get(statement.group(2));
                if (!owner.equals(feature)) {
                    trespasses.add(where(file, source, statement.start()) + ": " + statement.group() + " (owned by "
                            + owner + ")");
                }
            }
        }

        assertThat(trespasses).as("SQL on another feature's tables").isEmpty();
    }

    @Test
    void mediaNeverDependsOnMessages() throws IOException {
        List<String> imports = new ArrayList<>();

        for (Path file : sources()) {
            String source = Files.readString(file);
            Matcher use = Pattern.compile("com\\.replyhero\\.whatsapp\\.messages\\.\\w+")
                    .matcher(source);
            while (featureOf(file).equals("media") && use.find()) {
                imports.add(where(file, source, use.start()) + ": " + use.group());
            }
        }

        // messages stores what customers send and hands their media to media, never the other way round
        assertThat(imports).as("media using messages").isEmpty();
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(FEATURES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String featureOf(Path file) {
        Path relative = FEATURES.relativize(file);
        return relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
    }

    private static String where(Path file, String source, int offset) {
        long line = source.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
        return FEATURES.relativize(file) + ":" + line;
    }
}
