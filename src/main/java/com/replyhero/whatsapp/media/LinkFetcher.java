package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.web.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Downloads a link the gateway fetches itself (a {@code link} with a {@code provider}): every address,
 * including each redirect's, is checked by {@link AddressPolicy}; the provider's headers go to the link's
 * own origin only; the download has a time limit and a size cap, and is spooled to disk.
 */
@Component
class LinkFetcher {

    /** A downloaded file with the type the server declared and the file name from the URL. */
    record Fetched(MediaFile file, String contentType, String filename) {}

    private static final int MAX_REDIRECTS = 5;

    private final AddressPolicy policy;
    private final MediaSpool spool;
    private final Duration timeout;
    private final HttpClient http;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "media-fetch-deadlines");
        t.setDaemon(true);
        return t;
    });

    LinkFetcher(
            AddressPolicy policy,
            MediaSpool spool,
            @Value("${rh.media.fetch.connect-timeout:5s}") Duration connectTimeout,
            @Value("${rh.media.fetch.timeout:60s}") Duration timeout) {
        this.policy = policy;
        this.spool = spool;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Fetched fetch(URI link, Map<String, String> headers, MediaKind kind, String field) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = link;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkScheme(uri, field);
            policy.check(uri, field);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(remaining(deadline, field))
                    .GET();
            if (sameOrigin(uri, link)) {
                headers.forEach(request::header);
            }
            HttpResponse<InputStream> response = send(request.build(), field);
            int status = response.statusCode();
            if (status >= 300
                    && status < 400
                    && response.headers().firstValue("Location").isPresent()) {
                close(response.body());
                try {
                    uri = uri.resolve(
                            response.headers().firstValue("Location").get().strip());
                } catch (IllegalArgumentException e) {
                    throw failed(field, "the link redirected to an invalid URL");
                }
                continue;
            }
            if (status != 200) {
                close(response.body());
                throw failed(field, "downloading the link answered HTTP " + status);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > kind.maxBytes()) {
                close(response.body());
                throw MediaUploads.tooLarge(kind, length, field);
            }
            InputStream body = response.body();
            ScheduledFuture<?> cut = deadlines.schedule(
                    () -> close(body), remaining(deadline, field).toNanos(), TimeUnit.NANOSECONDS);
            try (body) {
                MediaFile file = spool.copy(body, kind.maxBytes(), field, MediaUploads.tooLargeMessage(kind, -1));
                return new Fetched(
                        file, response.headers().firstValue("Content-Type").orElse(null), filename(uri));
            } catch (java.io.UncheckedIOException e) {
                throw failed(field, System.nanoTime() > deadline ? "the download took too long" : "the download broke");
            } catch (IOException e) {
                throw failed(field, "the download broke");
            } finally {
                cut.cancel(false);
            }
        }
        throw failed(field, "too many redirects");
    }

    private HttpResponse<InputStream> send(HttpRequest request, String field) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.http.HttpTimeoutException e) {
            throw failed(field, "the link did not answer in time");
        } catch (IOException e) {
            throw failed(field, "cannot download the link: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(field, "interrupted");
        }
    }

    static void checkScheme(URI uri, String field) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalid(field, field + " must be an http or https URL");
        }
    }

    private Duration remaining(long deadline, String field) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw failed(field, "the download took too long");
        }
        return Duration.ofNanos(left);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String filename(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() ? null : name;
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing left to read
        }
    }

    private static ApiException failed(String field, String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "media_fetch_failed", message, field);
    }
}
