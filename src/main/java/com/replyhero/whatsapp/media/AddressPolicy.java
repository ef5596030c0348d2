package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.whatsapp.GraphEndpoint;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Which addresses the gateway may download from (SSRF): not loopback, private, link-local (cloud metadata
 * lives at 169.254.169.254), carrier-grade NAT, unique-local IPv6, multicast or unspecified addresses,
 * unless the operator allows the host or its network ({@code rh.media.fetch.allowed-hosts}: host names and
 * CIDR blocks). Loopback is allowed by {@code rh.media.fetch.allow-loopback}, by default only while the
 * built-in sandbox is the upstream (so a local file server works out of the box).
 */
@Component
public class AddressPolicy {

    private static final List<String> FORBIDDEN_NETWORKS = List.of(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::/128",
            "::1/128",
            "fc00::/7",
            "fe80::/10",
            "ff00::/8");

    private final boolean allowLoopback;
    private final List<String> allowedHosts;
    private final List<String> allowedNetworks;

    @Autowired
    AddressPolicy(
            GraphEndpoint endpoint,
            @Value("${rh.media.fetch.allow-loopback:}") String allowLoopback,
            @Value("${rh.media.fetch.allowed-hosts:}") String allowed) {
        this(allowLoopback.isBlank() ? endpoint.usesSandbox() : Boolean.parseBoolean(allowLoopback.strip()), allowed);
    }

    AddressPolicy(boolean allowLoopback, String allowed) {
        this.allowLoopback = allowLoopback;
        List<String> entries = Arrays.stream(allowed.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
        this.allowedNetworks = entries.stream().filter(e -> e.contains("/")).toList();
        this.allowedHosts = entries.stream().filter(e -> !e.contains("/")).toList();
    }

    public boolean allowsLoopback() {
        return allowLoopback;
    }

    /** Resolves the URI's host and refuses (400, {@code forbidden_link_address}) when it may not be reached. */
    public void check(URI uri, String field) {
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw refused(field, "the link has no host");
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT))) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bareHost);
        } catch (UnknownHostException e) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT, "media_fetch_failed", "cannot resolve " + bareHost, field);
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw refused(
                        field,
                        "the link resolves to " + address.getHostAddress()
                                + ", a loopback, private, link-local or otherwise internal address; the gateway does"
                                + " not download from those unless an operator allows it (rh.media.fetch.allowed-hosts)");
            }
        }
    }

    boolean allowed(InetAddress address) {
        for (String network : allowedNetworks) {
            if (inNetwork(address, network)) {
                return true;
            }
        }
        if (address.isLoopbackAddress()) {
            return allowLoopback;
        }
        if (address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        for (String network : FORBIDDEN_NETWORKS) {
            if (inNetwork(address, network)) {
                return false;
            }
        }
        return true;
    }

    static boolean inNetwork(InetAddress address, String cidr) {
        String[] parts = cidr.split("/", 2);
        InetAddress base;
        try {
            base = InetAddress.getByName(parts[0]);
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] b = base.getAddress();
        if (address instanceof Inet6Address && a.length == 16 && b.length == 4 && isMapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != b.length) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        BigInteger mask = BigInteger.ONE
                .shiftLeft(a.length * 8)
                .subtract(BigInteger.ONE)
                .shiftRight(bits)
                .not();
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, b).and(mask));
    }

    private static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    private static ApiException refused(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "forbidden_link_address", message, field);
    }
}
