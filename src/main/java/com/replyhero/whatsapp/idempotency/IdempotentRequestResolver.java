package com.replyhero.whatsapp.idempotency;

import com.replyhero.whatsapp.web.Idempotent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets the operations that keep their own keys ({@code @Idempotent(OPERATION)}) take an {@link IdempotentRequest}
 * parameter.
 */
@Configuration(proxyBeanMethods = false)
class IdempotentRequestResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    private final IdempotentRequests idempotentRequests;

    IdempotentRequestResolver(IdempotentRequests idempotentRequests) {
        this.idempotentRequests = idempotentRequests;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == IdempotentRequest.class;
    }

    @Override
    @SuppressWarnings("unchecked")
    public IdempotentRequest resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) {
        Idempotent idempotent = parameter.getMethodAnnotation(Idempotent.class);
        if (idempotent == null || idempotent.value() != Idempotent.Keeper.OPERATION) {
            throw new IllegalStateException(parameter.getExecutable() + " takes an IdempotentRequest but is not"
                    + " @Idempotent(OPERATION): its keys would be kept twice");
        }
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return idempotentRequests
                .of(
                        request,
                        webRequest.getNativeResponse(HttpServletResponse.class),
                        variables instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of())
                .orElseThrow(() -> new IllegalStateException("an @Idempotent operation ran unauthenticated"));
    }
}
