package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** RFC 6238's test secret for SHA-1 ("12345678901234567890"), in Base32. */
    private static final String RFC_SECRET =
            new Base32().encodeToString("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @Test
    void codesAreRfc6238sTestVectorsCutToSixDigits() {
        // RFC 6238 appendix B, SHA-1: 94287082 at 59 s, 07081804 at 1111111109 s, 14050471 at 1111111111 s
        assertThat(Totp.code(RFC_SECRET, 59 / 30)).isEqualTo("287082");
        assertThat(Totp.code(RFC_SECRET, 1111111109L / 30)).isEqualTo("081804");
        assertThat(Totp.code(RFC_SECRET, 1111111111L / 30)).isEqualTo("050471");
    }

    @Test
    void aCodeOfTheStepBeforeOrAfterMatchesButNotTwoStepsAway() {
        Instant now = Instant.ofEpochSecond(1_111_111_111L);
        long step = now.getEpochSecond() / 30;

        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), now))
                .hasValue(step - 1);
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), now))
                .hasValue(step + 1);
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step + 2), now))
                .isEmpty();
        assertThat(Totp.matchingStep(RFC_SECRET, "12345", now)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SECRET, null, now)).isEmpty();
    }

    @Test
    void newSecretsAreBase32OfTwentyBytesAndDiffer() {
        String secret = Totp.newSecret();

        assertThat(new Base32().decode(secret)).hasSize(20);
        assertThat(secret).matches("[A-Z2-7]{32}").isNotEqualTo(Totp.newSecret());
        assertThat(Totp.uri("RH WhatsApp", "a@b.c", secret))
                .startsWith("otpauth://totp/RH%20WhatsApp%3Aa%40b.c?secret=" + secret);
    }
}
