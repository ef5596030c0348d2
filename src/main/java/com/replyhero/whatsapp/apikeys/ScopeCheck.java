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
class ScopeCheck implements HandlerInterceptor, WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/whatsapp/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)
                || !(request.getAttribute(ApiKeyFilter.CALLER) instanceof Caller caller)) {
            return true;
        }
        RequiresScope required = method.getMethodAnnotation(RequiresScope.class);
        if (required != null) {
            caller.requireScope(required.value());
        } else {
            Scope.all().forEach(caller::requireScope);
        }
        return true;
    }
}
