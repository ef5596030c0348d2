package com.replyhero.whatsapp.cloudapi;

import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.secrets.SecretBox;
import com.replyhero.whatsapp.secrets.SecretUnreadableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one client of the WhatsApp Cloud API (and of the sandbox, which speaks the same HTTP). Answers are
 * Meta's JSON; every failure is a {@link WhatsAppApiException} that says whether the request may have
 * taken effect.
 */
@Component
public class CloudApi {

    private final HttpClient http;
    private final GraphEndpoint endpoint;
    private final JsonMapper json;
    private final Timer sendTimer;
    private final MeterRegistry meters;
    private final Duration uploadTimeout;
    private final SecretBox secrets;

    CloudApi(GraphEndpoint endpoint, JsonMapper json, MeterRegistry meters, SecretBox secrets, GraphSettings settings) {
        this.endpoint = endpoint;
        this.meters = meters;
        this.secrets = secrets;
        this.json = json;
        this.uploadTimeout = settings.uploadTimeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(endpoint.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // the client's own tasks (answers, body handling) on virtual threads, like the callers
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.sendTimer = Timer.builder("rh.cloudapi.requests")
                .description("Cloud API calls")
                .tag("operation", "messages")
                .register(meters);
    }

    /** {@code POST /{phone-number-id}/messages}: Meta's answer with {@code contacts} and {@code messages[].id}. */
    public JsonNode sendMessage(Channel channel, ObjectNode payload) {
        return send(prepareMessage(channel, payload));
    }

    /** A message send built ahead of its call: the payload serialized, the channel's token opened. */
    public static final class PreparedSend {

        private final HttpRequest request;
        private final GuardedBody body;
        private final String channelId;

        PreparedSend(HttpRequest request, GuardedBody body, String channelId) {
            this.request = request;
            this.body = body;
            this.channelId = channelId;
        }

        /**
         * The sender marked the message {@code sending} at {@code markedAtNanos} ({@link System#nanoTime}): its body
         * leaves only within {@code maxGap} of that, even if the sender is held up inside the HTTP client.
         */
        public void arm(long markedAtNanos, Duration maxGap) {
            body.arm(markedAtNanos, maxGap);
        }

        HttpRequest request() {
            return request;
        }
    }

    /**
     * A send that failed before the HTTP client had its body (its sender held up past its bound, or a timeout that
     * ran out first): nothing of it can have taken effect, and the sender never called as far as Meta is concerned.
     */
    public static final class RequestNotSent extends WhatsAppApiException {
        RequestNotSent(String message) {
            super(0, null, null, message, Outcome.NOT_SENT);
        }
    }

    /**
     * Builds a message send without making it, so that what can fail or take time before the call (serializing,
     * opening the token) is done before the message is marked {@code sending}: the mark is then followed at once
     * by the call. A token that cannot be sent fails here, provably before anything left.
     */
    public PreparedSend prepareMessage(Channel channel, ObjectNode payload) {
        GuardedBody body = new GuardedBody(json.writeValueAsBytes(payload));
        return new PreparedSend(
                request(channel, "/" + channel.phoneNumberId() + "/messages")
                        .header("Content-Type", "application/json")
                        .POST(body)
                        .build(),
                body,
                channel.id());
    }

    /** Makes a prepared message send; Meta's answer, or a WhatsAppApiException that says how it ended. */
    public JsonNode send(PreparedSend prepared) {
        JsonNode answer;
        try {
            answer = sendTimer.record(() -> exchange(prepared.request()));
            sends(prepared, "accepted");
        } catch (WhatsAppApiException e) {
            sends(prepared, e.outcome().name().toLowerCase(java.util.Locale.ROOT));
            // Meta's error code (or the HTTP status when Meta gave none): what the dashboard and the alerts read
            meters.counter(
                            "rh.cloudapi.errors",
                            "code",
                            e.code() != null ? String.valueOf(e.code()) : "http_" + e.httpStatus())
                    .increment();
            if (e.outcome() == WhatsAppApiException.Outcome.UNCERTAIN && !prepared.body.handedOver()) {
                // no answer, but the HTTP client never had the body: the upstream waits for a whole request
                throw new RequestNotSent("not sent: " + e.getMessage());
            }
            throw e;
        }
        if (!answer.path("messages").path(0).hasNonNull("id")) {
            // A 200 we cannot read: Meta may have accepted the message; never report it as not sent.
            throw new WhatsAppApiException(
                    200, null, null, "answer without a message id", WhatsAppApiException.Outcome.UNCERTAIN);
        }
        return answer;
    }

    /**
     * Message sends per number and outcome: each number's pace, beside the limit it has. Labelled by the channel's
     * opaque id, never its phone number (id): the metrics endpoint is the operator's, not any org's.
     */
    private void sends(PreparedSend prepared, String outcome) {
        meters.counter("rh.cloudapi.sends", "channel", String.valueOf(prepared.channelId), "outcome", outcome)
                .increment();
    }

    /**
     * {@code POST /{phone-number-id}/messages} with {@code "status": "read"}: marks a customer's message (by its
     * wamid) read, and with {@code typing} shows the typing indicator (Meta dismisses it at the reply or after 25 s).
     * Meta's answer is {@code {"success": true}}; anything else fails.
     */
    public JsonNode markRead(Channel channel, String wamid, boolean typing) {
        ObjectNode payload = json.createObjectNode();
        payload.put("messaging_product", "whatsapp");
        payload.put("status", "read");
        payload.put("message_id", wamid);
        if (typing) {
            payload.putObject("typing_indicator").put("type", "text");
        }
        JsonNode answer = exchange(request(channel, "/" + channel.phoneNumberId() + "/messages")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(payload)))
                .build());
        if (!answer.path("success").asBoolean(false)) {
            throw new WhatsAppApiException(
                    200, null, null, "read receipt answered without success", WhatsAppApiException.Outcome.UNCERTAIN);
        }
        return answer;
    }

    /**
     * {@code POST /{phone-number-id}/media}: uploads a file as multipart ({@code messaging_product},
     * {@code type}, {@code file}), streamed from disk, and answers Meta's media id.
     */
    public String uploadMedia(Channel channel, Path file, String mimeType, String filename) {
        String boundary = "rh-" + UUID.randomUUID();
        String safeName = filename.replaceAll("[\\r\\n\"\\\\]", "_");
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"type\"\r\n\r\n" + mimeType + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + safeName + "\"\r\n"
                + "Content-Type: " + mimeType + "\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofByteArray(head.getBytes(StandardCharsets.UTF_8)),
                    HttpRequest.BodyPublishers.ofFile(file),
                    HttpRequest.BodyPublishers.ofByteArray(tail.getBytes(StandardCharsets.UTF_8)));
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("the spooled media file is gone: " + file, e);
        }
        HttpRequest request = request(channel, "/" + channel.phoneNumberId() + "/media")
                .timeout(uploadTimeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body)
                .build();
        JsonNode answer = exchange(request);
        String id = answer.path("id").asString("");
        if (id.isEmpty()) {
            throw new WhatsAppApiException(
                    200, null, null, "upload answer without a media id", WhatsAppApiException.Outcome.UNCERTAIN);
        }
        return id;
    }

    /** {@code POST} a JSON body to a Graph path (relative to the versioned base URL) with the channel's token. */
    public JsonNode post(Channel channel, String path, ObjectNode body) {
        return exchange(request(channel, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build());
    }

    /** {@code DELETE} a Graph path (relative to the versioned base URL) with the channel's token. */
    public JsonNode delete(Channel channel, String path) {
        return exchange(request(channel, path).DELETE().build());
    }

    /**
     * Meta's Resumable Upload API, in one go: {@code POST /{app-id}/uploads?file_length=&file_type=} opens a session
     * ({@code {"id": "upload:..."}}), {@code POST /{session}} with the bytes (offset 0) answers the file's handle
     * ({@code {"h": "..."}}), which a template's media header takes as its example.
     */
    public String resumableUpload(Channel channel, String appId, byte[] bytes, String mimeType) {
        JsonNode session = exchange(request(
                        channel,
                        "/" + appId + "/uploads?file_length=" + bytes.length + "&file_type="
                                + java.net.URLEncoder.encode(mimeType, StandardCharsets.UTF_8))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        String id = session.path("id").asString("");
        if (!id.startsWith("upload:")) {
            throw new WhatsAppApiException(
                    200, null, null, "upload session answer without an id", WhatsAppApiException.Outcome.UNCERTAIN);
        }
        // the upload step takes the token as "OAuth", not "Bearer"
        String token = authorization(channel).substring("Bearer ".length());
        JsonNode uploaded = exchange(request(channel, "/" + id)
                .timeout(uploadTimeout)
                .setHeader("Authorization", "OAuth " + token)
                .header("file_offset", "0")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build());
        String handle = uploaded.path("h").asString("");
        if (handle.isEmpty()) {
            throw new WhatsAppApiException(
                    200, null, null, "upload answer without a handle", WhatsAppApiException.Outcome.UNCERTAIN);
        }
        return handle;
    }

    /** {@code GET} a Graph path (relative to the versioned base URL) with the channel's token. */
    public JsonNode get(Channel channel, String path) {
        return exchange(request(channel, path).GET().build());
    }

    /**
     * Downloads a media URL the Cloud API gave ({@code GET /{media-id}} answers it; it expires after minutes)
     * into {@code target}, with the channel's token, streaming, and at most {@code maxBytes} (a larger
     * {@code Content-Length} is refused before the body is read). Answers the number of bytes.
     */
    public long download(Channel channel, URI url, Path target, long maxBytes) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(endpoint.requestTimeout())
                .header("Authorization", authorization(channel))
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() < 200 || response.statusCode() >= 300) {
                    throw new WhatsAppApiException(
                            response.statusCode(),
                            null,
                            null,
                            "media download answered HTTP " + response.statusCode(),
                            WhatsAppApiException.Outcome.NOT_SENT);
                }
                long declared =
                        response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                long size = 0;
                try (var out = Files.newOutputStream(target)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        size += n;
                        if (size > maxBytes) {
                            throw tooLarge(maxBytes);
                        }
                        out.write(buffer, 0, n);
                    }
                }
                return size;
            }
        } catch (IOException e) {
            throw new WhatsAppApiException(
                    0, null, null, "media download failed: " + describe(e), WhatsAppApiException.Outcome.NOT_SENT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WhatsAppApiException(0, null, null, "interrupted", WhatsAppApiException.Outcome.NOT_SENT);
        }
    }

    private static WhatsAppApiException tooLarge(long maxBytes) {
        return new WhatsAppApiException(
                0,
                null,
                null,
                "the media is larger than " + maxBytes + " bytes",
                WhatsAppApiException.Outcome.REJECTED);
    }

    /** A request builder for a Graph path with the channel's token; for callers that send other bodies. */
    public HttpRequest.Builder request(Channel channel, String path) {
        String base = endpoint.versionedUrl();
        return HttpRequest.newBuilder(URI.create(base + path))
                .version(base.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .timeout(endpoint.requestTimeout())
                .header("Authorization", authorization(channel));
    }

    /**
     * The Authorization header's value. A channel read with a send's context carries its token as stored (sealed):
     * it is opened here, where it is used. One that does not open was provably not sent, and sending it again
     * fails again until the operator gives the key it was sealed with or sets the channel again: rejected. A token
     * that is no valid header value (stored before the operator API checked it) is a non-retryable upstream error
     * that does not contain it: the HTTP client's own exception would carry the whole header, token included, into
     * the logs and a 500.
     */
    private String authorization(Channel channel) {
        String token;
        try {
            token = secrets.open(channel.tokenContext(), channel.accessToken());
        } catch (SecretUnreadableException e) {
            throw new WhatsAppApiException(0, null, null, e.getMessage(), WhatsAppApiException.Outcome.REJECTED);
        }
        if (!Channel.isSendableAccessToken(token)) {
            throw WhatsAppApiException.unsendableAccessToken();
        }
        return "Bearer " + token;
    }

    /** Sends a request and reads Meta's JSON answer, turning every failure into a WhatsAppApiException. */
    public JsonNode exchange(HttpRequest request) {
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            // Meta's answers are small: read at most MAX_ANSWER bytes, never a runaway body into memory
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER + 1);
            }
        } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException | UnresolvedAddressException e) {
            throw new WhatsAppApiException(
                    0, null, null, "cannot connect: " + describe(e), WhatsAppApiException.Outcome.NOT_SENT);
        } catch (IOException e) {
            throw new WhatsAppApiException(
                    0, null, null, "no answer: " + describe(e), WhatsAppApiException.Outcome.UNCERTAIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WhatsAppApiException(0, null, null, "interrupted", WhatsAppApiException.Outcome.UNCERTAIN);
        }
        if (body.length > MAX_ANSWER) {
            return failWith(
                    response.statusCode(),
                    "HTTP " + response.statusCode() + " with an answer larger than " + MAX_ANSWER + " bytes",
                    WhatsAppApiException.Outcome.UNCERTAIN);
        }
        return read(response.statusCode(), body);
    }

    /** The largest answer read from the Cloud API (a template list page is the largest, far below this). */
    static final int MAX_ANSWER = 4 * 1024 * 1024;

    JsonNode read(int status, byte[] body) {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (JacksonException e) {
            answer = null;
        }
        JsonNode error = answer == null ? null : answer.get("error");
        if (error != null && error.isObject()) {
            throw WhatsAppApiException.fromAnswer(
                    status,
                    error.hasNonNull("code") ? error.get("code").asInt() : null,
                    error.hasNonNull("error_subcode")
                            ? error.get("error_subcode").asInt()
                            : null,
                    error.path("message").asString("error without a message"));
        }
        if (status >= 200 && status < 300 && answer != null && answer.isObject()) {
            return answer;
        }
        if (status >= 400 && status < 500) {
            return failWith(
                    status, "HTTP " + status + " without Meta's error body", WhatsAppApiException.Outcome.REJECTED);
        }
        // A 5xx without Meta's error body (a proxy, a cut answer) or a 2xx we cannot read: it may have been sent.
        return failWith(
                status, "HTTP " + status + " with an unreadable answer", WhatsAppApiException.Outcome.UNCERTAIN);
    }

    private static JsonNode failWith(int status, String message, WhatsAppApiException.Outcome outcome) {
        throw new WhatsAppApiException(status, null, null, message, outcome);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
