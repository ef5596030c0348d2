package com.replyhero.whatsapp.metawebhooks;

import com.replyhero.whatsapp.cloudapi.MetaSignature;
import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Meta's webhooks: the subscription handshake, and signed events stored before they are acknowledged. */
@RestController
@Tag(name = "Meta webhooks", description = "Called by Meta (or the sandbox), signed with the app secret")
class MetaWebhookController {

    private final MetaApp app;
    private final MetaEventProcessor processor;

    private final JsonMapper json;
    private final Semaphore inProcess;
    private final ReadsPerAddress readsPerAddress;
    private final Duration bodyReadDeadline;

    MetaWebhookController(MetaApp app, MetaEventProcessor processor, JsonMapper json, MetaWebhookSettings settings) {
        this.app = app;
        this.processor = processor;
        this.json = json;
        this.inProcess = new Semaphore(settings.maxConcurrent());
        this.readsPerAddress = new ReadsPerAddress(settings.maxConcurrentPerAddress());
        this.bodyReadDeadline = settings.bodyReadDeadline();
    }

    @GetMapping(value = "/webhooks/meta", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "Meta's verification handshake: echoes hub.challenge when hub.verify_token matches")
    String verify(
            @RequestParam("hub.mode") String mode,
            @RequestParam("hub.verify_token") String token,
            @RequestParam("hub.challenge") String challenge) {
        boolean tokenMatches = MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), app.verifyToken().getBytes(StandardCharsets.UTF_8));
        if (!"subscribe".equals(mode) || !tokenMatches) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN,
                    "invalid_verify_token",
                    "hub.verify_token does not match",
                    "hub.verify_token");
        }
        return challenge;
    }

    @PostMapping(value = "/webhooks/meta", consumes = MediaType.ALL_VALUE)
    @Operation(
            summary = "Meta's events (messages, statuses), verified by X-Hub-Signature-256 over the raw body",
            description = "401 missing_signature or invalid_signature; 408 body_read_timeout when the whole body"
                    + " takes longer than rh.webhooks.body-read-deadline (10 s) to arrive; 503 busy (Retry-After: 1)"
                    + " beyond rh.webhooks.max-concurrent webhooks at once or"
                    + " rh.webhooks.max-concurrent-per-address bodies read at once from one address",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE)))
    ResponseEntity<?> receive(
            @RequestHeader(value = MetaSignature.HEADER, required = false) String signature, HttpServletRequest request)
            throws InterruptedException, IOException {
        if (signature == null) {
            throw new ApiException(
                    HttpStatus.UNAUTHORIZED,
                    "missing_signature",
                    "X-Hub-Signature-256 is required",
                    MetaSignature.HEADER);
        }
        // Until its last byte nobody knows who sent a webhook (the signature covers the whole body), so anyone can
        // hold a permit while a body trickles in: one address holds at most rh.webhooks.max-concurrent-per-address
        // of them, and no body takes longer than rh.webhooks.body-read-deadline.
        ReadsPerAddress.Read read = readsPerAddress.tryStart(request.getRemoteAddr());
        if (read == null) {
            return busy("too many webhooks at once from this address; send it again");
        }
        try (read) {
            return readAndStore(signature, request, read);
        }
    }

    private ResponseEntity<?> readAndStore(String signature, HttpServletRequest request, ReadsPerAddress.Read read)
            throws InterruptedException, IOException {
        // at most rh.webhooks.max-concurrent at once, and the permit is taken before a byte of the body is read:
        // a storm of webhooks (Meta catching up after an outage, or anyone at all: the signature can only be
        // checked on the whole body) must not hold thousands of bodies in memory; Meta sends a 503 again later
        if (!inProcess.tryAcquire(2, TimeUnit.SECONDS)) {
            return busy("too many webhooks at once; send it again");
        }
        try {
            byte[] body = readWithinDeadline(request.getInputStream()); // bounded by BodyLimitFilter (3 MB)
            read.close(); // the body is whole: no longer one of its address's few reads
            if (body.length == 0 || !MetaSignature.verify(app.appSecret(), body, signature)) {
                throw new ApiException(
                        HttpStatus.UNAUTHORIZED,
                        "invalid_signature",
                        "X-Hub-Signature-256 does not match the body",
                        MetaSignature.HEADER);
            }
            try {
                json.readTree(body);
            } catch (JacksonException e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "malformed_json", "the event body is not JSON", null);
            }
            String text = new String(body, StandardCharsets.UTF_8);
            // stored (committed) before the 200: once we answer, Meta will not send it again, so a crash must not
            // lose it
            processor.storeAndProcess(text);
            return ResponseEntity.ok(Map.of("received", true));
        } finally {
            inProcess.release();
        }
    }

    /**
     * The whole body, or 408 once reading it has taken longer than the deadline. Checked each time a read returns:
     * a sender that trickles a byte at a time is cut at the deadline, one that sends nothing at the connector's
     * read timeout ({@code server.tomcat.connection-timeout}).
     */
    private byte[] readWithinDeadline(InputStream in) throws IOException {
        long deadline = System.nanoTime() + bodyReadDeadline.toNanos();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) != -1; ) {
            body.write(chunk, 0, n);
            if (System.nanoTime() - deadline > 0) {
                throw new ApiException(
                        HttpStatus.REQUEST_TIMEOUT,
                        "body_read_timeout",
                        "the webhook body did not arrive within " + bodyReadDeadline.toMillis() + " ms",
                        null);
            }
        }
        return body.toByteArray();
    }

    private static ResponseEntity<ApiError> busy(String message) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(new ApiError(503, "busy", message, null, null, null));
    }
}
