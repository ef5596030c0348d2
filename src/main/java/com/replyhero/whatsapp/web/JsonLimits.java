package com.replyhero.whatsapp.web;

import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadConstraints;

/**
 * Jackson's read limits for the JSON the gateway parses (request bodies, Meta's webhooks and answers): nesting
 * depth 64, numbers of at most 100 digits, names of at most 1,000 characters, strings of at most 5 MB (the send
 * endpoint reads its base64 file as a stream and has its own limits). Past a limit the request is a 400.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimits {

    static final int MAX_NESTING_DEPTH = 64;
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 1_000;
    static final int MAX_STRING_LENGTH = 5 * 1024 * 1024;

    @Bean
    JsonFactoryBuilderCustomizer readLimits() {
        return factory -> factory.streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .build());
    }
}
