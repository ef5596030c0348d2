package com.replyhero.whatsapp.egress;

import com.replyhero.whatsapp.cloudapi.GraphEndpoint;
import com.replyhero.whatsapp.web.ApiException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Which URLs and addresses a request a tenant controls (media provider links, the org's event endpoint) may reach;
 * {@link EgressClient} makes such requests, checking every address with this policy.
 *
 * <ul>
 *   <li>http and https only, no credentials in the URL;
 *   <li>public unicast addresses only: loopback, private ranges, link-local (169.254.169.254, where cloud metadata
 *       lives), carrier-grade NAT, multicast, unspecified, reserved, fc00::/7, fe80::/10, IPv4-compatible
 *       IPv6 (::/96), NAT64 local-use 64:ff9b:1::/48 and Teredo are refused; IPv4-mapped (::ffff:0:0/96), NAT64
 *       (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged as the IPv4 address they carry; unless the operator allows a host or network ({@code rh.egress.allowed-hosts})
 *       or loopback ({@code rh.egress.allow-loopback}: by default only while the built-in sandbox is the
 *       upstream, so that local receivers and file servers work out of the box).
 * </ul>
 */
@Component
public class EgressPolicy {

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

    @Autowired
    EgressPolicy(GraphEndpoint endpoint, EgressSettings settings) {
        this(settings.allowsLoopback(endpoint.usesSandbox()), String.join(",", settings.allowedHosts()));
    }

    EgressPolicy(boolean allowLoopback, String allowed) {
        this.allowLoopback = allowLoopback;
        List<String> entries = Arrays.stream(allowed.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
        this.allowedNetworks = entries.stream().filter(e -> e.contains("/")).toList();
        this.allowedHosts = entries.stream().filter(e -> !e.contains("/")).toList();
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
        check(uri, field);
        return uri;
    }

    /** The URL's form and every address its host resolves to, checked now; the addresses to connect to. */
    InetAddress[] check(URI uri, String field) {
        checkForm(uri, field);
        return resolve(uri.getHost(), field);
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
}
