package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.cloudapi.CloudApi;
import com.replyhero.whatsapp.cloudapi.MediaKind;
import com.replyhero.whatsapp.cloudapi.MediaTypes;
import com.replyhero.whatsapp.cloudapi.MediaTypes.MediaType;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.web.ApiException;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Puts checked bytes on the Cloud API ({@code POST /{phone-number-id}/media}) and records the media id for
 * the org with Meta's 30-day expiry. The checks: a supported type, Meta's size limit for its kind, and the
 * declared type matching the file's first bytes. With {@code rh.media.keep-outbound}, the bytes are kept in the
 * {@link MediaStore} first (under their SHA-256: a file sent twice is kept once), so that nothing reaches Meta
 * that the store did not take.
 */
@Service
public class MediaUploader {

    private final CloudApi cloudApi;
    private final UploadedMedia uploadedMedia;
    private final MediaStore store;
    private final boolean keep;

    MediaUploader(CloudApi cloudApi, UploadedMedia uploadedMedia, MediaStore store, MediaSettings settings) {
        this.cloudApi = cloudApi;
        this.uploadedMedia = uploadedMedia;
        this.store = store;
        this.keep = settings.keepOutbound();
    }

    /** The supported type a request declares, or 400 naming the field and the supported types. */
    public static MediaType supportedType(String declared, String field) {
        return MediaTypes.of(declared)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "unsupported_media_type",
                        field + " " + (declared == null ? "is required" : "'" + declared + "' is not supported")
                                + "; supported: " + String.join(", ", MediaTypes.supported())
                                + " (image/jpg and video/3gp are accepted as aliases)",
                        field));
    }

    /** 413 with Meta's limit in the message. */
    public static ApiException tooLarge(MediaKind kind, long size, String field) {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "media_too_large", tooLargeMessage(kind, size), field);
    }

    public static String tooLargeMessage(MediaKind kind, long size) {
        String actual = size < 0
                ? ""
                : kind.maxBytes() < 1048576
                        ? String.format(Locale.ROOT, " (this one is %.1f KB)", size / 1024.0)
                        : String.format(Locale.ROOT, " (this one is %.1f MB)", size / 1048576.0);
        return kind.messageType() + " files may be at most " + kind.limitText() + " (Meta's limit)" + actual;
    }

    /** Checks size and magic numbers; 413 or 400 naming {@code field}. */
    public static void check(MediaType type, MediaFile file, String field) {
        if (file.size() == 0) {
            throw ApiException.invalid(field, field + " is empty");
        }
        if (file.size() > type.kind().maxBytes()) {
            throw tooLarge(type.kind(), file.size(), field);
        }
        if (file.size() > MediaTypes.maxBytes(type, file.head())) {
            throw new ApiException(
                    HttpStatus.PAYLOAD_TOO_LARGE,
                    "media_too_large",
                    String.format(
                            Locale.ROOT,
                            "a static sticker may be at most %s, an animated one %s (Meta's limits; this one is a"
                                    + " static WebP of %.1f KB)",
                            MediaTypes.sizeText(MediaTypes.maxBytes(type, file.head())),
                            type.kind().limitText(),
                            file.size() / 1024.0),
                    field);
        }
        if (!MediaTypes.matches(type, file.head())) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "media_type_mismatch",
                    "the file's content is not " + type.mime() + " (its first bytes do not match the declared type)",
                    field);
        }
    }

    /** Checks the file, uploads it and records the id for the org. */
    public UploadedMedia.Upload upload(
            String orgId, Channel channel, MediaType type, MediaFile file, String filename, String field) {
        check(type, file, field);
        String kept = null;
        if (keep) {
            kept = MediaStore.outboundKey(orgId, file.sha256());
            store.put(kept, file.path(), file.sha256());
        }
        String id = cloudApi.uploadMedia(channel, file.path(), type.mime(), filename == null ? "file" : filename);
        return uploadedMedia.record(orgId, id, type.mime(), file, filename, kept);
    }
}
