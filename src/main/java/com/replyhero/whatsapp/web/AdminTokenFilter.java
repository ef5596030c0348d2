package com.replyhero.whatsapp.web;

import com.replyhero.whatsapp.DataDir;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's admin API ({@code /admin/**}) and the actuator endpoints other than health and Prometheus
 * ({@link Access#OPERATOR}) take {@code Authorization: Bearer <admin token>}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // before IdempotencyFilter, which needs the caller
public class AdminTokenFilter extends OncePerRequestFilter {

    private final byte[] token;
    private final JsonMapper json;

    AdminTokenFilter(DataDir dataDir, AdminSettings settings, JsonMapper json) {
        this.token = dataDir.secret("admin-token", settings.adminToken()).getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    /** The admin token in force (from RH_ADMIN_TOKEN, or generated into the data directory). */
    public String token() {
        return new String(token, StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return Access.of(CanonicalPath.of(request)) != Access.OPERATOR;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ErrorResponses.write(
                    response,
                    json,
                    new ApiError(
                            401,
                            "missing_admin_token",
                            "Authorization: Bearer <admin token> is required",
                            "Authorization",
                            null,
                            null));
            return;
        }
        byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, token)) {
            ErrorResponses.write(
                    response,
                    json,
                    new ApiError(
                            401, "invalid_admin_token", "the admin token is not valid", "Authorization", null, null));
            return;
        }
        Access.grant(request, Access.OPERATOR);
        chain.doFilter(request, response);
    }
}
