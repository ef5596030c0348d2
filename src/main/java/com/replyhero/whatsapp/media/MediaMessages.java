package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.cloudapi.MediaKind;
import com.replyhero.whatsapp.cloudapi.MediaTypes;
import com.replyhero.whatsapp.cloudapi.MediaTypes.MediaType;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The media object of an image, document, video, audio or sticker message: exactly one of {@code file} (bytes,
 * uploaded first and sent by id), {@code link} (passed to the Cloud API; with {@code provider}, downloaded by the
 * gateway, uploaded and sent by id) or {@code id} (a media id this org uploaded); {@code caption} (not for audio
 * or stickers: Meta refuses one); {@code filename} for documents only.
 */
@Service
public class MediaMessages {

    static final int MAX_CAPTION = 1024;
    static final int MAX_FILENAME = 240;
    static final int MAX_LINK = 2048;

    private final MediaUploader uploader;
    private final UploadedMedia uploadedMedia;
    private final MediaProviders providers;
    private final LinkFetcher fetcher;

    MediaMessages(MediaUploader uploader, UploadedMedia uploadedMedia, MediaProviders providers, LinkFetcher fetcher) {
        this.uploader = uploader;
        this.uploadedMedia = uploadedMedia;
        this.providers = providers;
        this.fetcher = fetcher;
    }

    /**
     * Checks {@code message.<type>} (and the spooled bytes of its {@code file.data}) and answers the object
     * as it will be stored: never the bytes, but the file's name, type, size and SHA-256.
     */
    public ObjectNode validate(String type, JsonNode object, MediaFile attachment) {
        MediaKind kind = MediaKind.ofMessageType(type).orElseThrow();
        String at = "message." + type;
        if (object == null || object.isNull() || object.isMissingNode()) {
            throw ApiException.missing(at);
        }
        if (!object.isObject()) {
            throw ApiException.invalid(at, at + " must be an object");
        }
        JsonNode file = object.get("file");
        String link = string(object, "link", at, MAX_LINK);
        String id = string(object, "id", at, 200);
        String provider = string(object, "provider", at, 100);
        int sources = (file == null || file.isNull() ? 0 : 1) + (link == null ? 0 : 1) + (id == null ? 0 : 1);
        if (sources != 1) {
            throw ApiException.invalid(
                    at,
                    at + " needs exactly one of file (base64 data) or link (http/https)"
                            + (sources > 1 ? ", not several" : ""));
        }
        if (provider != null && link == null) {
            throw ApiException.invalid(at + ".provider", "provider is used only with link");
        }
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        if (!kind.takesCaption()
                && object.has("caption")
                && !object.get("caption").isNull()) {
            throw ApiException.invalid(
                    at + ".caption", "a " + type + " message takes no caption (the Cloud API refuses one)");
        }
        String caption = string(object, "caption", at, MAX_CAPTION);
        String filename = string(object, "filename", at, MAX_FILENAME);
        if (filename != null && kind != MediaKind.DOCUMENT) {
            throw ApiException.invalid(at + ".filename", "filename is used only with document messages");
        }
        if (file != null && !file.isNull()) {
            stored.set("file", file(kind, file, attachment, at + ".file"));
            if (kind == MediaKind.DOCUMENT && filename == null) {
                filename = stored.path("file").path("name").asString();
            }
        } else if (link != null) {
            URI uri = uri(link, at + ".link");
            stored.put("link", uri.toString());
            if (provider != null) {
                stored.put("provider", provider);
            }
        } else {
            stored.put("id", id);
        }
        if (caption != null) {
            stored.put("caption", caption);
        }
        if (filename != null) {
            stored.put("filename", filename);
        }
        return stored;
    }

    /**
     * Makes the media sendable by id where the gateway must put it on the Cloud API first: uploads the
     * file, or downloads a provider's link and uploads that; checks that an {@code id} is this org's.
     */
    public void prepare(String orgId, Channel channel, String type, ObjectNode media, MediaFile attachment) {
        MediaKind kind = MediaKind.ofMessageType(type).orElseThrow();
        String at = "message." + type;
        if (media.has("file")) {
            ObjectNode file = (ObjectNode) media.get("file");
            MediaType mediaType = MediaTypes.of(file.path("type").asString()).orElseThrow();
            media.put(
                    "id",
                    uploader.upload(
                                    orgId,
                                    channel,
                                    mediaType,
                                    attachment,
                                    file.path("name").asString(),
                                    at + ".file.data")
                            .id());
        } else if (media.has("provider")) {
            fromProvider(orgId, channel, kind, media, at);
        } else if (media.has("id")) {
            UploadedMedia.Upload upload = uploadedMedia
                    .find(orgId, media.get("id").asString())
                    .orElseThrow(() -> ApiException.notFound("media", at + ".id"));
            if (upload.expiredAt(Instant.now())) {
                throw new ApiException(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "media_expired",
                        "this media id has expired (Meta keeps uploads for 30 days); upload the file again",
                        at + ".id");
            }
            Optional<MediaType> uploaded = MediaTypes.of(upload.mimeType());
            if (uploaded.isPresent() && uploaded.get().kind() != kind) {
                throw ApiException.invalid(
                        at + ".id", "this media id is a " + upload.mimeType() + " file, not a " + type);
            }
        }
    }

    private void fromProvider(String orgId, Channel channel, MediaKind kind, ObjectNode media, String at) {
        MediaProviders.MediaProvider provider = providers
                .find(orgId, media.get("provider").asString())
                .orElseThrow(() -> ApiException.notFound("media_provider", at + ".provider"));
        URI link = URI.create(media.get("link").asString());
        LinkFetcher.Fetched fetched = fetcher.fetch(link, provider.headers(), kind, at + ".link");
        try (MediaFile file = fetched.file()) {
            MediaType type = MediaTypes.of(fetched.contentType())
                    .or(() -> fetched.filename() == null || !fetched.filename().contains(".")
                            ? Optional.empty()
                            : MediaTypes.ofExtension(fetched.filename()
                                    .substring(fetched.filename().lastIndexOf('.') + 1)))
                    .or(() -> MediaTypes.detect(file.head()))
                    .orElseThrow(() -> new ApiException(
                            HttpStatus.UNPROCESSABLE_CONTENT,
                            "unsupported_media_type",
                            "the link's content (" + fetched.contentType() + ") is not a supported type; supported: "
                                    + String.join(", ", MediaTypes.supported(kind)),
                            at + ".link"));
            if (type.kind() != kind) {
                throw ApiException.invalid(
                        at + ".link", "the link is a " + type.mime() + " file, not a " + kind.messageType());
            }
            String filename = media.has("filename") ? media.get("filename").asString() : fetched.filename();
            if (kind == MediaKind.DOCUMENT && !media.has("filename") && fetched.filename() != null) {
                media.put("filename", fetched.filename());
            }
            media.put(
                    "id",
                    uploader.upload(orgId, channel, type, file, filename, at + ".link")
                            .id());
            media.put("mimeType", type.mime());
        }
    }

    private ObjectNode file(MediaKind kind, JsonNode file, MediaFile attachment, String at) {
        if (!file.isObject()) {
            throw ApiException.invalid(at, at + " must be an object");
        }
        String name = Require.text(string(file, "name", at, 255), at + ".name", 255);
        String declared = Require.text(string(file, "type", at, 255), at + ".type", 255);
        String displayType = Require.text(string(file, "displayType", at, 20), at + ".displayType", 20);
        String extension = Require.text(string(file, "extension", at, 20), at + ".extension", 20);
        if (attachment == null) {
            throw ApiException.missing(at + ".data");
        }
        MediaType type = MediaUploader.supportedType(declared, at + ".type");
        if (type.kind() != kind) {
            throw ApiException.invalid(
                    at + ".type", "a " + type.mime() + " file cannot be sent as a " + kind.messageType() + " message");
        }
        if (!displayType.equalsIgnoreCase(kind.displayType())) {
            throw ApiException.invalid(
                    at + ".displayType", "displayType must be " + kind.displayType() + " for a " + kind.messageType());
        }
        String ext = MediaTypes.normalizeExtension(extension);
        if (!type.extensions().contains(ext)) {
            throw ApiException.invalid(
                    at + ".extension", "extension '" + extension + "' does not fit the type " + type.mime());
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && !type.extensions().contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            throw ApiException.invalid(at + ".name", "the name '" + name + "' does not end in ." + ext);
        }
        MediaUploader.check(type, attachment, at + ".data");
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        stored.put("name", name);
        stored.put("type", type.mime());
        stored.put("displayType", kind.displayType());
        stored.put("extension", ext);
        stored.put("size", attachment.size());
        stored.put("sha256", attachment.sha256());
        return stored;
    }

    private static URI uri(String link, String field) {
        URI uri;
        try {
            uri = new URI(link.strip());
        } catch (URISyntaxException e) {
            throw ApiException.invalid(field, field + " is not a valid URL");
        }
        LinkFetcher.checkScheme(uri, field);
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ApiException.invalid(field, field + " needs a host");
        }
        return uri;
    }

    private static String string(JsonNode object, String name, String at, int max) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ApiException.invalid(at + "." + name, at + "." + name + " must be a string");
        }
        String text = value.asString();
        if (text.isBlank()) {
            return null;
        }
        return Require.optional(text, at + "." + name, max);
    }
}
