package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** The bytes of a medium a customer sent, as downloaded from the Cloud API. */
@RestController
@Tag(name = "Media")
@SecurityRequirement(name = "apiKey")
class InboundMediaController {

    private final InboundMedia media;
    private final MediaStore store;

    InboundMediaController(InboundMedia media, MediaStore store) {
        this.media = media;
        this.store = store;
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/media/{id}")
    @Operation(
            summary = "Download a medium a customer sent (the media id in message.received's content / mediaId)",
            description = "409 media_not_ready while it is being downloaded from the Cloud API; 410"
                    + " media_unavailable when every download attempt failed or the stored file is gone (a bucket's"
                    + " lifecycle rule); 500 media_corrupted when the stored bytes no longer match the SHA-256"
                    + " recorded when they were stored (checked before any byte is sent).")
    ResponseEntity<Resource> get(Caller caller, @PathVariable String id) {
        InboundMedia.Stored stored =
                media.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("media", "id"));
        if (stored.status().equals("failed")) {
            throw new ApiException(
                    HttpStatus.GONE,
                    "media_unavailable",
                    "the medium could not be downloaded from the Cloud API",
                    "id");
        }
        if (stored.storagePath() == null) {
            throw new ApiException(
                    HttpStatus.CONFLICT, "media_not_ready", "the medium is being downloaded; try again shortly", "id");
        }
        MediaStore.StoredFile file = store.open(stored.storagePath(), stored.sha256())
                .orElseThrow(() -> new ApiException(
                        HttpStatus.GONE, "media_unavailable", "the medium's file is missing from storage", "id"));
        if (file.temporary()) {
            // a copy read from the bucket: deleted once the response is written
            RequestContextHolder.currentRequestAttributes()
                    .registerDestructionCallback(
                            "media-copy-" + file.path(), file::close, RequestAttributes.SCOPE_REQUEST);
        }
        // the type is what the customer's message said: served as it only when it is one of WhatsApp's media types,
        // else as bytes to download (never text/html or an SVG shown inline)
        boolean known =
                com.replyhero.whatsapp.cloudapi.MediaTypes.of(stored.mimeType()).isPresent();
        MediaType type;
        try {
            type = known ? MediaType.parseMediaType(stored.mimeType()) : MediaType.APPLICATION_OCTET_STREAM;
        } catch (RuntimeException e) {
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        ContentDisposition.Builder how = known ? ContentDisposition.inline() : ContentDisposition.attachment();
        ContentDisposition disposition = stored.filename() == null
                ? how.build()
                : how.filename(stored.filename()).build();
        return ResponseEntity.ok()
                .contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header("X-Content-Type-Options", "nosniff")
                .body(new FileSystemResource(file.path()));
    }
}
