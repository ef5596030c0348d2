package com.replyhero.whatsapp.sandbox.media;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.graph.GraphErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Cloud API's media retrieval for media that simulated customers sent: {@code GET /{version}/{media-id}}
 * answers Meta's {@code {url, mime_type, sha256, file_size, id}}, and the URL (like Meta's lookaside URL)
 * gives the bytes to a request with the same bearer token.
 */
@RestController
@Conditional(SandboxEnabled.class)
@Tag(name = "Sandbox", description = "The built-in stand-in for Meta's Cloud API (only while it is the upstream)")
class SandboxInboundMediaController {

    private final SandboxAccount settings;
    private final SandboxMediaFiles media;
    private final JsonMapper json;

    SandboxInboundMediaController(SandboxAccount settings, SandboxMediaFiles media, JsonMapper json) {
        this.settings = settings;
        this.media = media;
        this.json = json;
    }

    @GetMapping(value = "/sandbox/graph/{version}/{mediaId:[0-9]+}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Graph-compatible media URL retrieval (media sent by simulated customers)")
    ResponseEntity<ObjectNode> retrieve(
            @PathVariable String version,
            @PathVariable String mediaId,
            @RequestHeader(value = "Authorization", required = false) String authorization) {
        if (!authorized(authorization)) {
            return GraphErrors.invalidToken();
        }
        return media.find(mediaId)
                .map(file -> {
                    ObjectNode answer = json.createObjectNode();
                    answer.put("messaging_product", "whatsapp");
                    answer.put(
                            "url",
                            ServletUriComponentsBuilder.fromCurrentContextPath()
                                    .path("/sandbox/lookaside/whatsapp_business/attachments")
                                    .queryParam("mid", file.id())
                                    .toUriString());
                    answer.put("mime_type", file.mimeType());
                    answer.put("sha256", HexFormat.of().formatHex(file.sha256()));
                    answer.put("file_size", file.bytes().length);
                    answer.put("id", file.id());
                    return ResponseEntity.ok(answer);
                })
                .orElseGet(() -> GraphErrors.error(
                        400, 100, "Unsupported get request. Object with ID '" + mediaId + "' does not exist", null));
    }

    @GetMapping("/sandbox/lookaside/whatsapp_business/attachments")
    @Operation(summary = "A medium's bytes (the URL the media retrieval answered), with the bearer token")
    ResponseEntity<byte[]> download(
            @RequestParam String mid, @RequestHeader(value = "Authorization", required = false) String authorization) {
        if (!authorized(authorization)) {
            return ResponseEntity.status(401).build();
        }
        return media.find(mid)
                .map(file -> {
                    if (file.failuresLeft().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return ResponseEntity.status(500).<byte[]>build();
                    }
                    return ResponseEntity.ok()
                            .contentType(MediaType.parseMediaType(file.mimeType()))
                            .body(file.bytes());
                })
                .orElseGet(() -> ResponseEntity.status(404).build());
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(
                authorization.substring(7).getBytes(StandardCharsets.UTF_8),
                settings.accessToken().getBytes(StandardCharsets.UTF_8));
    }
}
