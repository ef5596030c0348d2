package com.replyhero.whatsapp.egress;

import com.replyhero.whatsapp.cloudapi.GraphEndpoint;
import com.replyhero.whatsapp.web.ApiException;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
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
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The one guard on every outbound request a tenant controls (media provider links, the org's event endpoint).
 *
 * <ul>
 *   <li>http and https only, no credentials in the URL;
 *   <li>public unicast addresses only: loopback, private ranges, link-local (169.254.169.254, where cloud metadata
 *       lives), carrier-grade NAT, multicast, unspecified, reserved, fc00::/7, fe80::/10, IPv4-compatible
 *       IPv6 (::/96), NAT64 local-use 64:ff9b:1::/48 and Teredo are refused; IPv4-mapped (::ffff:0:0/96), NAT64
 *       (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged as the IPv4 address they carry; unless the operator allows a host or network ({@code rh.egress.allowed-hosts})
 *       or loopback ({@code rh.egress.allow-loopback}: by default only while the built-in sandbox is the
 *       upstream, so that local receivers and file servers work out of the box);
 *   <li>the host name is resolved once, by the connection's own resolver, and the connection goes to the very
 *       addresses that were checked (no DNS rebinding between the check and the connection);
 *   <li>every redirect is checked again, at most {@value #MAX_REDIRECTS}; headers go to the first origin only;
 *   <li>a connect timeout, a deadline for the whole exchange (body included) and a cap on the bytes read.
 * </ul>
 */
@Component
public class EgressGuard implements DisposableBean {

    public static final int MAX_REDIRECTS = 3;

    private static final List<String> FORBIDDEN_NETWORKS = List.of(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::/96", // unspecified, and IPv4-compatible (deprecated; may be routed to the IPv4 it carries)
            "64:ff9b:1::/48", // NAT64 local use: may carry private IPv4 addresses, in several layouts
            "100::/64",
            "2001::/32", // Teredo: the IPv4 address it reaches is hidden in it
            "2001:db8::/32",
            "fc00::/7",
            "fe80::/10",
            "fec0::/10",
            "ff00::/8");

    private final boolean allowLoopback;
    private final List<String> allowedHosts;
    private final List<String> allowedNetworks;
    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "egress-deadlines");
        t.setDaemon(true);
        return t;
    });

    @Autowired
    EgressGuard(GraphEndpoint endpoint, EgressSettings settings) {
        this(
                settings.allowsLoopback(endpoint.usesSandbox()),
                String.join(",", settings.allowedHosts()),
                settings.connectTimeout());
    }

    public EgressGuard(boolean allowLoopback, String allowed, Duration connectTimeout) {
        this.allowLoopback = allowLoopback;
        List<String> entries = Arrays.stream(allowed.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
        this.allowedNetworks = entries.stream().filter(e -> e.contains("/")).toList();
        this.allowedHosts = entries.stream().filter(e -> !e.contains("/")).toList();
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

    public boolean allowsLoopback() {
        return allowLoopback;
    }

    /**
     * A tenant's URL, parsed and checked now: http(s), a host, no credentials, and every address it resolves to
     * allowed. 400 naming {@code field} otherwise ({@code invalid_request}, or {@code forbidden_address}).
     */
    public URI require(String url, String field) {
        if (url == null || url.isBlank()) {
            throw ApiException.missing(field);
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw ApiException.invalid(field, field + " is not a valid URL");
        }
        checkForm(uri, field);
        resolve(uri.getHost(), field);
        return uri;
    }

    /** http or https, with a host and without credentials. */
    public static void checkForm(URI uri, String field) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalid(field, field + " must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ApiException.invalid(field, field + " must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.invalid(field, field + " must not carry credentials");
        }
    }

    /** Why the URL may not be called now (a sentence), or empty when it may. */
    public Optional<String> refusal(URI uri) {
        try {
            checkForm(uri, "url");
            resolve(uri.getHost(), "url");
            return Optional.empty();
        } catch (ApiException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Resolves the host once and checks every address; the addresses to connect to. */
    InetAddress[] resolve(String host, String field) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "forbidden_address",
                    field + " names a host that does not resolve: " + bare,
                    field);
        }
        if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "forbidden_address",
                        field + " resolves to " + address.getHostAddress() + ", a loopback, private, link-local or"
                                + " otherwise non-public address; the gateway does not call those unless the operator"
                                + " allows it (RH_EGRESS_ALLOWED_HOSTS, RH_EGRESS_ALLOW_LOOPBACK)",
                        field);
            }
        }
        return addresses;
    }

    /** May the gateway connect to this address for a tenant. */
    public boolean allowed(InetAddress address) {
        for (String network : allowedNetworks) {
            if (inNetwork(address, network)) {
                return true;
            }
        }
        InetAddress effective = carriedIpv4(address);
        if (effective.isLoopbackAddress()) {
            // the allowance is for this host's own loopback, not for 127.0.0.1 behind a translator or relay
            return allowLoopback && (effective == address || isMapped(address.getAddress()));
        }
        if (effective.isAnyLocalAddress()
                || effective.isLinkLocalAddress()
                || effective.isSiteLocalAddress()
                || effective.isMulticastAddress()) {
            return false;
        }
        for (String network : FORBIDDEN_NETWORKS) {
            if (inNetwork(effective, network)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The IPv4 address an IPv6 address reaches, where the prefix says so: IPv4-mapped (::ffff:a.b.c.d), NAT64
     * well-known (64:ff9b::a.b.c.d, the translator connects to a.b.c.d) and 6to4 (2002:aabb:ccdd::/48, relayed
     * to a.b.c.d). Any other address is judged as itself.
     */
    private static InetAddress carriedIpv4(InetAddress address) {
        byte[] a = address.getAddress();
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        if (isMapped(a) || inNetwork(address, "64:ff9b::/96")) {
            return ipv4(Arrays.copyOfRange(a, 12, 16), address);
        }
        if (inNetwork(address, "2002::/16")) {
            return ipv4(Arrays.copyOfRange(a, 2, 6), address);
        }
        return address;
    }

    private static InetAddress ipv4(byte[] bytes, InetAddress otherwise) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return otherwise;
        }
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as the IPv4 address it carries. */
    private static InetAddress unmapped(InetAddress address) {
        byte[] a = address.getAddress();
        if (address instanceof Inet6Address && isMapped(a)) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(a, 12, 16));
            } catch (UnknownHostException e) {
                return address;
            }
        }
        return address;
    }

    static boolean inNetwork(InetAddress address, String cidr) {
        String[] parts = cidr.split("/", 2);
        InetAddress base;
        try {
            base = InetAddress.getByName(parts[0]);
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] a = unmapped(address).getAddress();
        byte[] b = base.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (b[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMapped(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    /** The connection's resolver: the check and the addresses connected to are one and the same. */
    private final class CheckingResolver implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            try {
                return EgressGuard.this.resolve(host, "url");
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

    /** An answer; close it (the deadline keeps running until then). */
    public static final class Answer implements Closeable {
        private final ClassicHttpResponse response;
        private final ScheduledFuture<?> deadline;
        private final URI uri;

        Answer(ClassicHttpResponse response, ScheduledFuture<?> deadline, URI uri) {
            this.response = response;
            this.deadline = deadline;
            this.uri = uri;
        }

        public int status() {
            return response.getCode();
        }

        /** The URL that answered (after redirects). */
        public URI uri() {
            return uri;
        }

        public Optional<String> header(String name) {
            Header header = response.getFirstHeader(name);
            return Optional.ofNullable(header).map(Header::getValue);
        }

        /** The body, cut off with an IOException past {@code maxBytes}. */
        public InputStream body(long maxBytes) throws IOException {
            InputStream in = response.getEntity() == null
                    ? InputStream.nullInputStream()
                    : response.getEntity().getContent();
            return new Capped(in, maxBytes);
        }

        @Override
        public void close() {
            deadline.cancel(false);
            try {
                response.close();
            } catch (IOException ignored) {
                // the connection is discarded
            }
        }
    }

    /** Thrown when more than the cap is read. */
    public static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("the answer is larger than " + max + " bytes");
        }
    }

    private static final class Capped extends FilterInputStream {
        private final long max;
        private long read;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > max) {
                throw new TooLarge(max);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (read += n) > max) {
                throw new TooLarge(max);
            }
            return n;
        }
    }

    /**
     * GET, following at most {@value #MAX_REDIRECTS} redirects, each checked again; {@code headers} go to the first
     * URL's origin only. The whole exchange, body included, is aborted at {@code timeout}.
     *
     * @throws ApiException 400 {@code forbidden_address} (naming {@code field}) for a refused address, or 400 for
     *     a bad redirect target
     * @throws IOException when the exchange fails or runs out of time
     */
    public Answer get(URI link, Map<String, String> headers, Duration timeout, String field) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = link;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkForm(uri, field);
            resolve(uri.getHost(), field);
            HttpGet request = new HttpGet(uri);
            if (sameOrigin(uri, link)) {
                headers.forEach(request::addHeader);
            }
            Answer answer = execute(request, deadline, field, uri);
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
    public Answer post(URI uri, Map<String, String> headers, byte[] body, Duration timeout, String field)
            throws IOException {
        checkForm(uri, field);
        resolve(uri.getHost(), field);
        HttpPost request = new HttpPost(uri);
        headers.forEach(request::addHeader);
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        return execute(request, System.nanoTime() + timeout.toNanos(), field, uri);
    }

    private Answer execute(HttpUriRequestBase request, long deadline, String field, URI uri) throws IOException {
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
            return new Answer(response, cut, uri);
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

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }
}
