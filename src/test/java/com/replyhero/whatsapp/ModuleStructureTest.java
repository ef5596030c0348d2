package com.replyhero.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The feature packages are modules (Spring Modulith): no cycles between them, and each uses only the others'
 * public top-level types. Their documentation (C4 component diagrams in PlantUML, one canvas per module) is
 * generated from the code and committed under {@code docs/modules}.
 */
class ModuleStructureTest {

    static final Path COMMITTED = Path.of("docs/modules");
    static final Path GENERATED = Path.of("target/spring-modulith-docs");
    static final String CELL_LIST = "|* ";
    static final String LIST_ITEM = "* ";
    static final Pattern ELEMENT = Pattern.compile("\\s*\\w+\\(");
    static final String REFRESH = "./mvnw test -Dtest=ModuleStructureTest -Dmodules.refresh=true";

    final ApplicationModules modules = ApplicationModules.of(GatewayApplication.class);

    @Test
    void featuresDependOnEachOtherWithoutCyclesAndOnlyThroughTheirPublicTypes() {
        modules.detectViolations().throwIfPresent();
    }

    @Test
    void committedModuleDocumentationIsWhatTheCodeGenerates() throws IOException {
        // writeDocumentation() without writeModuleMetadata(), which would put a JSON file into target/classes and
        // so into the jar
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases()
                .writeAggregatingDocument();
        for (String name : files(GENERATED)) {
            Path file = GENERATED.resolve(name);
            Files.writeString(file, inStableOrder(Files.readString(file)));
        }

        if (Boolean.getBoolean("modules.refresh")) {
            copy(GENERATED, COMMITTED);
        }

        assertThat(differences(GENERATED, COMMITTED))
                .as("docs/modules is not what the code generates; run `%s` and commit docs/modules", REFRESH)
                .isEmpty();
    }

    /**
     * The generator lists a diagram's components and relations, and a canvas's beans and events, in an order that
     * changes from run to run: each run of lines of one kind ({@code Rel(...)}, {@code Component(...)}, the items of
     * one table cell) is sorted, so that the same code gives the same files.
     */
    static String inStableOrder(String text) {
        List<String> out = new ArrayList<>();
        List<String> run = new ArrayList<>();
        String runKind = null;
        for (String line : text.split("\n", -1)) {
            String kind;
            if (line.startsWith(CELL_LIST)) {
                kind = CELL_LIST + run.size() + out.size(); // a new cell: never the same run as the one before
            } else if (line.startsWith(LIST_ITEM) && runKind != null && runKind.startsWith(CELL_LIST)) {
                kind = runKind;
            } else {
                Matcher element = ELEMENT.matcher(line);
                kind = element.lookingAt() ? element.group() : null;
            }
            if (runKind != null && !runKind.equals(kind)) {
                out.addAll(sorted(run, runKind));
                run.clear();
            }
            runKind = kind;
            if (kind != null) {
                run.add(line);
            } else {
                out.add(line);
            }
        }
        out.addAll(sorted(run, runKind));
        return String.join("\n", out);
    }

    /** A cell's list ({@code |* a}, {@code * b}) keeps its {@code |} on the first item. */
    private static List<String> sorted(List<String> run, String kind) {
        if (kind == null || !kind.startsWith(CELL_LIST)) {
            return run.stream().sorted().toList();
        }
        List<String> items = run.stream()
                .map(line -> line.substring(line.startsWith(CELL_LIST) ? CELL_LIST.length() : LIST_ITEM.length()))
                .sorted()
                .toList();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            lines.add((i == 0 ? CELL_LIST : LIST_ITEM) + items.get(i));
        }
        return lines;
    }

    private static List<String> differences(Path generated, Path committed) throws IOException {
        Set<String> names = new TreeSet<>(files(generated));
        names.addAll(files(committed));
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            Path a = generated.resolve(name);
            Path b = committed.resolve(name);
            if (!Files.exists(a)) {
                differing.add(name + " (no longer generated)");
            } else if (!Files.exists(b)) {
                differing.add(name + " (not committed)");
            } else if (!Files.readString(a).equals(Files.readString(b))) {
                differing.add(name + " (differs)");
            }
        }
        return differing;
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String stale : files(to)) {
            Files.delete(to.resolve(stale));
        }
        files(from).forEach(name -> {
            try {
                Files.copy(from.resolve(name), to.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
