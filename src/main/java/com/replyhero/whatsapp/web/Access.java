package com.replyhero.whatsapp.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * Who may call an endpoint, decided from its path (for filters: the {@link CanonicalPath}) or from the pattern the
 * dispatcher matched (for {@link AccessPolicy}): one table for both, so they cannot disagree. A path in none of
 * its rows is {@link #UNCLASSIFIED}, and an operation there is refused.
 */
public enum Access {
    /** The operator: {@code Authorization: Bearer <admin token>}. */
    OPERATOR,
    /** An org: {@code X-API-KEY}. */
    ORG,
    /**
     * A console page ({@code /console/**}): the console's Spring Security filter chain decides who (a signed-in
     * user of the right role, or anyone for the sign-in pages) and records that it let the request through.
     */
    CONSOLE,
    /** Anyone: Meta's signed webhooks, the docs, the sandbox (only while it is the upstream), probes. */
    PUBLIC,
    UNCLASSIFIED;

    private static final String GRANTED = Access.class.getName();

    private static final List<String> PUBLIC_PREFIXES =
            List.of("/webhooks/meta", "/error", "/docs", "/v3/api-docs", "/swagger-ui/", "/sandbox/", "/webjars/");

    /** The access a path or a matched pattern needs. */
    public static Access of(String path) {
        if (under(path, "/admin")) {
            return OPERATOR;
        }
        if (under(path, "/actuator/health") || path.equals("/actuator/prometheus")) {
            return PUBLIC; // probes and scrapers
        }
        if (under(path, "/actuator")) {
            return OPERATOR;
        }
        if (under(path, "/console")) {
            return CONSOLE;
        }
        if (path.startsWith("/whatsapp/")) {
            return ORG;
        }
        if (PUBLIC_PREFIXES.stream().anyMatch(path::startsWith)) {
            return PUBLIC;
        }
        return UNCLASSIFIED;
    }

    /** Records that the request authenticated as this kind of caller (called by the filter that checked it). */
    public static void grant(HttpServletRequest request, Access access) {
        request.setAttribute(GRANTED, access);
    }

    /** Whether a filter recorded that the request authenticated as this kind of caller. */
    public static boolean granted(HttpServletRequest request, Access access) {
        return request.getAttribute(GRANTED) == access;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
