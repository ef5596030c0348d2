package com.replyhero.whatsapp.docs;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a documented {@code curl} sends, as curl would send it: the method ({@code -X}, else POST with data, else
 * GET), the path on the gateway, the headers and the body. Options the test does not know are refused, so that a
 * doc cannot show a request the test silently sends differently.
 */
record CurlRequest(String method, String pathAndQuery, List<String[]> headers, String body) {

    /** Options that change nothing the server sees. */
    private static final Set<String> QUIET = Set.of(
            "-L",
            "--location",
            "-s",
            "--silent",
            "-S",
            "--show-error",
            "-sS",
            "-i",
            "--include",
            "-v",
            "--verbose",
            "-f",
            "--fail",
            "-sf",
            "-fsS");

    /** The gateway as the docs address it (port 8080), and the sandbox run on its own (port 9090). */
    private static final Set<String> GATEWAY = Set.of("localhost:8080", "127.0.0.1:8080");

    private static final Set<String> SANDBOX_ON_ITS_OWN = Set.of("localhost:9090", "127.0.0.1:9090");

    static CurlRequest from(ShellCommand command) {
        String method = null;
        String url = null;
        String body = null;
        List<String[]> headers = new ArrayList<>();
        Iterator<String> words = command.arguments().iterator();
        while (words.hasNext()) {
            String word = words.next();
            if (QUIET.contains(word)) {
                continue;
            }
            switch (word) {
                case "-X", "--request" -> method = value(command, word, words).toUpperCase(Locale.ROOT);
                case "-H", "--header" -> {
                    String header = value(command, word, words);
                    int colon = header.indexOf(':');
                    if (colon < 1) {
                        throw new AssertionError(command.where() + ": a header without a name: " + header);
                    }
                    headers.add(new String[] {
                        header.substring(0, colon).strip(),
                        header.substring(colon + 1).strip()
                    });
                }
                case "-d", "--data", "--data-raw", "--data-binary" -> {
                    body = value(command, word, words);
                    if (body.startsWith("@") && !word.equals("--data-raw")) {
                        throw new AssertionError(command.where() + ": a body read from a file is not run by the docs"
                                + " test; write it inline");
                    }
                }
                default -> {
                    if (word.startsWith("-")) {
                        throw new AssertionError(command.where() + ": curl option " + word
                                + " is not known to the docs test (DocsCommandsTest): teach it, or leave it out");
                    }
                    if (url != null) {
                        throw new AssertionError(command.where() + ": two URLs: " + url + " and " + word);
                    }
                    url = word;
                }
            }
        }
        if (url == null) {
            throw new AssertionError(command.where() + ": curl without a URL");
        }
        if (body != null && headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Content-Type"))) {
            headers.add(new String[] {"Content-Type", "application/x-www-form-urlencoded"}); // as curl does
        }
        return new CurlRequest(
                method != null ? method : body != null ? "POST" : "GET", pathOnTheGateway(command, url), headers, body);
    }

    private static String value(ShellCommand command, String option, Iterator<String> words) {
        if (!words.hasNext()) {
            throw new AssertionError(command.where() + ": " + option + " without its value");
        }
        return words.next();
    }

    private static String pathOnTheGateway(ShellCommand command, String url) {
        URI uri = URI.create(url.contains("://") ? url : "http://" + url);
        String authority = uri.getRawAuthority();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (SANDBOX_ON_ITS_OWN.contains(authority) && path.startsWith("/sandbox/")) {
            return path; // the built-in sandbox answers the same paths
        }
        if (!GATEWAY.contains(authority) || !"http".equals(uri.getScheme())) {
            throw new AssertionError(command.where() + ": curl to " + url + ": the docs test runs requests to the"
                    + " gateway (http://127.0.0.1:8080 or localhost:8080) or to the sandbox on its own (port 9090,"
                    + " /sandbox/...) only");
        }
        return path;
    }

    /** The same request with the doc's placeholders filled in (path, header values and body). */
    CurlRequest with(UnaryOperator<String> placeholders) {
        return new CurlRequest(
                method,
                placeholders.apply(pathAndQuery),
                headers.stream()
                        .map(h -> new String[] {h[0], placeholders.apply(h[1])})
                        .toList(),
                body == null ? null : placeholders.apply(body));
    }

    String header(String name) {
        return headers.stream()
                .filter(h -> h[0].equalsIgnoreCase(name))
                .map(h -> h[1])
                .findFirst()
                .orElse(null);
    }

    /** The request line as the doc writes it, for test names and messages (no header values: they hold keys). */
    String describe() {
        return method + " " + pathAndQuery;
    }
}
