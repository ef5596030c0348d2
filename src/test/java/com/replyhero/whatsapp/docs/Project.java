package com.replyhero.whatsapp.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The repository as the docs' commands use it: the Maven build (goals, properties, the jar's name), the scripts,
 * the test classes and the settings the gateway reads. A command that cannot be run inside the build (a full
 * {@code ./mvnw verify}, a benchmark) is checked against these: what it names must exist.
 */
final class Project {

    private static final Set<String> PHASES = Set.of(
            "clean",
            "validate",
            "compile",
            "test-compile",
            "test",
            "package",
            "integration-test",
            "verify",
            "install",
            "deploy",
            "site");

    private static final Set<String> MAVEN_FLAGS = Set.of(
            "-o",
            "--offline",
            "-q",
            "--quiet",
            "-B",
            "--batch-mode",
            "-ntp",
            "--no-transfer-progress",
            "-U",
            "-e",
            "-X");

    /** User properties of the plugins this build uses (surefire, failsafe, spotless) that the docs may pass. */
    private static final Set<String> PLUGIN_PROPERTIES = Set.of(
            "test",
            "it.test",
            "skipTests",
            "skipITs",
            "maven.test.skip",
            "surefire.failIfNoSpecifiedTests",
            "failsafe.failIfNoSpecifiedTests",
            "spotless.check.skip",
            "spotless.apply.skip");

    /** Spring Boot's own settings, which the gateway does not list. */
    private static final List<String> BOOT_PREFIXES =
            List.of("server.", "spring.", "management.", "logging.", "springdoc.", "debug");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z0-9._-]+)");
    private static final Pattern PROPERTY_LINE = Pattern.compile("^([a-zA-Z0-9._-]+)\\s*=", Pattern.MULTILINE);
    private static final Pattern SETTING_LITERAL = Pattern.compile("\"((?:rh|server|spring)\\.[a-z0-9.-]+)\"");

    private final Path root;
    private final String pom;
    private final String mainSources;
    private final String testSources;
    private final String applicationProperties;
    private final Set<String> testClasses;
    private final Set<String> settings = new HashSet<>();

    /** @param boundSettings the keys of the running gateway's {@code @ConfigurationProperties} */
    Project(Path root, Set<String> boundSettings) {
        this.root = root;
        this.pom = read(root.resolve("pom.xml"));
        this.mainSources = sources(root.resolve("src/main/java"));
        this.testSources = sources(root.resolve("src/test/java"));
        this.applicationProperties = read(root.resolve("src/main/resources/application.properties"));
        this.testClasses = fileNames(root.resolve("src/test/java"));
        settings.addAll(boundSettings);
        for (Pattern pattern : List.of(PLACEHOLDER, SETTING_LITERAL)) {
            Matcher found = pattern.matcher(mainSources + applicationProperties);
            while (found.find()) {
                settings.add(found.group(1));
            }
        }
        Matcher line = PROPERTY_LINE.matcher(applicationProperties);
        while (line.find()) {
            settings.add(line.group(1));
        }
    }

    Path root() {
        return root;
    }

    /** What is wrong with a command that is not a {@code curl}: nothing (empty) when everything it names exists. */
    List<String> problemsOf(ShellCommand command) {
        List<String> problems = new ArrayList<>();
        String script = null;
        switch (command.program()) {
            case "./mvnw" -> {
                if (!Files.isExecutable(root.resolve("mvnw"))) {
                    problems.add("./mvnw is not an executable file");
                }
                command.arguments().forEach(argument -> mavenArgument(argument, problems));
            }
            case "bash" -> {
                if (command.arguments().isEmpty()) {
                    problems.add("bash without a script");
                    break;
                }
                Path file = root.resolve(command.arguments().getFirst()).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    problems.add("no script " + command.arguments().getFirst() + " in the repository");
                    break;
                }
                script = read(file);
                scriptArguments(
                        script,
                        command.arguments().subList(1, command.arguments().size()),
                        problems);
            }
            case "java" -> javaArguments(command.arguments(), problems);
            default -> {
                if (command.program().startsWith("./") && Files.isExecutable(root.resolve(command.program()))) {
                    script = read(root.resolve(command.program()));
                    scriptArguments(script, command.arguments(), problems);
                } else {
                    problems.add("'" + command.program() + "' is a command the docs test (DocsCommandsTest) does not"
                            + " know how to run or check: use curl, ./mvnw, bash <script> or java -jar, or teach it");
                }
            }
        }
        for (String variable : command.env().keySet()) {
            if (!knownVariable(variable, script)) {
                problems.add("the environment variable " + variable + " is read nowhere (application.properties,"
                        + " src/main/java" + (script == null ? "" : ", the script") + ")");
            }
        }
        return problems;
    }

    private void mavenArgument(String argument, List<String> problems) {
        if (MAVEN_FLAGS.contains(argument)) {
            return;
        }
        if (argument.startsWith("-D")) {
            String property = argument.substring(2);
            String name = property.contains("=") ? property.substring(0, property.indexOf('=')) : property;
            String value = property.contains("=") ? property.substring(property.indexOf('=') + 1) : "";
            if (!PLUGIN_PROPERTIES.contains(name)
                    && !pom.contains("${" + name + "}")
                    && !pom.contains("<" + name + ">")
                    && !testSources.contains("\"" + name + "\"")) {
                problems.add("the Maven property " + name + " is defined nowhere (pom.xml, the plugins' own, the"
                        + " tests' system properties)");
            }
            if (name.equals("test") || name.equals("it.test")) {
                testClassesNamed(value, problems);
            }
            return;
        }
        if (argument.startsWith("-")) {
            problems.add("the Maven option " + argument + " is not known to the docs test");
            return;
        }
        if (PHASES.contains(argument)) {
            return;
        }
        int colon = argument.indexOf(':');
        String prefix = colon < 0 ? argument : argument.substring(0, colon);
        if (colon < 0
                || !(pom.contains("<artifactId>" + prefix + "-maven-plugin</artifactId>")
                        || pom.contains("<artifactId>maven-" + prefix + "-plugin</artifactId>"))) {
            problems.add("the Maven goal " + argument + " is neither a lifecycle phase nor a goal of a plugin in"
                    + " pom.xml");
        }
    }

    /** {@code -Dtest=A,B} and {@code -Dit.test=C}: every class named without a wildcard is a test class. */
    private void testClassesNamed(String value, List<String> problems) {
        for (String pattern : value.split(",")) {
            String name = pattern.strip().replaceFirst("^!", "").replaceFirst("#.*$", "");
            if (!name.isEmpty() && !name.contains("*") && !name.equals("NONE") && !testClasses.contains(name)) {
                problems.add("no test class " + name + " in src/test/java");
            }
        }
    }

    private void scriptArguments(String script, List<String> arguments, List<String> problems) {
        boolean forwardsToMaven = script.contains("./mvnw") && script.contains("\"$@\"");
        int position = 0;
        for (String argument : arguments) {
            if (argument.startsWith("-") && !argument.startsWith("--") && forwardsToMaven) {
                mavenArgument(argument, problems);
            } else if (argument.startsWith("-")) {
                if (!script.contains(argument)) {
                    problems.add("the script does not know the option " + argument);
                }
            } else {
                position++;
                if (!script.contains("$" + position) && !script.contains("${" + position)) {
                    problems.add("the script takes no argument " + position + " (" + argument + ")");
                }
            }
        }
    }

    private void javaArguments(List<String> arguments, List<String> problems) {
        int jar = arguments.indexOf("-jar");
        if (jar < 0 || jar + 1 >= arguments.size()) {
            problems.add("java without -jar: the docs run the packaged jar");
            return;
        }
        for (String option : arguments.subList(0, jar)) {
            if (!option.startsWith("-X") && !option.startsWith("-D")) {
                problems.add("the JVM option " + option + " is not known to the docs test");
            }
        }
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        String expected = "target/" + (finalName.find() ? finalName.group(1) : "?") + ".jar";
        if (!arguments.get(jar + 1).equals(expected)) {
            problems.add("the build leaves the jar at " + expected + ", not " + arguments.get(jar + 1));
        }
        for (String argument : arguments.subList(jar + 2, arguments.size())) {
            if (argument.startsWith("--") && argument.contains("=")) {
                String key = argument.substring(2, argument.indexOf('='));
                if (!knownSetting(key)) {
                    problems.add("the setting " + key + " is read nowhere in the gateway");
                }
            } else if (!mainSources.contains("\"" + argument + "\"")) {
                problems.add("the gateway does not know the argument " + argument);
            }
        }
    }

    private boolean knownSetting(String key) {
        if (BOOT_PREFIXES.stream().anyMatch(key::startsWith) || settings.contains(key)) {
            return true;
        }
        String relaxed = relaxed(key);
        return settings.stream().anyMatch(setting -> relaxed(setting).equals(relaxed));
    }

    /** An environment variable is read by its own name, or bound to a setting by Spring's relaxed binding. */
    private boolean knownVariable(String name, String script) {
        if (name.equals("JAVA_HOME")
                || applicationProperties.contains(name)
                || mainSources.contains(name)
                || (script != null && script.contains(name))) {
            return true;
        }
        // Spring's relaxed binding: RH_EVENTS_KEEP is rh.events.keep, and RH_DATA_DIR (dashes as underscores)
        // rh.data-dir
        String relaxed = name.toLowerCase(Locale.ROOT).replace('_', '.');
        String legacy = name.toLowerCase(Locale.ROOT).replace("_", "");
        return settings.stream()
                .anyMatch(setting -> relaxed(setting).equals(relaxed)
                        || setting.replace(".", "").replace("-", "").equals(legacy));
    }

    private static String relaxed(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sources(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .map(Project::read)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> fileNames(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".java"))
                    .map(name -> name.substring(0, name.length() - ".java".length()))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
