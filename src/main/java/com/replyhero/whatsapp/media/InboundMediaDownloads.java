package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageReceived;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.whatsapp.CloudApi;
import com.replyhero.whatsapp.whatsapp.WhatsAppApiException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

/**
 * Inbound media (image, document, video, audio, sticker): recorded when the customer's message is stored, then
 * downloaded from the Cloud API at once (media id → {@code GET /{media-id}} gives a short-lived URL → the bytes,
 * both with the org's token), checked against Meta's sha256, kept in {@link InboundMediaStore}; a failed
 * download is retried with backoff up to {@code rh.media.download-attempts} times, then the media is
 * {@code failed}.
 */
@Component
class InboundMediaDownloads {

    private static final Logger log = LoggerFactory.getLogger(InboundMediaDownloads.class);

    static final Set<String> KINDS = Set.of("image", "document", "video", "audio", "sticker");

    /** A download waiting or in progress. */
    record Download(String orgId, String mediaId, String messageId, String expectedSha256, int attempts) {}

    private final JdbcClient db;
    private final Orgs orgs;
    private final CloudApi cloudApi;
    private final InboundMediaStore store;
    private final TransactionTemplate transaction;
    private final int maxAttempts;
    private final long maxBytes;

    InboundMediaDownloads(
            JdbcClient db,
            Orgs orgs,
            CloudApi cloudApi,
            InboundMediaStore store,
            TransactionTemplate transaction,
            @Value("${rh.media.download-attempts:10}") int maxAttempts,
            @Value("${rh.media.inbound-max-size:100MB}") DataSize maxSize) {
        this.db = db;
        this.orgs = orgs;
        this.cloudApi = cloudApi;
        this.store = store;
        this.transaction = transaction;
        this.maxAttempts = maxAttempts;
        this.maxBytes = maxSize.toBytes();
    }

    /** In the transaction that stores the customer's message: the media row and its download job. */
    @EventListener
    void on(MessageReceived received) {
        Message m = received.message();
        JsonNode media = m.content().path(m.kind());
        String mediaId = media.path("id").asString(null);
        if (!KINDS.contains(m.kind()) || mediaId == null || mediaId.isBlank()) {
            return;
        }
        int inserted = db.sql("""
                        INSERT INTO media (org_id, id, direction, mime_type, sha256, filename, status)
                        VALUES (:orgId, :id, 'inbound', :mimeType, :sha256, :filename, 'downloading')
                        ON CONFLICT (org_id, id) DO NOTHING
                        """)
                .param("orgId", m.orgId())
                .param("id", mediaId)
                .param("mimeType", media.path("mime_type").asString("application/octet-stream"))
                .param("sha256", media.path("sha256").asString(null))
                .param("filename", media.path("filename").asString(null))
                .update();
        if (inserted > 0) {
            db.sql("""
                            INSERT INTO media_downloads (org_id, media_id, message_id, expected_sha256)
                            VALUES (:orgId, :mediaId, :messageId, :sha256)
                            """)
                    .param("orgId", m.orgId())
                    .param("mediaId", mediaId)
                    .param("messageId", m.id())
                    .param("sha256", media.path("sha256").asString(null))
                    .update();
        }
    }

    @Scheduled(fixedDelayString = "${rh.media.download-poll:500ms}", initialDelayString = "2s")
    void downloadDue() {
        List<Download> due;
        try {
            due = claim(16);
        } catch (RuntimeException e) {
            log.warn("Claiming media downloads failed: {}", e.getMessage());
            return;
        }
        List<Thread> threads = new ArrayList<>();
        for (Download download : due) {
            threads.add(Thread.ofVirtual().name("media-download").start(() -> download(download)));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<Download> claim(int limit) {
        return db.sql("""
                        UPDATE media_downloads d
                           SET lease_until = now() + interval '10 minutes', attempts = d.attempts + 1
                          FROM (SELECT org_id, media_id FROM media_downloads
                                 WHERE next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                                 ORDER BY next_attempt_at
                                 LIMIT :limit
                                   FOR UPDATE SKIP LOCKED) due
                         WHERE d.org_id = due.org_id AND d.media_id = due.media_id
                        RETURNING d.*
                        """)
                .param("limit", limit)
                .query((rs, row) -> new Download(
                        rs.getString("org_id"),
                        rs.getString("media_id"),
                        rs.getString("message_id"),
                        rs.getString("expected_sha256"),
                        rs.getInt("attempts")))
                .list();
    }

    /** One attempt: the media is ready afterwards, or waits for the next attempt, or has failed for good. */
    void download(Download d) {
        Path temporary = null;
        try {
            Optional<Channel> channel = orgs.channel(d.orgId());
            if (channel.isEmpty()) {
                throw new IllegalStateException("the org has no channel");
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
            String path = store.relativePath(d.orgId(), d.mediaId());
            temporary = store.temporary(path);
            long size = cloudApi.download(channel.get(), URI.create(url), temporary, maxBytes);
            byte[] digest = InboundMediaStore.sha256(temporary);
            for (String expected : new String[] {info.path("sha256").asString(null), d.expectedSha256()}) {
                if (expected != null && !matches(expected, digest)) {
                    throw new IllegalStateException("the bytes do not match Meta's sha256 " + expected);
                }
            }
            store.commit(temporary, path);
            temporary = null;
            String mimeType = info.path("mime_type").asString(null);
            transaction.executeWithoutResult(tx -> {
                db.sql("""
                                UPDATE media
                                   SET status = 'ready', storage_path = :path, size_bytes = :size,
                                       sha256 = :sha256, mime_type = coalesce(:mimeType::text, mime_type)
                                 WHERE org_id = :orgId AND id = :id
                                """)
                        .param("orgId", d.orgId())
                        .param("id", d.mediaId())
                        .param("path", path)
                        .param("size", size)
                        .param("sha256", HexFormat.of().formatHex(digest))
                        .param("mimeType", mimeType)
                        .update();
                db.sql("DELETE FROM media_downloads WHERE org_id = :orgId AND media_id = :id")
                        .param("orgId", d.orgId())
                        .param("id", d.mediaId())
                        .update();
            });
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
                    // a stray .part file; the next attempt makes a new one
                }
            }
        }
    }

    private void failedForGood(Download d, String error) {
        failed(d, error, true);
    }

    private void failed(Download d, String error) {
        failed(d, error, d.attempts() >= maxAttempts);
    }

    private void failed(Download d, String error, boolean last) {
        log.warn(
                "Downloading media {} of org {} failed (attempt {}{}): {}",
                d.mediaId(),
                d.orgId(),
                d.attempts(),
                last ? ", giving up" : "",
                error);
        transaction.executeWithoutResult(tx -> {
            db.sql("""
                            UPDATE media_downloads
                               SET lease_until = NULL, last_error = :error,
                                   next_attempt_at = CASE WHEN :last THEN 'infinity'::timestamptz ELSE :next END
                             WHERE org_id = :orgId AND media_id = :id
                            """)
                    .param("orgId", d.orgId())
                    .param("id", d.mediaId())
                    .param("error", error)
                    .param("last", last)
                    .param("next", Timestamp.from(Instant.now().plus(backoff(d.attempts()))))
                    .update();
            if (last) {
                db.sql("UPDATE media SET status = 'failed' WHERE org_id = :orgId AND id = :id")
                        .param("orgId", d.orgId())
                        .param("id", d.mediaId())
                        .update();
            }
        });
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
