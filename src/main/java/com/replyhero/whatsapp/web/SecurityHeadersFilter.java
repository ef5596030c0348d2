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

/**
 * Security headers on every answer. The console's pages get the strict policy (scripts, styles and connections from
 * the gateway only, nothing inline); the docs page (Swagger UI) needs inline styles.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeadersFilter extends OncePerRequestFilter {

    private static final String POLICY =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
    static final String CONSOLE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; form-action 'self';"
            + " base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        String path = CanonicalPath.raw(request);
        response.setHeader(
                "Content-Security-Policy",
                path.equals("/console") || path.startsWith("/console/") ? CONSOLE_POLICY : POLICY);
        response.setHeader("Cache-Control", "no-store");
        chain.doFilter(request, response);
    }
}
