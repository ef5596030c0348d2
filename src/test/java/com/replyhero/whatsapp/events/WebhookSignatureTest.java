package com.replyhero.whatsapp.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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

    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant SPEC_TIME = Instant.ofEpochSecond(1614265330);

    @Test
    void aReceiverAcceptsTheSpecificationsVectorAtItsOwnTime() {
        assertThat(WebhookSignature.verify(
                        SPEC_SECRET, SPEC_ID, "1614265330", SPEC_BODY, "v1,bm90IGl0 " + SPEC_SIGNATURE, SPEC_TIME))
                .isTrue();
        assertThat(WebhookSignature.verify(
                        SPEC_SECRET, SPEC_ID, "1614265330", SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME.plusSeconds(299)))
                .isTrue();
    }

    @Test
    void aReceiversCheckFailsForATimestampOlderThanFiveMinutes() {
        Instant now = SPEC_TIME.plus(Duration.ofMinutes(5)).plusSeconds(1);

        boolean accepted = WebhookSignature.verify(SPEC_SECRET, SPEC_ID, "1614265330", SPEC_BODY, SPEC_SIGNATURE, now);

        assertThat(accepted).isFalse();
    }

    @Test
    void aReceiversCheckFailsForATimestampFromTheFutureAChangedBodyOrAnotherId() {
        assertThat(WebhookSignature.verify(
                        SPEC_SECRET, SPEC_ID, "1614265330", SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME.minusSeconds(301)))
                .isFalse();
        assertThat(WebhookSignature.verify(
                        SPEC_SECRET,
                        SPEC_ID,
                        "1614265330",
                        "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8),
                        SPEC_SIGNATURE,
                        SPEC_TIME))
                .isFalse();
        assertThat(WebhookSignature.verify(
                        SPEC_SECRET, "msg_other", "1614265330", SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME))
                .isFalse();
        assertThat(WebhookSignature.verify(SPEC_SECRET, SPEC_ID, "not-a-time", SPEC_BODY, SPEC_SIGNATURE, SPEC_TIME))
                .isFalse();
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
