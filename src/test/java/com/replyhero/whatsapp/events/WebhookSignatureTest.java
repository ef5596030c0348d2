package com.replyhero.whatsapp.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void signsTheStandardWebhooksSpecificationsTestVector() {
        // the Standard Webhooks reference implementations' own test vector
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        String signature = WebhookSignature.sign(
                secret,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void newSecretsHaveTheWhsecFormatAndDiffer() {
        String one = WebhookSignature.newSecret();
        String two = WebhookSignature.newSecret();

        assertThat(one).startsWith("whsec_").isNotEqualTo(two);
        assertThat(WebhookSignature.isValidSecret(one)).isTrue();
    }

    @Test
    void refusesSecretsThatAreNotWhsecBase64OfEnoughBytes() {
        assertThat(WebhookSignature.isValidSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isFalse();
        assertThat(WebhookSignature.isValidSecret("whsec_not base64!")).isFalse();
        assertThat(WebhookSignature.isValidSecret("whsec_c2hvcnQ=")).isFalse();
    }
}
