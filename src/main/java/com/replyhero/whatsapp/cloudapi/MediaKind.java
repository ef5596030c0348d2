package com.replyhero.whatsapp.cloudapi;

import java.util.Locale;
import java.util.Optional;

/** The media a message may carry, with Meta's size limit for each. */
public enum MediaKind {
    IMAGE(5L * 1024 * 1024),
    DOCUMENT(100L * 1024 * 1024),
    VIDEO(16L * 1024 * 1024),
    AUDIO(16L * 1024 * 1024),
    // an animated sticker's limit; a static one may be at most 100 KB (MediaTypes.maxBytes reads which it is)
    STICKER(500L * 1024);

    private final long maxBytes;

    MediaKind(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The message type and Cloud API object name: {@code image}, {@code document}, {@code video}, {@code audio}, {@code sticker}. */
    public String messageType() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The seed's {@code displayType}: IMAGE, DOCUMENT, VIDEO (and in its style AUDIO, STICKER). */
    public String displayType() {
        return name();
    }

    public static Optional<MediaKind> ofMessageType(String type) {
        for (MediaKind kind : values()) {
            if (kind.messageType().equals(type)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** Whether a file of this kind may carry a caption: Meta refuses one on audio and stickers. */
    public boolean takesCaption() {
        return this != AUDIO && this != STICKER;
    }

    /** "5 MB", "500 KB": the limit as people say it. */
    public String limitText() {
        return sizeText(maxBytes);
    }

    static String sizeText(long bytes) {
        return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)) + " MB" : (bytes / 1024) + " KB";
    }
}
