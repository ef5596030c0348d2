package com.replyhero.whatsapp.cloudapi;

import java.util.Locale;
import java.util.Optional;

/** The media a message may carry, with Meta's size limit for each. */
public enum MediaKind {
    IMAGE(5L * 1024 * 1024),
    DOCUMENT(100L * 1024 * 1024),
    VIDEO(16L * 1024 * 1024);

    private final long maxBytes;

    MediaKind(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The message type and Cloud API object name: {@code image}, {@code document}, {@code video}. */
    public String messageType() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The seed's {@code displayType}: IMAGE, DOCUMENT, VIDEO. */
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

    /** "5 MB": the limit as people say it. */
    public String limitText() {
        return (maxBytes / (1024 * 1024)) + " MB";
    }
}
