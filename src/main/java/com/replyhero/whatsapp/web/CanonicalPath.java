package com.replyhero.whatsapp.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/**
 * The one spelling of a request's path that every filter and the dispatcher share. The gateway's paths need no
 * percent-encoding, no {@code ;} parameters and no {@code .} or {@code ..} segments, so a path is canonical when it
 * is made of non-empty segments of plain characters and does not end in {@code /}: then the raw request URI, the
 * path a filter reads and the path Spring MVC matches are one and the same string. {@link CanonicalPathFilter}
 * refuses every other spelling before anything else looks at the request.
 */
public final class CanonicalPath {

    /** RFC 3986 unreserved and sub-delimiter characters, less {@code ;}, plus {@code :} and {@code @}. */
    private static final Pattern CANONICAL = Pattern.compile("/|(/[A-Za-z0-9_~!$&'()*+,=:@.-]+)+");

    private CanonicalPath() {}

    /**
     * The request's path within the application, as every filter must see it. Throws if the path is not canonical:
     * {@link CanonicalPathFilter} has refused such a request before any other filter runs, so this only fails
     * closed should that order ever break.
     */
    public static String of(HttpServletRequest request) {
        String path = raw(request);
        if (!isCanonical(path)) {
            throw new IllegalStateException("a request with a non-canonical path reached a filter");
        }
        return path;
    }

    static String raw(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** No {@code ;}, {@code %}, {@code \}, empty, {@code .} or {@code ..} segment, and no trailing {@code /}. */
    static boolean isCanonical(String path) {
        if (!CANONICAL.matcher(path).matches()) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
