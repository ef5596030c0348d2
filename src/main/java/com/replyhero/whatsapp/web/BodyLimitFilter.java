package com.replyhero.whatsapp.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A body limit per endpoint, 413 {@code payload_too_large} in the one error shape above it: the small JSON
 * endpoints {@code rh.limits.json-body} (64 KB), a template send and a template creation {@code rh.limits.template-send-body} (1 MB:
 * 10,000 customer ids), Meta's webhooks {@code rh.limits.webhook-body} (3 MB). A message send (which can carry a
 * file in base64) is limited by {@code rh.media.max-send-body} as it streams, multipart uploads by the multipart
 * limits. A declared Content-Length above the limit is refused before anything is read; a body without one is
 * not read here (so that no unauthenticated body is buffered): reading past the limit fails with
 * {@link BodyTooLargeException}, answered 413 like the declared case.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class BodyLimitFilter extends OncePerRequestFilter {

    private final JsonMapper json;
    private final long jsonBody;
    private final long templateSendBody;
    private final long webhookBody;
    private final long customerImportBody;

    BodyLimitFilter(JsonMapper json, LimitSettings limits) {
        this.customerImportBody = limits.customerImportBody().toBytes();
        this.json = json;
        this.jsonBody = limits.jsonBody().toBytes();
        this.templateSendBody = limits.templateSendBody().toBytes();
        this.webhookBody = limits.webhookBody().toBytes();
    }

    /** The limit for this request, or -1 when another limit governs it. */
    long limit(HttpServletRequest request) {
        String path = CanonicalPath.of(request);
        String contentType = request.getContentType();
        if (contentType != null
                && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            return -1; // spring.servlet.multipart.max-file-size / max-request-size
        }
        if (path.equals("/whatsapp/messages/send")) {
            return -1; // rh.media.max-send-body, enforced while streaming (SendRequestReader)
        }
        if (path.equals("/whatsapp/template/send") || templateCreation(path)) {
            return templateSendBody;
        }
        if (path.equals("/webhooks/meta")) {
            return webhookBody;
        }
        if (path.equals("/whatsapp/customers/import")) {
            return customerImportBody;
        }
        return jsonBody;
    }

    /** A template's creation or edit carries its header's example file (base64), as does the sandbox's upload. */
    private static boolean templateCreation(String path) {
        return path.equals("/whatsapp/templates")
                || path.startsWith("/whatsapp/templates/")
                || (path.startsWith("/admin/orgs/") && path.contains("/templates/"))
                || (path.startsWith("/sandbox/graph/") && path.contains("/upload:"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limit(request);
        if (limit < 0) {
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            tooLarge(response, limit);
            return;
        }
        if (declared >= 0) {
            chain.doFilter(request, response); // the server reads no more than Content-Length
            return;
        }
        // no Content-Length (chunked): nothing is read here; whoever reads the body (after the caller is
        // authenticated, or a webhook's permit is taken) gets BodyTooLargeException past the limit
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    private void tooLarge(HttpServletResponse response, long limit) throws IOException {
        response.setHeader("Connection", "close");
        ErrorResponses.write(
                response,
                json,
                new ApiError(
                        413,
                        "payload_too_large",
                        "the request body is larger than this endpoint's limit of " + limit + " bytes",
                        null,
                        null,
                        null));
    }
}
