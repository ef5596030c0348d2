package com.replyhero.whatsapp.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Body limits per endpoint ({@code rh.limits.*}); larger bodies get 413 before they are read. The send endpoint's
 * whole limit is {@code rh.media.max-send-body}.
 *
 * @param jsonBody a JSON request body
 * @param templateSendBody a template send's or broadcast's body, and a template's creation or edit (its header's example file)
 * @param webhookBody a Meta webhook's body
 * @param sendFields a send's fields other than the file's base64 (held in memory while the request is read)
 * @param customerImportBody a CSV of customers ({@code POST /whatsapp/customers/import}, read as it streams)
 */
@ConfigurationProperties("rh.limits")
public record LimitSettings(
        @DefaultValue("64KB") DataSize jsonBody,
        @DefaultValue("1MB") DataSize templateSendBody,
        @DefaultValue("3MB") DataSize webhookBody,
        @DefaultValue("256KB") DataSize sendFields,
        @DefaultValue("20MB") DataSize customerImportBody) {

    public LimitSettings {
        requirePositive("rh.limits.json-body", jsonBody);
        requirePositive("rh.limits.template-send-body", templateSendBody);
        requirePositive("rh.limits.webhook-body", webhookBody);
        requirePositive("rh.limits.send-fields", sendFields);
        requirePositive("rh.limits.customer-import-body", customerImportBody);
    }

    private static void requirePositive(String setting, DataSize size) {
        if (size.toBytes() <= 0) {
            throw new IllegalArgumentException(setting + " must be above 0, not " + size);
        }
    }
}
