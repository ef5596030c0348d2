package com.replyhero.whatsapp.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    @Test
    void newKeysHaveThePrefixAndAValidChecksum() {
        String key = ApiKeyFormat.newKey();

        assertThat(key).startsWith("rhk_").hasSize(42);
        assertThat(ApiKeyFormat.isWellFormed(key)).isTrue();
    }

    @Test
    void aMistypedKeyFailsTheChecksum() {
        String key = ApiKeyFormat.newKey();
        char changed = key.charAt(10) == 'a' ? 'b' : 'a';
        String typo = key.substring(0, 10) + changed + key.substring(11);

        assertThat(ApiKeyFormat.isWellFormed(typo)).isFalse();
        assertThat(ApiKeyFormat.isWellFormed("eUG3uKs0r6YoHmkRZVXe0nCEmJY19r")).isFalse();
        assertThat(ApiKeyFormat.isWellFormed(null)).isFalse();
    }

    @Test
    void theHintShowsOnlyThePrefixAndTheLastCharacters() {
        String key = ApiKeyFormat.newKey();

        String hint = ApiKeyFormat.hint(key);

        assertThat(hint).startsWith("rhk_").endsWith(key.substring(38)).hasSizeLessThan(16);
    }
}
