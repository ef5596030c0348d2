package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.cloudapi.MediaKind;
import com.replyhero.whatsapp.egress.EgressAnswer;
import com.replyhero.whatsapp.egress.EgressClient;
import com.replyhero.whatsapp.egress.EgressPolicy;
import com.replyhero.whatsapp.web.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Downloads a link the gateway fetches itself (a {@code link} with a {@code provider}) through the
 * {@link EgressClient}: every address, including each redirect's, is checked and connected to as checked; the
 * provider's headers go to the link's own origin only; the download has a time limit and a size cap, and is
 * spooled to disk.
 */
@Component
class LinkFetcher {

    /** A downloaded file with the type the server declared and the file name from the URL. */
    record Fetched(MediaFile file, String contentType, String filename) {}

    private final EgressClient egress;
    private final MediaSpool spool;
    private final Duration timeout;

    LinkFetcher(EgressClient egress, MediaSpool spool, MediaSettings settings) {
        this.egress = egress;
        this.spool = spool;
        this.timeout = settings.fetch().timeout();
    }

    Fetched fetch(URI link, Map<String, String> headers, MediaKind kind, String field) {
        long started = System.nanoTime();
        EgressAnswer answer;
        try {
            answer = egress.get(link, headers, timeout, field);
        } catch (IOException e) {
            throw failed(
                    field,
                    outOfTime(started)
                            ? "the link did not answer in time"
                            : "cannot download the link: " + e.getMessage());
        }
        try (answer) {
            int status = answer.status();
            if (status != 200) {
                throw failed(field, "downloading the link answered HTTP " + status);
            }
            long length =
                    answer.header("Content-Length").map(LinkFetcher::parseLong).orElse(-1L);
            if (length > kind.maxBytes()) {
                throw MediaUploader.tooLarge(kind, length, field);
            }
            try (InputStream body = answer.body(Long.MAX_VALUE)) {
                MediaFile file = spool.copy(body, kind.maxBytes(), field, MediaUploader.tooLargeMessage(kind, -1));
                return new Fetched(file, answer.header("Content-Type").orElse(null), filename(answer.uri()));
            } catch (java.io.UncheckedIOException | IOException e) {
                throw failed(field, outOfTime(started) ? "the download took too long" : "the download broke");
            }
        }
    }

    private boolean outOfTime(long started) {
        return System.nanoTime() - started >= timeout.toNanos() - 1_000_000;
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static void checkScheme(URI uri, String field) {
        EgressPolicy.checkForm(uri, field);
    }

    private static String filename(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() ? null : name;
    }

    private static ApiException failed(String field, String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "media_fetch_failed", message, field);
    }
}
