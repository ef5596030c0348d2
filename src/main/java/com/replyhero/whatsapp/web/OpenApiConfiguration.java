package com.replyhero.whatsapp.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import java.util.Locale;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document ({@code /v3/api-docs}) behind the docs page ({@code /docs}), and the committed
 * {@code openapi.json} the Java and TypeScript clients are generated from: the same code gives the same document
 * (a relative server, operation ids from the method and path).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // a JSON value of any shape, not the properties of Jackson's tree class (isArray, isBoolean, ...)
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    @Bean
    OpenAPI openApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("RH WhatsApp API")
                        .version("1.0.0")
                        .description("Self-hosted WhatsApp Business messaging gateway. The org API takes X-API-KEY;"
                                + " the operator's admin API takes Authorization: Bearer <admin token>. Errors share one"
                                + " shape: status, code, message, field."))
                .components(new Components()
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-KEY"))
                        .addSecuritySchemes(
                                "adminToken",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")))
                // relative: the host and port the document was fetched from, whatever they are
                .servers(List.of(new Server().url("/").description("this gateway")));
    }

    /**
     * Operation ids from the HTTP method and the path ({@code POST /whatsapp/messages/send} is
     * {@code postMessagesSend}, {@code GET /whatsapp/messages/{id}} is {@code getMessagesById}): unique and stable,
     * where the handler methods' names ({@code send}, {@code list}) repeat and springdoc numbers them in discovery
     * order. They are the generated clients' method names.
     */
    @Bean
    OpenApiCustomizer operationIdsFromPaths() {
        return openApi -> openApi.getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> operation.setOperationId(operationId(method.name(), path))));
    }

    /**
     * A request body documented by its examples only (Meta's webhooks, the sandbox's Graph calls) is JSON of any
     * shape: without a schema, client generators refuse the operation.
     */
    @Bean
    OpenApiCustomizer aSchemaForEveryRequestBody() {
        return openApi -> openApi.getPaths()
                .values()
                .forEach(item -> item.readOperations().stream()
                        .filter(operation -> operation.getRequestBody() != null
                                && operation.getRequestBody().getContent() != null)
                        .flatMap(operation -> operation.getRequestBody().getContent().values().stream())
                        .filter(media -> media.getSchema() == null)
                        .forEach(media -> media.setSchema(new ObjectSchema())));
    }

    static String operationId(String method, String path) {
        StringBuilder id = new StringBuilder(method.toLowerCase(Locale.ROOT));
        for (String segment : path.split("[/:]")) {
            if (segment.isEmpty() || segment.equals("whatsapp")) {
                continue;
            }
            boolean variable = segment.startsWith("{");
            if (variable) {
                id.append("By");
            }
            for (String word : segment.replaceAll("[{}]", "").split("[-_.]")) {
                if (!word.isEmpty()) {
                    id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                }
            }
        }
        return id.toString();
    }
}
