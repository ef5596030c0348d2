package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.cloudapi.MediaTypes.MediaType;
import com.replyhero.whatsapp.idempotency.IdempotentRequest;
import com.replyhero.whatsapp.idempotency.RequestHash;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Idempotent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The seed's "Get Media ID": upload a file, get the Cloud API's media id to send or use in templates. */
@RestController
@Tag(name = "Media")
@SecurityRequirement(name = "apiKey")
class MediaUploadController {

    /** The seed's answer. */
    record MediaId(String id) {}

    private final MediaUploader uploader;
    private final MediaSpool spool;
    private final Orgs orgs;

    MediaUploadController(MediaUploader uploader, MediaSpool spool, Orgs orgs) {
        this.uploader = uploader;
        this.spool = spool;
        this.orgs = orgs;
    }

    @RequiresScope(Scope.SEND)
    @Idempotent(Idempotent.Keeper.OPERATION) // a file is hashed as it streams, never buffered for the gateway
    @PostMapping(value = "/whatsapp/uploads/media_upload", consumes = "multipart/form-data")
    @Operation(
            summary = "Upload media, get its media id",
            description = "Multipart form: orgId, type (a supported MIME type; image/jpg and video/3gp are aliases"
                    + " of image/jpeg and video/3gpp; audio/aac, audio/amr, audio/mpeg, audio/mp4 and audio/ogg with"
                    + " the Opus codec for audio; image/webp for a sticker), file; optional channelId (the org's"
                    + " number that uploads it, by default its default channel). Meta's limits: image 5 MB, video"
                    + " 16 MB, audio 16 MB, document 100 MB, sticker 100 KB static or 500 KB animated (413 beyond)."
                    + " The type must match the file's content. The id is the Cloud API's;"
                    + " it can be used by this org only, for Meta's 30 days. With an Idempotency-Key, a repeat of"
                    + " the same upload (same type and bytes) answers the same id and uploads nothing.",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        content =
                                @Content(
                                        schema = @Schema(implementation = MediaId.class),
                                        examples =
                                                @ExampleObject(
                                                        name = "seed: success",
                                                        value = "{\"id\": \"1063108041439098\"}"))),
                @ApiResponse(
                        responseCode = "400",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "403",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "413",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))
            })
    MediaId upload(
            Caller caller,
            IdempotentRequest idempotency,
            @RequestParam(value = "orgId", required = false) String orgId,
            @RequestParam(value = "type", required = false) String type,
            @RequestPart(value = "file", required = false) MultipartFile file,
            @RequestParam(value = "channelId", required = false) String channelId) {
        caller.requireOrg(unquote(orgId));
        String channel = channelId == null ? null : unquote(channelId);
        if (idempotency.key().isEmpty()) {
            return upload(caller, type, file, channel);
        }
        return idempotency.once(
                hash(type, file, channel), () -> upload(caller, type, file, channel), MediaId::id, MediaId::new);
    }

    /** The upload's identity for Idempotency-Key: its type and the file's bytes (streamed from the spooled part). */
    private static byte[] hash(String type, MultipartFile file, String channelId) {
        RequestHash hash = RequestHash.start()
                .add("media_upload " + unquote(type) + (channelId == null ? "" : " channel " + channelId) + "\n");
        if (file != null) {
            try (InputStream in = file.getInputStream()) {
                hash.add(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return hash.finish();
    }

    private MediaId upload(Caller caller, String type, MultipartFile file, String channelId) {
        if (file == null || file.isEmpty()) {
            throw ApiException.missing("file");
        }
        MediaType mediaType = MediaUploader.supportedType(unquote(type), "type");
        if (file.getSize() > mediaType.kind().maxBytes()) {
            throw MediaUploader.tooLarge(mediaType.kind(), file.getSize(), "file");
        }
        // a media id is the number's that uploaded it: the channel a send will name, or the default
        Channel channel = channelId == null
                ? orgs.defaultChannel(caller.orgId()).orElseThrow(Channel::notConfigured)
                : orgs.channel(caller.orgId(), channelId).orElseThrow(() -> Channel.notFound("channelId"));
        Path spooled = spool.newFile();
        try {
            try {
                Files.delete(spooled);
                file.transferTo(spooled);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (MediaFile media = spool.describe(spooled)) {
                String name = file.getOriginalFilename() == null
                        ? null
                        : Path.of(file.getOriginalFilename()).getFileName().toString();
                return new MediaId(uploader.upload(caller.orgId(), channel, mediaType, media, name, "file")
                        .id());
            }
        } finally {
            spooled.toFile().delete();
        }
    }

    /** The seed's curl quotes form values ({@code orgId="ORG_ID" }): tolerate the quotes and spaces. */
    static String unquote(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v;
    }
}
