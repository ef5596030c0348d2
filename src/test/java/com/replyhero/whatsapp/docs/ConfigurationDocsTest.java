package com.replyhero.whatsapp.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.docs.SettingsCatalog.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The configuration table in docs/configuration.md is checked against the settings records: every {@code rh.*}
 * property is listed with the default the gateway starts with, every variable named there reaches its property, and
 * application.properties sets no default of its own. Other tables in the docs with a {@code default} column are
 * held to the same defaults.
 */
class ConfigurationDocsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String TABLE_FILE = "docs/configuration.md";

    @Test
    void theConfigurationTableListsEverySettingWithItsDefault() {
        Map<String, Setting> settings = SettingsCatalog.defaults();
        Map<String, Row> rows = rowsOf(markdown(TABLE_FILE));
        List<String> problems = new ArrayList<>();

        for (Setting setting : settings.values()) {
            Row row = rows.get(setting.name());
            if (row == null) {
                problems.add(TABLE_FILE + " does not list " + setting.name() + " (default " + shown(setting) + ")");
            } else {
                defaultProblem(TABLE_FILE, row, setting).ifPresent(problems::add);
            }
        }
        rows.keySet().stream()
                .filter(name -> name.startsWith("rh.") && !settings.containsKey(name))
                .forEach(name -> problems.add(TABLE_FILE + " lists " + name + ", which no settings record binds"));

        assertThat(problems).as("settings against %s", TABLE_FILE).isEmpty();
    }

    @Test
    void everyOtherTableOfSettingsShowsTheSameDefaults() {
        Map<String, Setting> settings = SettingsCatalog.defaults();
        List<String> problems = new ArrayList<>();

        for (MarkdownFile doc : MarkdownFile.all(ROOT)) {
            for (Row row : rowsOf(doc).values()) {
                Setting setting = settings.get(row.setting());
                if (row.setting().startsWith("rh.") && setting == null) {
                    problems.add(doc.name() + " shows a default for " + row.setting() + ", which no record binds");
                } else if (setting != null) {
                    defaultProblem(doc.name(), row, setting).ifPresent(problems::add);
                }
            }
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void applicationPropertiesSetsNoDefaultOfItsOwn() {
        Map<String, Setting> defaults = SettingsCatalog.defaults();

        Map<String, Setting> starting = SettingsCatalog.startingValues();

        List<String> problems = new ArrayList<>();
        defaults.forEach((name, setting) -> {
            Object value = starting.get(name).value();
            if (!Objects.equals(value, setting.value())) {
                problems.add("application.properties starts " + name + " at " + value + ", its record's default is "
                        + setting.value() + ": keep the default in the record");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyVariableInTheConfigurationTableReachesItsSetting() {
        Map<String, Setting> defaults = SettingsCatalog.defaults();
        List<String> problems = new ArrayList<>();

        for (Row row : rowsOf(markdown(TABLE_FILE)).values()) {
            Setting setting = defaults.get(row.setting());
            if (setting == null || row.variable().isEmpty()) {
                continue;
            }
            String sample = sampleFor(setting);
            Object bound = SettingsCatalog.underEnvironment(Map.of(row.variable(), sample))
                    .get(setting.name())
                    .value();
            if (!Objects.equals(bound, SettingsCatalog.convert(sample, setting))) {
                problems.add(
                        row.variable() + "=" + sample + " does not reach " + setting.name() + " (it is " + bound + ")");
            }
        }

        assertThat(problems).isEmpty();
    }

    /** A row of a table with a {@code default} column whose first cell names a setting. */
    record Row(String setting, String variable, String defaultCell, int line) {}

    private static Map<String, Row> rowsOf(MarkdownFile doc) {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> lines = doc.lines();
        int defaultColumn = -1;
        int variableColumn = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("|")) {
                defaultColumn = -1;
                continue;
            }
            List<String> cells = cells(line);
            boolean header = i + 1 < lines.size() && lines.get(i + 1).strip().startsWith("|---");
            if (header) {
                defaultColumn = cells.indexOf("default");
                variableColumn = cells.indexOf("variable");
                continue;
            }
            if (defaultColumn < 0 || line.startsWith("|---") || cells.size() <= defaultColumn) {
                continue;
            }
            String first = cells.getFirst();
            if (!first.startsWith("`") || !first.endsWith("`")) {
                continue;
            }
            String setting = first.substring(1, first.length() - 1);
            String variable = variableColumn >= 0 ? unquoted(cells.get(variableColumn)) : "";
            rows.put(setting, new Row(setting, variable, cells.get(defaultColumn), i + 1));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    private static String unquoted(String cell) {
        return cell.startsWith("`") && cell.indexOf('`', 1) > 0 ? cell.substring(1, cell.indexOf('`', 1)) : "";
    }

    /** The docs' default against the record's: a value in backticks, {@code empty} or {@code unset}. */
    private static java.util.Optional<String> defaultProblem(String file, Row row, Setting setting) {
        String cell = row.defaultCell();
        Object shown;
        if (cell.startsWith("`") && cell.indexOf('`', 1) > 0) {
            try {
                shown = SettingsCatalog.convert(unquoted(cell), setting);
            } catch (RuntimeException e) {
                return java.util.Optional.of(file + ":" + row.line() + " shows " + cell + " for " + setting.name()
                        + ", which is not a value of it (" + e.getMessage() + ")");
            }
        } else if (cell.startsWith("empty")) {
            shown = List.class.isAssignableFrom(setting.type().toClass()) ? List.of() : "";
        } else if (cell.startsWith("unset")) {
            shown = null;
        } else {
            return java.util.Optional.of(file + ":" + row.line() + " shows no default for " + setting.name()
                    + " (a value in backticks, empty or unset); it is " + shown(setting));
        }
        if (Objects.equals(shown, setting.value())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(file + ":" + row.line() + " shows " + cell + " as the default of " + setting.name()
                + ", the record's default is " + shown(setting));
    }

    private static String shown(Setting setting) {
        Object value = setting.value();
        if (value == null) {
            return "unset";
        }
        if (value instanceof List<?> list && list.isEmpty() || "".equals(value)) {
            return "empty";
        }
        if (value instanceof List<?> list) {
            return "`" + String.join(",", list.stream().map(String::valueOf).toList()) + "`";
        }
        if (value instanceof Duration duration) {
            return "`" + written(duration) + "`";
        }
        if (value instanceof DataSize size) {
            long bytes = size.toBytes();
            String written = bytes % (1 << 20) == 0
                    ? bytes / (1 << 20) + "MB"
                    : bytes % 1024 == 0 ? bytes / 1024 + "KB" : bytes + "B";
            return "`" + written + "`";
        }
        return "`" + value + "`";
    }

    /** As the docs write it: {@code 500ms}, {@code 20s}, {@code 15m}, {@code 25h}, {@code 30d}. */
    private static String written(Duration duration) {
        long millis = duration.toMillis();
        for (var unit : List.of(
                java.util.Map.entry("d", Duration.ofDays(1)),
                java.util.Map.entry("h", Duration.ofHours(1)),
                java.util.Map.entry("m", Duration.ofMinutes(1)),
                java.util.Map.entry("s", Duration.ofSeconds(1)))) {
            long unitMillis = unit.getValue().toMillis();
            if (millis != 0 && millis % unitMillis == 0) {
                return millis / unitMillis + unit.getKey();
            }
        }
        return millis + "ms";
    }

    private static String sampleFor(Setting setting) {
        Class<?> type = setting.type().toClass();
        if (type == boolean.class || type == Boolean.class) {
            return Boolean.TRUE.equals(setting.value()) ? "false" : "true";
        }
        if (type == int.class || type == Integer.class) {
            return "7";
        }
        if (type == double.class) {
            return "0.5";
        }
        if (type == Duration.class) {
            return "7s";
        }
        if (type == DataSize.class) {
            return "7MB";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a,b";
        }
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants())
                    .filter(constant -> !constant.equals(setting.value()))
                    .findFirst()
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(java.util.Locale.ROOT))
                    .orElseThrow();
        }
        return "from-the-environment";
    }

    private static MarkdownFile markdown(String name) {
        return MarkdownFile.read(ROOT, ROOT.resolve(name));
    }
}
