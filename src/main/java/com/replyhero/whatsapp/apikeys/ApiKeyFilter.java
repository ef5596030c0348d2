package com.replyhero.whatsapp.apikeys;

import com.replyhero.whatsapp.web.Access;
import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.CanonicalPath;
import com.replyhero.whatsapp.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The org API ({@code /whatsapp/**}) takes {@code X-API-KEY} (header names are case-insensitive). Each request
 * is counted against its key's rate limit (429 with {@code Retry-After} above it), in the database so that the
 * limit holds across nodes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // before IdempotencyFilter, which needs the caller
public class ApiKeyFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-API-KEY";
    static final String CALLER = Caller.class.getName();

    private final ApiKeys apiKeys;
    private final JsonMapper json;

    ApiKeyFilter(ApiKeys apiKeys, JsonMapper json) {
        this.apiKeys = apiKeys;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return Access.of(CanonicalPath.of(request)) != Access.ORG;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key == null || key.isBlank()) {
            ErrorResponses.write(
                    response,
                    json,
                    new ApiError(401, "missing_api_key", "the X-API-KEY header is required", HEADER, null, null));
            return;
        }
        Optional<ApiKeys.Authenticated> caller;
        try {
            caller = apiKeys.authenticateAndCount(key.strip());
        } catch (RuntimeException e) {
            if (!ErrorResponses.isDatabaseDown(e)) {
                throw e;
            }
            // every request looks its key up in PostgreSQL: while it is down, say so (503), never a 500
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            ErrorResponses.write(
                    response,
                    json,
                    new ApiError(
                            503, "database_unavailable", "the database is unavailable; retry later", null, null, null));
            return;
        }
        if (caller.isEmpty()) {
            ErrorResponses.write(
                    response,
                    json,
                    new ApiError(
                            401,
                            "invalid_api_key",
                            "the API key is not valid or has been revoked",
                            HEADER,
                            null,
                            null));
            return;
        }
        if (caller.get().overLimit()) {
            // a sliding window of at most 1.05 s: it has room again within about a second
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            ErrorResponses.write(
                    response,
                    json,
                    new ApiError(
                            429,
                            "rate_limited",
                            "this API key is limited to " + caller.get().limitPerSecond()
                                    + " requests per second; retry after the Retry-After header's seconds",
                            HEADER,
                            null,
                            null));
            return;
        }
        request.setAttribute(CALLER, caller.get().caller());
        Access.grant(request, Access.ORG);
        chain.doFilter(request, response);
    }
}
