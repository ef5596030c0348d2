package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.cloudapi.CloudApi;
import com.replyhero.whatsapp.cloudapi.WhatsAppApiException;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * One download of a medium a customer sent: media id → {@code GET /{media-id}} gives a short-lived URL → the bytes,
 * both with the org's token, into the spool; checked against Meta's sha256 and kept in the {@link MediaStore}. A failed attempt
 * waits with backoff for the next one, up to {@code rh.media.download-attempts}, then the media is {@code failed}.
 * {@link MediaDownloadDispatcher} runs the due downloads.
 */
@Component
class InboundMediaDownloader {

    private static final Logger log = LoggerFactory.getLogger(InboundMediaDownloader.class);

    private final InboundMedia media;
    private final Orgs orgs;
    private final CloudApi cloudApi;
    private final MediaSpool spool;
    private final MediaStore store;
    private final int maxAttempts;
    private final long maxBytes;

    InboundMediaDownloader(
            InboundMedia media,
            Orgs orgs,
            CloudApi cloudApi,
            MediaSpool spool,
            MediaStore store,
            MediaSettings settings) {
        this.media = media;
        this.orgs = orgs;
        this.cloudApi = cloudApi;
        this.spool = spool;
        this.store = store;
        this.maxAttempts = settings.downloadAttempts();
        this.maxBytes = settings.inboundMaxSize().toBytes();
    }

    /** One attempt: the media is ready afterwards, or waits for the next attempt, or has failed for good. */
    void download(InboundMedia.Download d) {
        Path temporary = null;
        try {
            Optional<Channel> channel = orgs.channelOrDefault(d.orgId(), d.channelId());
            if (channel.isEmpty()) {
                throw new IllegalStateException("the org has no such channel");
            }
            JsonNode info = cloudApi.get(channel.get(), "/" + URLEncoder.encode(d.mediaId(), StandardCharsets.UTF_8));
            String url = info.path("url").asString("");
            if (url.isEmpty()) {
                throw new IllegalStateException("the Cloud API gave no URL for the media");
            }
            if (info.path("file_size").asLong(0) > maxBytes) {
                // Meta's own limits stop at 100 MB: a larger file is refused for good, without downloading it
                failedForGood(d, "the media is larger than " + maxBytes + " bytes");
                return;
            }
            temporary = spool.newFile();
            long size = cloudApi.download(channel.get(), URI.create(url), temporary, maxBytes);
            byte[] digest = MediaStore.sha256(temporary);
            for (String expected : new String[] {info.path("sha256").asString(null), d.expectedSha256()}) {
                if (expected != null && !matches(expected, digest)) {
                    throw new IllegalStateException("the bytes do not match Meta's sha256 " + expected);
                }
            }
            String path = MediaStore.inboundKey(d.orgId(), d.mediaId());
            store.put(path, temporary, HexFormat.of().formatHex(digest));
            String mimeType = info.path("mime_type").asString(null);
            media.ready(d, path, size, HexFormat.of().formatHex(digest), mimeType);
        } catch (WhatsAppApiException e) {
            if (e.outcome() == WhatsAppApiException.Outcome.REJECTED) {
                failedForGood(d, e.getMessage());
            } else {
                failed(d, e.getMessage());
            }
        } catch (RuntimeException e) {
            failed(d, e.getMessage());
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (java.io.IOException ignored) {
                    // the spool directory is emptied at start-up
                }
            }
        }
    }

    private void failedForGood(InboundMedia.Download d, String error) {
        failed(d, error, true);
    }

    private void failed(InboundMedia.Download d, String error) {
        failed(d, error, d.attempts() >= maxAttempts);
    }

    private void failed(InboundMedia.Download d, String error, boolean last) {
        log.warn(
                "Downloading media {} of org {} failed (attempt {}{}): {}",
                d.mediaId(),
                d.orgId(),
                d.attempts(),
                last ? ", giving up" : "",
                error);
        media.failed(d, error, last, Instant.now().plus(backoff(d.attempts())));
    }

    /** About 1 s, 2 s, 4 s ... capped at 5 minutes, each between half and all of the step. */
    static Duration backoff(int attempt) {
        long ceiling = Math.min(300_000L, 1000L << Math.min(Math.max(attempt - 1, 0), 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    /** Meta gives sha256 in hex or in base64; either must match. */
    static boolean matches(String expected, byte[] digest) {
        String e = expected.strip();
        return e.equalsIgnoreCase(HexFormat.of().formatHex(digest))
                || e.equals(Base64.getEncoder().encodeToString(digest))
                || e.equals(Base64.getUrlEncoder().encodeToString(digest));
    }
}
