package com.replyhero.whatsapp.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.media.MediaFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void theSeedsAliasesAreStoredAsTheCanonicalTypes() {
        assertThat(MediaTypes.of("image/jpg").orElseThrow().mime()).isEqualTo("image/jpeg");
        assertThat(MediaTypes.of("video/3gp").orElseThrow().mime()).isEqualTo("video/3gpp");
        assertThat(MediaTypes.of(" Image/PNG ").orElseThrow().mime()).isEqualTo("image/png");
        assertThat(MediaTypes.of("image/gif")).isEmpty();
    }

    @Test
    void eachKindHasMetasSizeLimit() {
        assertThat(MediaKind.IMAGE.maxBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(MediaKind.VIDEO.maxBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(MediaKind.DOCUMENT.maxBytes()).isEqualTo(100L * 1024 * 1024);
    }

    @Test
    void theDeclaredTypeMustMatchTheFirstBytes() {
        byte[] png = MediaFixtures.png();
        byte[] text = "hello\n".getBytes(StandardCharsets.UTF_8);

        assertThat(MediaTypes.matches(type("image/png"), png)).isTrue();
        assertThat(MediaTypes.matches(type("application/pdf"), png)).isFalse();
        assertThat(MediaTypes.matches(type("image/jpeg"), png)).isFalse();
        assertThat(MediaTypes.matches(type("image/jpeg"), MediaFixtures.jpeg())).isTrue();
        assertThat(MediaTypes.matches(type("application/pdf"), MediaFixtures.pdf()))
                .isTrue();
        assertThat(MediaTypes.matches(type("text/plain"), text)).isTrue();
        assertThat(MediaTypes.matches(type("text/plain"), png)).isFalse();
        assertThat(MediaTypes.matches(
                        type("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                        "PK\u0003\u0004rest".getBytes(StandardCharsets.ISO_8859_1)))
                .isTrue();
        assertThat(MediaTypes.matches(type("video/mp4"), "\0\0\0\u0020ftypisom".getBytes(StandardCharsets.ISO_8859_1)))
                .isTrue();
    }

    private static MediaTypes.MediaType type(String mime) {
        return MediaTypes.of(mime).orElseThrow();
    }
}
