package com.replyhero.whatsapp.egress;

import com.replyhero.whatsapp.web.ApiException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The one HTTP client for requests a tenant controls (media provider links, the org's event endpoint), guarded by
 * the {@link EgressPolicy}:
 *
 * <ul>
 *   <li>the host name is resolved once, by the connection's own resolver, and the connection goes to the very
 *       addresses that were checked (no DNS rebinding between the check and the connection);
 *   <li>every redirect is checked again, at most {@value #MAX_REDIRECTS}; headers go to the first origin only;
 *   <li>a connect timeout, a deadline for the whole exchange (body included) and a cap on the bytes read.
 * </ul>
 */
@Component
public class EgressClient implements DisposableBean {

    public static final int MAX_REDIRECTS = 3;

    private final EgressPolicy policy;
    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "egress-deadlines");
        t.setDaemon(true);
        return t;
    });

    @Autowired
    EgressClient(EgressPolicy policy, EgressSettings settings) {
        this(policy, settings.connectTimeout());
    }

    EgressClient(EgressPolicy policy, Duration connectTimeout) {
        this.policy = policy;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckingResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.ofSeconds(30))
                                .build())
                        .setMaxConnTotal(500)
                        .setMaxConnPerRoute(20)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /**
     * GET, following at most {@value #MAX_REDIRECTS} redirects, each checked again; {@code headers} go to the first
     * URL's origin only. The whole exchange, body included, is aborted at {@code timeout}.
     *
     * @throws ApiException 400 {@code forbidden_address} (naming {@code field}) for a refused address, or 400 for
     *     a bad redirect target
     * @throws IOException when the exchange fails or runs out of time
     */
    public EgressAnswer get(URI link, Map<String, String> headers, Duration timeout, String field) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = link;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            policy.check(uri, field);
            HttpGet request = new HttpGet(uri);
            if (sameOrigin(uri, link)) {
                headers.forEach(request::addHeader);
            }
            EgressAnswer answer = execute(request, deadline, field, uri);
            int status = answer.status();
            Optional<String> location = answer.header("Location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                answer.close();
                try {
                    uri = uri.resolve(new URI(location.get().strip()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new ApiException(
                            HttpStatus.UNPROCESSABLE_CONTENT,
                            "media_fetch_failed",
                            field + " redirected to an invalid URL",
                            field);
                }
                continue;
            }
            return answer;
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    /** POST without following redirects (a redirect is the answer). */
    public EgressAnswer post(URI uri, Map<String, String> headers, byte[] body, Duration timeout, String field)
            throws IOException {
        policy.check(uri, field);
        HttpPost request = new HttpPost(uri);
        headers.forEach(request::addHeader);
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        return execute(request, System.nanoTime() + timeout.toNanos(), field, uri);
    }

    private EgressAnswer execute(HttpUriRequestBase request, long deadline, String field, URI uri) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new java.net.SocketTimeoutException("out of time");
        }
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(left, TimeUnit.NANOSECONDS))
                .setConnectionRequestTimeout(Timeout.of(left, TimeUnit.NANOSECONDS))
                .build());
        ScheduledFuture<?> cut = deadlines.schedule(request::cancel, left, TimeUnit.NANOSECONDS);
        try {
            ClassicHttpResponse response = http.executeOpen(null, request, null);
            return new EgressAnswer(response, cut, uri);
        } catch (RefusedAddress e) {
            cut.cancel(false);
            throw new ApiException(e.refusal.status(), e.refusal.code(), e.refusal.getMessage(), field);
        } catch (IOException | RuntimeException e) {
            cut.cancel(false);
            if (request.isCancelled()) {
                throw new java.net.SocketTimeoutException("out of time");
            }
            throw e;
        }
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

    /** The connection's resolver: the check and the addresses connected to are one and the same. */
    private final class CheckingResolver implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            try {
                return policy.resolve(host, "url");
            } catch (ApiException e) {
                throw new RefusedAddress(e);
            }
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return Arrays.stream(resolve(host))
                    .map(address -> new InetSocketAddress(address, port))
                    .toList();
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    /** The resolver refused the host: carries the refusal through the HTTP client. */
    static final class RefusedAddress extends UnknownHostException {
        final ApiException refusal;

        RefusedAddress(ApiException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }
}
