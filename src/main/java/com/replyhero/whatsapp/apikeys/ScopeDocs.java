package com.replyhero.whatsapp.apikeys;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document names each org-API operation's scope ({@code x-required-scope}, and in its text). */
@Configuration(proxyBeanMethods = false)
class ScopeDocs {

    static {
        // the caller comes from the X-API-KEY header (ApiKeyFilter), not from query parameters or a form
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OperationCustomizer requiredScopes() {
        return (operation, handlerMethod) -> {
            RequiresScope required = handlerMethod.getMethodAnnotation(RequiresScope.class);
            if (required != null) {
                describe(operation, required.value());
            }
            return operation;
        };
    }

    private static void describe(Operation operation, Scope scope) {
        String note = "Scope: `" + scope.value() + "` (403 insufficient_scope without it).";
        operation.setDescription(
                operation.getDescription() == null ? note : operation.getDescription() + "\n\n" + note);
        operation.addExtension("x-required-scope", scope.value());
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation
                .getResponses()
                .putIfAbsent(
                        "429",
                        new ApiResponse()
                                .description("Rate limited: the key's requests per second are used up; see Retry-After")
                                .content(new Content()
                                        .addMediaType(
                                                "application/json",
                                                new MediaType().schema(new Schema<>().$ref("ApiError")))));
        operation
                .getResponses()
                .putIfAbsent(
                        "403",
                        new ApiResponse()
                                .description(
                                        "insufficient_scope (the key lacks `" + scope.value() + "`) or forbidden_org")
                                .content(new Content()
                                        .addMediaType(
                                                "application/json",
                                                new MediaType().schema(new Schema<>().$ref("ApiError")))));
    }
}
