package com.replyhero.whatsapp.sandbox.media;

import com.replyhero.whatsapp.cloudapi.MediaKind;
import com.replyhero.whatsapp.cloudapi.MediaTypes;
import com.replyhero.whatsapp.cloudapi.MediaTypes.MediaType;
import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.graph.GraphErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The Cloud API's {@code POST /{version}/{phone-number-id}/media}, as the sandbox answers it. */
@RestController
@Conditional(SandboxEnabled.class)
@RequestMapping("/sandbox/graph")
@Tag(name = "Sandbox")
class SandboxMediaController {

    private final SandboxAccount settings;
    private final SandboxMedia media;

    SandboxMediaController(SandboxAccount settings, SandboxMedia media) {
        this.settings = settings;
        this.media = media;
    }

    @PostMapping(value = "/{version}/{phoneNumberId}/media", consumes = "multipart/form-data")
    @Operation(summary = "Graph-compatible media upload: stores the bytes, answers a numeric media id")
    ResponseEntity<ObjectNode> upload(
            @PathVariable String version,
            @PathVariable String phoneNumberId,
            @RequestHeader(value = "Authorization", required = false) String authorization,
            @RequestParam(value = "messaging_product", required = false) String messagingProduct,
            @RequestParam(value = "type", required = false) String type,
            @RequestPart(value = "file", required = false) MultipartFile file) {
        if (authorization == null
                || !authorization.startsWith("Bearer ")
                || !MessageDigest.isEqual(
                        authorization.substring(7).getBytes(StandardCharsets.UTF_8),
                        settings.accessToken().getBytes(StandardCharsets.UTF_8))) {
            return GraphErrors.invalidToken();
        }
        if (!"whatsapp".equals(messagingProduct)) {
            return GraphErrors.invalidParameter("messaging_product must be whatsapp");
        }
        if (file == null || file.isEmpty()) {
            return GraphErrors.invalidParameter("file is required");
        }
        Optional<MediaType> mediaType = MediaTypes.of(type);
        if (mediaType.isEmpty()) {
            return GraphErrors.error(
                    400,
                    131053,
                    "Media upload error",
                    "Param file must be a file with one of the following types: "
                            + String.join(", ", MediaTypes.supported()) + ". Received file of type '" + type + "'.");
        }
        if (file.getSize() > mediaType.get().kind().maxBytes()) {
            return GraphErrors.error(
                    400,
                    131053,
                    "Media upload error",
                    "The file is " + file.getSize() + " bytes; "
                            + mediaType.get().kind().messageType() + " files may be at most "
                            + mediaType.get().kind().maxBytes() + " bytes.");
        }
        if (mediaType.get().kind() == MediaKind.STICKER) {
            byte[] head = head(file);
            if (!MediaTypes.matches(mediaType.get(), head)) {
                return GraphErrors.error(400, 131053, "Media upload error", "The file is not a WebP image.");
            }
            long max = MediaTypes.maxBytes(mediaType.get(), head);
            if (file.getSize() > max) {
                return GraphErrors.error(
                        400,
                        131053,
                        "Media upload error",
                        "The file is " + file.getSize() + " bytes; static stickers may be at most " + max + " bytes.");
            }
        }
        SandboxMedia.Stored stored = media.store(phoneNumberId, mediaType.get().mime(), file);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("id", stored.id());
        return ResponseEntity.ok(answer);
    }

    private static byte[] head(MultipartFile file) {
        try (InputStream in = file.getInputStream()) {
            return in.readNBytes(MediaTypes.SNIFF_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
