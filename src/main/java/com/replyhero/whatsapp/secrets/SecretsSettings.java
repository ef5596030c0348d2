package com.replyhero.whatsapp.secrets;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator's key-encryption keys ({@code rh.secrets.*}).
 *
 * @param key the current key, base64 of 32 bytes ({@code RH_SECRETS_KEY}); blank: generated once into
 *     {@code RH_DATA_DIR/secrets/secrets-key}
 * @param previousKeys keys that still open what they sealed ({@code RH_SECRETS_KEY_PREVIOUS}, a comma list)
 * @param resealBatch values re-sealed under the current key per round of the pass that runs at start
 */
@ConfigurationProperties("rh.secrets")
public record SecretsSettings(
        String key,
        List<String> previousKeys,
        @DefaultValue("100") int resealBatch) {

    public SecretsSettings {
        previousKeys = previousKeys == null
                ? List.of()
                : previousKeys.stream()
                        .map(String::strip)
                        .filter(k -> !k.isEmpty())
                        .toList();
        resealBatch = Math.max(1, resealBatch);
    }
}
