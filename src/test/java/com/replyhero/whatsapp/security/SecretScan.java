package com.replyhero.whatsapp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Run by its own surefire execution after the whole suite (pom.xml, "secret-scan"): the logs of every test
 * class ({@code target/surefire-reports/*-output.txt}) and every error body the tests received must contain none
 * of the keys, tokens and secrets the tests made or used ({@code target/secret-scan/secrets.txt}).
 */
class SecretScan {

    private static final Path REPORTS = Path.of("target", "surefire-reports");
    private static final Path DIR = Path.of("target", "secret-scan");
    private static final Pattern KEY_LIKE = Pattern.compile("rhk_[0-9A-Za-z]{38}|whsec_[0-9A-Za-z+/=]{20,}");

    @Test
    void noKeyTokenOrSecretIsInTheLogsOrInAnyErrorBody() throws IOException {
        Path secretsFile = DIR.resolve("secrets.txt");
        if (!Files.exists(secretsFile)) {
            System.out.println("secret scan: no secrets recorded (no gateway test ran in this build)");
            return;
        }
        Set<String> secrets = new HashSet<>(Files.readAllLines(secretsFile, StandardCharsets.UTF_8));
        List<Path> places = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPORTS)) {
            files.filter(f -> f.getFileName().toString().endsWith("-output.txt"))
                    .forEach(places::add);
        }
        if (Files.exists(DIR.resolve("error-bodies.txt"))) {
            places.add(DIR.resolve("error-bodies.txt"));
        }

        List<String> leaks = new ArrayList<>();
        long bytes = 0;
        for (Path place : places) {
            String text = Files.readString(place, StandardCharsets.ISO_8859_1);
            bytes += text.length();
            leaks.addAll(leaks(text, secrets).stream()
                    .map(leak -> place.getFileName() + ": " + leak)
                    .toList());
        }

        System.out.printf(
                "secret scan: %d secrets looked for in %d files (%d bytes), %d found%n",
                secrets.size(), places.size(), bytes, leaks.size());
        assertThat(leaks).as("secrets in logs or error bodies").isEmpty();
    }

    @Test
    void theScanFindsAPlantedKeyAndASecretOfAnyShape() {
        Set<String> secrets = Set.of("rhk_" + "A".repeat(38), "an-admin-token-0123456789");

        assertThat(leaks("... key rhk_" + "A".repeat(38) + " was used", secrets))
                .hasSize(1);
        assertThat(leaks("Bearer an-admin-token-0123456789", secrets)).hasSize(1);
        assertThat(leaks("rhk_" + "B".repeat(38) + " nothing of ours", secrets)).isEmpty();
    }

    /** Each secret found in the text, shown by its first characters only. */
    static List<String> leaks(String text, Set<String> secrets) {
        List<String> found = new ArrayList<>();
        Matcher keyLike = KEY_LIKE.matcher(text);
        Set<String> candidates = new HashSet<>();
        while (keyLike.find()) {
            candidates.add(keyLike.group());
        }
        for (String secret : secrets) {
            boolean generated = KEY_LIKE.matcher(secret).matches();
            if (generated ? candidates.contains(secret) : text.contains(secret)) {
                found.add(secret.substring(0, Math.min(8, secret.length())) + "...");
            }
        }
        return found;
    }
}
