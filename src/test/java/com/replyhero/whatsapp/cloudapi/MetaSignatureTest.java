package com.replyhero.whatsapp.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetaSignatureTest {

    private static final byte[] BODY = "{\"object\":\"whatsapp_business_account\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theHmacMatchesAKnownAnswer() {
        // computed independently: printf '{"object":"whatsapp_business_account"}' | openssl dgst -sha256 -hmac
        // app-secret
        assertThat(MetaSignature.sign("app-secret", BODY))
                .isEqualTo("sha256=0bf7374433906636bed1653bc7c64affb42fa5da9a39e251ab95c2e3a9c06923");
    }

    @Test
    void onlyTheExactBodyWithTheRightSecretVerifies() {
        String signature = MetaSignature.sign("app-secret", BODY);
        byte[] changed = BODY.clone();
        changed[5] ^= 1;

        assertThat(MetaSignature.verify("app-secret", BODY, signature)).isTrue();
        assertThat(MetaSignature.verify(
                        "app-secret", BODY, signature.toUpperCase().replace("SHA256=", "sha256=")))
                .isTrue();
        assertThat(MetaSignature.verify("other-secret", BODY, signature)).isFalse();
        assertThat(MetaSignature.verify("app-secret", changed, signature)).isFalse();
        assertThat(MetaSignature.verify("app-secret", new byte[0], signature)).isFalse();
        assertThat(MetaSignature.verify("app-secret", BODY, signature.replace("sha256=", "sha1=")))
                .isFalse();
        assertThat(MetaSignature.verify("app-secret", BODY, "sha256=")).isFalse();
        assertThat(MetaSignature.verify("app-secret", BODY, "sha256=not-hex")).isFalse();
        assertThat(MetaSignature.verify("app-secret", BODY, null)).isFalse();
    }
}
