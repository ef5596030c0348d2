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
 * Refuses, before any other filter decides anything, a request whose path is not in its one canonical spelling
 * ({@link CanonicalPath}): {@code ;} path parameters, percent-encoding (an encoded letter or separator),
 * {@code /./}, {@code /../}, {@code //} and a trailing slash all answer 400 {@code invalid_path}. Without this, a
 * filter reading the raw URI and Spring MVC matching the decoded one could disagree about which endpoint a
 * request is for ({@code /admin;x/orgs}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class CanonicalPathFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    CanonicalPathFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!CanonicalPath.isCanonical(CanonicalPath.raw(request))) {
            ErrorResponses.write(
                    response,
                    json,
                    new ApiError(
                            400,
                            "invalid_path",
                            "the request path must be spelled plainly: no ';' parameters, percent-encoding, '.' or"
                                    + " '..' segments, empty segments or trailing slash",
                            null,
                            null,
                            null));
            return;
        }
        chain.doFilter(request, response);
    }
}
