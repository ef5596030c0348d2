package com.replyhero.whatsapp.webhooks;

import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.whatsapp.MetaSignature;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
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

    MetaWebhookController(
            MetaApp app,
            MetaEventProcessor processor,
            JsonMapper json,
            @Value("${rh.webhooks.max-concurrent:64}") int maxConcurrent) {
        this.app = app;
        this.processor = processor;
        this.json = json;
        this.inProcess = new Semaphore(maxConcurrent);
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
        // at most rh.webhooks.max-concurrent at once, and the permit is taken before a byte of the body is read:
        // a storm of webhooks (Meta catching up after an outage, or anyone at all: the signature can only be
        // checked on the whole body) must not hold thousands of bodies in memory; Meta sends a 503 again later
        if (!inProcess.tryAcquire(2, TimeUnit.SECONDS)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(new ApiError(503, "busy", "too many webhooks at once; send it again", null, null, null));
        }
        try {
            byte[] body = request.getInputStream().readAllBytes(); // bounded by BodyLimitFilter (3 MB)
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
}
