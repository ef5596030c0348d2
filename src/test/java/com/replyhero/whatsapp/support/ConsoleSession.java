package com.replyhero.whatsapp.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser's session with the console, over plain HTTP: its cookies, and the CSRF token of the last page it read
 * (sent with every form it posts, as a browser's form would). Redirects are not followed, so a test sees them.
 */
public final class ConsoleSession {

    /** An answer: status, body, and where a redirect points (null otherwise). */
    public record Page(int status, String body, String location) {
        public boolean redirectsTo(String pathAndQuery) {
            return location != null && (location.endsWith(pathAndQuery) || location.contains(pathAndQuery + "?"));
        }
    }

    private static final Pattern CSRF_META = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private String csrf;
    private String userId;
    private String email;

    /** The signed-in user's id and email, when the test made the user (GatewayTest#aConsoleUser). */
    public ConsoleSession as(String userId, String email) {
        this.userId = userId;
        this.email = email;
        return this;
    }

    public String userId() {
        return userId;
    }

    public String email() {
        return email;
    }

    public ConsoleSession(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A new session that accepts a one-time invitation link (a path) with this password: signed in. */
    public static ConsoleSession accepting(String baseUrl, String invitePath, String password) {
        ConsoleSession session = new ConsoleSession(baseUrl);
        Page invite = session.get(invitePath);
        if (invite.status() != 200) {
            throw new IllegalStateException("invitation page answered " + invite.status());
        }
        String token = invitePath.substring(invitePath.indexOf("token=") + 6);
        Page accepted =
                session.post("/console/invite", Map.of("token", token, "password", password, "confirm", password));
        if (!accepted.redirectsTo("/console/inbox")) {
            throw new IllegalStateException("accepting the invitation answered " + accepted.status() + " "
                    + accepted.location() + " " + accepted.body());
        }
        return session;
    }

    /** A new session signed in with the sign-in form (the answer's redirect is returned by {@link #signIn}). */
    public static ConsoleSession signedIn(String baseUrl, String username, String password) {
        ConsoleSession session = new ConsoleSession(baseUrl);
        Page answer = session.signIn(username, password);
        if (answer.location() == null || answer.location().contains("/console/login")) {
            throw new IllegalStateException("sign-in failed: " + answer.location());
        }
        return session;
    }

    /** Posts the sign-in form (after reading the sign-in page for its CSRF token). */
    public Page signIn(String username, String password) {
        get("/console/login");
        return post("/console/login", Map.of("username", username, "password", password));
    }

    public Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /** Posts a form with the CSRF token of the last page read (unless the form names {@code _csrf} itself). */
    public Page post(String path, Map<String, String> form) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (csrf != null) {
            fields.put("_csrf", csrf);
        }
        fields.putAll(form);
        return postRaw(path, fields);
    }

    /** Posts exactly these fields: no CSRF token is added. */
    public Page postRaw(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Posts a multipart form (as a browser's form with a file input does) with the CSRF token of the last page read:
     * the fields, and one file.
     */
    public Page postMultipart(
            String path, Map<String, String> form, String fileField, String fileName, String type, byte[] bytes) {
        String boundary = "----console" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        Map<String, String> fields = new LinkedHashMap<>();
        if (csrf != null) {
            fields.put("_csrf", csrf);
        }
        fields.putAll(form);
        fields.forEach((name, value) -> body.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
        if (fileField != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
                            + "\"; filename=\"" + fileName + "\"\r\nContent-Type: " + type + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** A server-sent event stream the session opened: its status, and its lines as they arrive. */
    public static final class EventStream implements AutoCloseable {
        private final int status;
        private final String contentType;
        private final java.util.concurrent.BlockingQueue<String> lines =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.io.InputStream body;

        EventStream(HttpResponse<java.io.InputStream> response) {
            this.status = response.statusCode();
            this.contentType = response.headers().firstValue("Content-Type").orElse("");
            this.body = response.body();
            Thread.ofVirtual().start(() -> {
                try (java.io.BufferedReader reader =
                        new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // closed by the test
                }
            });
        }

        public int status() {
            return status;
        }

        public String contentType() {
            return contentType;
        }

        /** The first line (from now on) that contains {@code text}, or null when none came within the timeout. */
        public String awaitLine(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
            }
            return null;
        }

        /** Every line received so far. */
        public java.util.List<String> drain() {
            java.util.List<String> received = new java.util.ArrayList<>();
            lines.drainTo(received);
            return received;
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Opens a server-sent event stream with the session's cookie (as a browser's EventSource does). */
    public EventStream events(String path) {
        try {
            return new EventStream(http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .header("Accept", "text/event-stream")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The session cookie's value (to check that signing in changes it). */
    public String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("SESSION"))
                .map(java.net.HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    public String csrf() {
        return csrf;
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<java.io.InputStream> response = http.send(
                    request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (java.io.InputStream in = response.body()) {
                // an event stream never ends by itself: its first bytes are the answer (use events() to follow it)
                body = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")
                        ? new String(in.readNBytes(Math.max(1, in.available())), StandardCharsets.UTF_8)
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher meta = CSRF_META.matcher(body);
            Matcher input = CSRF_INPUT.matcher(body);
            if (meta.find()) {
                csrf = meta.group(1);
            } else if (input.find()) {
                csrf = input.group(1);
            }
            return new Page(
                    response.statusCode(),
                    body,
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
