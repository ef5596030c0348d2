package com.replyhero.whatsapp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every secret the tests see (API keys and webhook secrets in answers, the admin token, channel tokens, the Meta
 * app secret) and every error body, written to {@code target/secret-scan/} so that {@code SecretScan}, run by its
 * own surefire execution after the whole suite, can look for them in the logs and in the error bodies.
 */
public final class SecretLedger {

    public static final Path DIR = Path.of("target", "secret-scan");
    public static final Path SECRETS = DIR.resolve("secrets.txt");
    public static final Path ERROR_BODIES = DIR.resolve("error-bodies.txt");

    /** API keys and Standard Webhooks secrets, as they appear in answers. */
    public static final Pattern GENERATED = Pattern.compile("rhk_[0-9A-Za-z]{38}|whsec_[0-9A-Za-z+/=]{20,}");

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    static {
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(SECRETS);
            Files.deleteIfExists(ERROR_BODIES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SecretLedger() {}

    /** Remembers a secret (values shorter than 12 characters are test placeholders, not secrets). */
    public static void secret(String value) {
        if (value != null && value.length() >= 12 && SEEN.add(value)) {
            append(SECRETS, value);
        }
    }

    /** Remembers the generated secrets in an answer, and the answer itself when it is an error. */
    public static void answer(int status, String body) {
        if (body == null) {
            return;
        }
        Matcher found = GENERATED.matcher(body);
        while (found.find()) {
            secret(found.group());
        }
        if (status >= 400) {
            append(ERROR_BODIES, body.replace('\n', ' '));
        }
    }

    private static synchronized void append(Path file, String line) {
        try {
            Files.writeString(
                    file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
