package com.replyhero.whatsapp.idempotency;

import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every POST of the org and operator APIs documents the {@code Idempotency-Key} header. */
@Configuration(proxyBeanMethods = false)
class IdempotencyDocs {

    @Bean
    OpenApiCustomizer idempotencyKeyHeader() {
        return openApi -> openApi.getPaths().forEach((path, item) -> {
            if (item.getPost() == null || !(path.startsWith("/whatsapp/") || path.startsWith("/admin/"))) {
                return;
            }
            boolean documented = item.getPost().getParameters() != null
                    && item.getPost().getParameters().stream()
                            .anyMatch(p -> IdempotencyFilter.HEADER.equalsIgnoreCase(p.getName()));
            if (!documented) {
                item.getPost()
                        .addParametersItem(new HeaderParameter()
                                .name(IdempotencyFilter.HEADER)
                                .required(false)
                                .description("A repeat with the same key and request answers the first result"
                                        + " (Idempotency-Replayed: true) and changes nothing; the same key with"
                                        + " another request is 422 idempotency_key_reused. Kept 24 hours, per org; an org's API"
                                        + " keys and the operator never share a key.")
                                .schema(new StringSchema().maxLength(255)));
            }
        });
    }
}
