package com.replyhero.whatsapp.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String CONTEXT = "channels.access_token/org-1";

    private final String currentKey = SecretBox.newKey();
    private final String previousKey = SecretBox.newKey();
    private final SecretBox box = SecretBox.of(currentKey, previousKey);

    @Test
    void aSealedValueOpensToItselfAndShowsNothingOfIt() {
        String sealed = box.seal(CONTEXT, "EAAG-token-1234");

        assertThat(box.open(CONTEXT, sealed)).isEqualTo("EAAG-token-1234");
        assertThat(sealed).doesNotContain("EAAG").doesNotContain("1234").startsWith(box.currentPrefix());
        assertThat(sealed.split(":")).hasSize(5);
    }

    @Test
    void theSameValueSealedTwiceLooksDifferent() {
        assertThat(box.seal(CONTEXT, "same")).isNotEqualTo(box.seal(CONTEXT, "same"));
    }

    @Test
    void aValueSealedUnderThePreviousKeyOpensAndIsResealedUnderTheCurrentOne() {
        String underPrevious = SecretBox.of(previousKey).seal(CONTEXT, "rotated");

        String resealed = box.reseal(CONTEXT, underPrevious);

        assertThat(box.isCurrent(underPrevious)).isFalse();
        assertThat(box.open(CONTEXT, underPrevious)).isEqualTo("rotated");
        assertThat(box.isCurrent(resealed)).isTrue();
        assertThat(SecretBox.of(currentKey).open(CONTEXT, resealed)).isEqualTo("rotated");
    }

    @Test
    void aValueInClearFromAnOlderVersionIsReadAsClearAndResealed() {
        assertThat(box.open(CONTEXT, "EAAG-clear")).isEqualTo("EAAG-clear");
        assertThat(box.open(CONTEXT, box.reseal(CONTEXT, "EAAG-clear"))).isEqualTo("EAAG-clear");
    }

    @Test
    void aTamperedValueFailsClearlyWhicheverPartWasChanged() {
        String sealed = box.seal(CONTEXT, "EAAG-token");
        String[] parts = sealed.split(":");

        for (int part = 2; part < 5; part++) {
            String[] tampered = parts.clone();
            char first = tampered[part].charAt(0);
            tampered[part] = (first == 'A' ? 'B' : 'A') + tampered[part].substring(1);
            String value = String.join(":", tampered);

            assertThatThrownBy(() -> box.open(CONTEXT, value))
                    .isInstanceOf(SecretUnreadableException.class)
                    .hasMessageContaining(CONTEXT)
                    .hasMessageContaining("cannot be decrypted")
                    .hasMessageNotContaining("EAAG");
        }
        assertThatThrownBy(() -> box.open(CONTEXT, parts[0] + ":" + parts[1] + ":cut"))
                .isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void aValueMovedToAnotherRowDoesNotOpen() {
        String orgOnes = box.seal(CONTEXT, "EAAG-token");

        assertThatThrownBy(() -> box.open("channels.access_token/org-2", orgOnes))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("moved from another row");
    }

    @Test
    void aValueSealedUnderAKeyTheGatewayWasNotGivenNamesThatKeysId() {
        SecretBox other = SecretBox.of(SecretBox.newKey());
        String sealed = other.seal(CONTEXT, "EAAG-token");

        assertThatThrownBy(() -> box.open(CONTEXT, sealed))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("key id " + other.currentKeyId())
                .hasMessageContaining("RH_SECRETS_KEY_PREVIOUS");
    }

    @Test
    void aKeyThatIsNotBase64Of32BytesIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> SecretBox.of("c2hvcnQta2V5"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RH_SECRETS_KEY must be base64 of 32 bytes")
                .hasMessageNotContaining("c2hvcnQta2V5");
        assertThatThrownBy(() -> SecretBox.of(currentKey, "not base64!"))
                .hasMessageContaining("RH_SECRETS_KEY_PREVIOUS");
    }
}
