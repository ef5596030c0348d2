package com.replyhero.whatsapp.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * compose.yaml and compose.nodes.yaml, read as compose reads them (YAML, merge keys included): every gateway setting
 * they set or take from the environment is one the gateway or Spring reads, the gateways wait for a healthy
 * database, and the nodes share one database, one media bucket and one secrets key behind a balancer that knows
 * them all. No container runs here; deploy/container/test-image.sh runs the image.
 */
class ComposeFilesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern SETTING_VARIABLE = Pattern.compile("(RH|SPRING|SERVER|MANAGEMENT|LOGGING)_[A-Z0-9_]+");
    private static final Pattern INTERPOLATED = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final List<String> FILES = List.of("compose.yaml", "compose.nodes.yaml");

    @Test
    void everySettingTheComposeFilesSetIsOneTheGatewayReads() {
        Set<String> known = knownVariables();
        List<String> problems = new ArrayList<>();
        for (String file : FILES) {
            Set<String> used = new TreeSet<>();
            services(file)
                    .values()
                    .forEach(service -> used.addAll(environment(service).keySet()));
            Matcher interpolated = INTERPOLATED.matcher(text(file));
            while (interpolated.find()) {
                used.add(interpolated.group(1));
            }
            used.stream()
                    .filter(name -> SETTING_VARIABLE.matcher(name).matches())
                    .filter(name -> !known.contains(normalized(name)))
                    .forEach(name -> problems.add(file + " sets " + name + ", which is no setting of the gateway"));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckOfVariablesKnowsAMisspelledOne() {
        Set<String> known = knownVariables();

        assertThat(known).contains(normalized("RH_MEDIA_S3_PATH_STYLE"), normalized("SPRING_DATASOURCE_URL"));
        assertThat(known).doesNotContain(normalized("RH_MEDIA_S3_PATHSTYLES"), normalized("SPRING_DATASOURCE_URI"));
    }

    @Test
    void everyGatewayWaitsForAHealthyDatabaseAndKeepsItsDataInANamedVolume() {
        for (String file : FILES) {
            Map<String, Object> compose = yaml(file);
            Map<String, Map<String, Object>> services = services(file);
            Map<String, Map<String, Object>> gateways = gateways(services);
            assertThat(gateways).as("gateways in %s", file).isNotEmpty();

            assertThat(services.get("postgres"))
                    .as("%s: the database", file)
                    .containsKey("healthcheck")
                    .extractingByKey("image")
                    .asString()
                    .matches("docker.io/library/postgres:1[5-9]");
            assertThat(namedVolumes(services.get("postgres"), compose))
                    .as("%s: postgres volume", file)
                    .isNotEmpty();
            gateways.forEach((name, gateway) -> {
                assertThat(gateway).as("%s: %s", file, name).containsKey("healthcheck");
                assertThat(map(map(gateway.get("depends_on")).get("postgres")))
                        .as("%s: %s waits for the database", file, name)
                        .containsEntry("condition", "service_healthy");
                assertThat(environment(gateway)).as("%s: %s", file, name).containsKey("SPRING_DATASOURCE_URL");
                assertThat(namedVolumes(gateway, compose))
                        .as("%s: %s keeps /data", file, name)
                        .anyMatch(volume -> volume.endsWith(":/data"));
                assertThat(ROOT.resolve(String.valueOf(map(gateway.get("build")).get("dockerfile"))))
                        .as("%s: %s's Containerfile", file, name)
                        .isRegularFile();
            });
        }
    }

    @Test
    void theSandboxIsTheUpstreamUnlessRhGraphUrlIsSet() {
        Map<String, Object> gateway =
                gateways(services("compose.yaml")).values().iterator().next();

        // no value: compose passes RH_GRAPH_URL on from its own environment, and leaves it unset when it is unset there
        assertThat(environment(gateway)).containsKey("RH_GRAPH_URL").containsEntry("RH_GRAPH_URL", null);
    }

    @Test
    void theNodesShareOneDatabaseOneBucketAndOneSecretsKeyBehindABalancerThatKnowsThemAll() throws IOException {
        Map<String, Map<String, Object>> services = services("compose.nodes.yaml");
        Map<String, Map<String, Object>> gateways = gateways(services);
        assertThat(gateways).hasSizeGreaterThanOrEqualTo(2);

        for (String shared : List.of(
                "SPRING_DATASOURCE_URL",
                "RH_SECRETS_KEY",
                "RH_ADMIN_TOKEN",
                "RH_META_APP_SECRET",
                "RH_MEDIA_STORE",
                "RH_MEDIA_S3_ENDPOINT",
                "RH_MEDIA_S3_BUCKET")) {
            assertThat(gateways.values().stream()
                            .map(gateway -> environment(gateway).get(shared))
                            .distinct()
                            .toList())
                    .as("%s on every node", shared)
                    .hasSize(1)
                    .doesNotContainNull();
        }
        assertThat(environment(gateways.values().iterator().next())).containsEntry("RH_MEDIA_STORE", "s3");

        String balancerConfig =
                services.get("balancer").get("volumes").toString().replaceAll(".*\\./([^:]+):.*", "$1");
        String config = Files.readString(ROOT.resolve(balancerConfig));
        assertThat(config).contains("/actuator/health/readiness");
        gateways.keySet()
                .forEach(name -> assertThat(config)
                        .as("the balancer sends to %s", name)
                        .containsPattern("server\\s+" + name + "\\s+" + name + ":8080"));
    }

    /** Variables of every setting: the gateway's records, Spring's metadata, the docs' table, placeholders. */
    private static Set<String> knownVariables() {
        Set<String> known = new TreeSet<>();
        SettingsCatalog.defaults().keySet().forEach(name -> known.add(normalized(name)));
        try {
            for (URL metadata : Collections.list(ComposeFilesTest.class
                    .getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = metadata.openStream()) {
                    Object properties = JsonParserFactory.getJsonParser()
                            .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .get("properties");
                    if (properties instanceof List<?> list) {
                        list.forEach(property -> known.add(
                                normalized(String.valueOf(map(property).get("name")))));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher named = Pattern.compile("`((?:RH|SPRING|SERVER)_[A-Z0-9_]+)`").matcher(text("docs/configuration.md"));
        while (named.find()) {
            known.add(normalized(named.group(1)));
        }
        Matcher placeholder = INTERPOLATED.matcher(text("src/main/resources/application.properties"));
        while (placeholder.find()) {
            known.add(normalized(placeholder.group(1)));
        }
        return known;
    }

    /** As Spring's relaxed binding compares a variable with a property: case, dots, dashes and underscores aside. */
    private static String normalized(String name) {
        return name.replaceAll("[._-]", "").toUpperCase(Locale.ROOT);
    }

    private static Map<String, Map<String, Object>> gateways(Map<String, Map<String, Object>> services) {
        Map<String, Map<String, Object>> gateways = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            if (String.valueOf(service.get("image")).contains("rh-whatsapp-api") && !service.containsKey("profiles")) {
                gateways.put(name, service);
            }
        });
        return gateways;
    }

    private static List<String> namedVolumes(Map<String, Object> service, Map<String, Object> compose) {
        Set<String> declared = map(compose.get("volumes")).keySet();
        List<String> named = new ArrayList<>();
        if (service.get("volumes") instanceof List<?> volumes) {
            volumes.stream()
                    .map(String::valueOf)
                    .filter(volume -> declared.contains(volume.substring(0, volume.indexOf(':'))))
                    .forEach(named::add);
        }
        return named;
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = service.get("environment");
        if (declared instanceof Map<?, ?> entries) {
            entries.forEach(
                    (key, value) -> environment.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else if (declared instanceof List<?> entries) {
            entries.stream().map(String::valueOf).forEach(entry -> {
                int equals = entry.indexOf('=');
                environment.put(
                        equals < 0 ? entry : entry.substring(0, equals),
                        equals < 0 ? null : entry.substring(equals + 1));
            });
        }
        return environment;
    }

    private static Map<String, Map<String, Object>> services(String file) {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(yaml(file).get("services")).forEach((name, service) -> services.put(name, map(service)));
        return services;
    }

    private static Map<String, Object> yaml(String file) {
        Object parsed = new Yaml().load(text(file));
        assertThat(parsed).as("%s parses as a YAML mapping", file).isInstanceOf(Map.class);
        return map(parsed);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static String text(String file) {
        try {
            return Files.readString(ROOT.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
