package com.replyhero.whatsapp.web;

import com.replyhero.whatsapp.whatsapp.GraphEndpoint;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The one check on URLs a tenant gives us to call (event endpoints, media links): http or https only, and
 * no loopback, private, link-local, carrier-grade NAT, multicast or unspecified address, unless the operator
 * allows private addresses ({@code rh.outbound.allow-private-addresses}; by default allowed only while the
 * built-in sandbox is the upstream, so that a local receiver works out of the box). Every address the name
 * resolves to must pass. Check again right before each call: DNS answers change.
 */
@Component
public class OutboundUrls {

    private final boolean allowPrivate;

    @Autowired
    OutboundUrls(@Value("${rh.outbound.allow-private-addresses:}") String allowPrivate, GraphEndpoint graphEndpoint) {
        this.allowPrivate =
                allowPrivate.isBlank() ? graphEndpoint.usesSandbox() : Boolean.parseBoolean(allowPrivate.strip());
    }

    public OutboundUrls(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean allowsPrivateAddresses() {
        return allowPrivate;
    }

    /** The URL when it is an allowed http(s) URL, else a 400 naming {@code field}. */
    public URI require(String url, String field) {
        URI uri = parse(url, field);
        String refusal = refusal(uri);
        if (refusal != null) {
            throw ApiException.invalid(field, field + " " + refusal);
        }
        return uri;
    }

    /** Why the URL may not be called now (a sentence fragment), or null when it may. */
    public String refusal(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return "has no host";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "names a host that does not resolve: " + host;
        }
        if (allowPrivate) {
            return null;
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return "resolves to a non-public address (" + address.getHostAddress() + ")";
            }
        }
        return null;
    }

    private static URI parse(String url, String field) {
        if (url == null || url.isBlank()) {
            throw ApiException.missing(field);
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw ApiException.invalid(field, field + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalid(field, field + " must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ApiException.invalid(field, field + " must name a host");
        }
        if (uri.getUserInfo() != null) {
            throw ApiException.invalid(field, field + " must not carry credentials");
        }
        return uri;
    }

    /** True for a globally routable unicast address. */
    public static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
