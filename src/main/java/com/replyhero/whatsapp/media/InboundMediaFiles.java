package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.web.ApiException;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Serves the bytes of a medium a customer sent, of one org: for the API ({@code GET /whatsapp/media/{id}}) and for
 * the console's conversation view, the same checks and headers.
 */
@Component
public class InboundMediaFiles {

    private final InboundMedia media;
    private final MediaStore store;

    InboundMediaFiles(InboundMedia media, MediaStore store) {
        this.media = media;
        this.store = store;
    }

    /** The org's medium {@code id}: 404 when it is not the org's, 409 while downloading, 410 when gone. */
    public ResponseEntity<Resource> serve(String orgId, String id) {
        InboundMedia.Stored stored = media.find(orgId, id).orElseThrow(() -> ApiException.notFound("media", "id"));
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
