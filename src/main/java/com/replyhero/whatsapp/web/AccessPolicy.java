package com.replyhero.whatsapp.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The last word on who may call an operation, decided on the pattern the dispatcher matched, whatever the request's
 * spelling: an operator operation runs only if the admin token filter let this request through, an org operation
 * only if the API key filter did, and an operation that {@link Access} does not classify never runs (fail closed).
 * The filters decide first on the same table ({@link CanonicalPath}); this check holds should they and the
 * dispatcher ever disagree about a path.
 */
@Configuration(proxyBeanMethods = false)
class AccessPolicy implements HandlerInterceptor, WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).order(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod)) {
            return true; // static files (the resource handler): no operation, no tenant data
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Access needed = pattern instanceof String matched ? Access.of(matched) : Access.UNCLASSIFIED;
        switch (needed) {
            case PUBLIC -> {
                return true;
            }
            case OPERATOR -> {
                if (!Access.granted(request, Access.OPERATOR)) {
                    throw new ApiException(
                            HttpStatus.UNAUTHORIZED,
                            "missing_admin_token",
                            "Authorization: Bearer <admin token> is required",
                            "Authorization");
                }
                return true;
            }
            case CONSOLE -> {
                if (!Access.granted(request, Access.CONSOLE)) {
                    throw new ApiException(
                            HttpStatus.UNAUTHORIZED, "not_signed_in", "sign in to the console first", null);
                }
                return true;
            }
            case ORG -> {
                if (!Access.granted(request, Access.ORG)) {
                    throw new ApiException(
                            HttpStatus.UNAUTHORIZED,
                            "missing_api_key",
                            "the X-API-KEY header is required",
                            "X-API-KEY");
                }
                return true;
            }
            default ->
                throw new ApiException(
                        HttpStatus.FORBIDDEN,
                        "operation_not_classified",
                        "this operation has no access rule, so nobody may call it",
                        null);
        }
    }
}
