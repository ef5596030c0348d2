package com.replyhero.whatsapp.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/** A Content-Type that does not parse, or is a wildcard, is refused with 415 before anything reads the body. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class ContentTypeFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    ContentTypeFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && !contentType.isBlank()) {
            boolean acceptable;
            try {
                MediaType type = MediaType.parseMediaType(contentType);
                acceptable = !type.isWildcardType() && !type.isWildcardSubtype();
            } catch (InvalidMediaTypeException e) {
                acceptable = false;
            }
            if (!acceptable) {
                ErrorResponses.write(
                        response,
                        json,
                        new ApiError(
                                415,
                                "unsupported_media_type",
                                "Content-Type must be a concrete media type",
                                "Content-Type",
                                null,
                                null));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
