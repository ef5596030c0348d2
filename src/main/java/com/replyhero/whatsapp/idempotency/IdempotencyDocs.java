package com.replyhero.whatsapp.idempotency;

import com.replyhero.whatsapp.web.Idempotent;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every {@link Idempotent} operation documents the {@code Idempotency-Key} header. */
@Configuration(proxyBeanMethods = false)
class IdempotencyDocs {

    static {
        // resolved from the Idempotency-Key header (documented below), not a request body or form
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(IdempotentRequest.class);
    }

    @Bean
    OperationCustomizer idempotencyKeyHeader() {
        return (operation, handlerMethod) -> {
            if (!handlerMethod.hasMethodAnnotation(Idempotent.class)) {
                return operation;
            }
            boolean documented = operation.getParameters() != null
                    && operation.getParameters().stream()
                            .anyMatch(p -> IdempotentRequest.HEADER.equalsIgnoreCase(p.getName()));
            if (!documented) {
                operation.addParametersItem(new HeaderParameter()
                        .name(IdempotentRequest.HEADER)
                        .required(false)
                        .description("A repeat with the same key and request answers the first result"
                                + " (Idempotency-Replayed: true) and changes nothing; the same key with"
                                + " another request is 422 idempotency_key_reused, and while the first still"
                                + " runs 409 request_in_progress (Retry-After). Per org; an org's API keys and"
                                + " the operator never share a key. Kept 24 hours; a send's and a template send's as long as"
                                + " their message or broadcast.")
                        .schema(new StringSchema().maxLength(255)));
            }
            return operation;
        };
    }
}
