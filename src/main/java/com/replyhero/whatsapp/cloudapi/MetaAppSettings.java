package com.replyhero.whatsapp.cloudapi;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Meta app's webhook secrets ({@code rh.meta.*}); the gateway checks with them what the sandbox signs.
 *
 * @param appSecret the app secret that signs webhook bodies ({@code RH_META_APP_SECRET}); empty: generated once
 *     into {@code RH_DATA_DIR/secrets/meta-app-secret}
 * @param verifyToken the verify token of the webhook subscription's handshake ({@code RH_META_VERIFY_TOKEN});
 *     empty: generated once into {@code RH_DATA_DIR/secrets/meta-verify-token}
 * @param appId the Meta app's id ({@code RH_META_APP_ID}): a template's media header example is uploaded to it
 *     (Resumable Upload, {@code POST /{app-id}/uploads}); empty with the sandbox: any id does
 */
@ConfigurationProperties("rh.meta")
public record MetaAppSettings(
        @DefaultValue("") String appSecret,
        @DefaultValue("") String verifyToken,
        @DefaultValue("") String appId) {}
