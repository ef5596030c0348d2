package com.replyhero.whatsapp.apikeys;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Before an org-API operation runs, the caller's key must hold the operation's {@link RequiresScope} (403
 * {@code insufficient_scope} otherwise). An operation without the annotation needs every scope.
 */
@Configuration(proxyBeanMethods = false)
public class ScopeCheck implements HandlerInterceptor, WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/whatsapp/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        require(request, handler);
        return true;
    }

    /**
     * Throws 403 {@code insufficient_scope} when the request's API key lacks the scope of the matched handler. Also
     * called before anything that would answer for the handler without running it (an Idempotency-Key replay).
     */
    public static void require(HttpServletRequest request, Object handler) {
        if (!(handler instanceof HandlerMethod method)
                || !(request.getAttribute(ApiKeyFilter.CALLER) instanceof Caller caller)) {
            return;
        }
        RequiresScope required = method.getMethodAnnotation(RequiresScope.class);
        if (required != null) {
            caller.requireScope(required.value());
        } else {
            Scope.all().forEach(caller::requireScope);
        }
    }
}
