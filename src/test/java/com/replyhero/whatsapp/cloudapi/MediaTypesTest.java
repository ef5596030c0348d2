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
        assertThat(MediaKind.AUDIO.maxBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(MediaKind.STICKER.maxBytes()).isEqualTo(500L * 1024);
        assertThat(MediaKind.STICKER.limitText()).isEqualTo("500 KB");
    }

    @Test
    void aStaticStickerMayHaveAHundredKilobytesAndAnAnimatedOneFiveHundred() {
        byte[] still = MediaFixtures.webp(false, 2000);
        byte[] animated = MediaFixtures.webp(true, 2000);

        assertThat(MediaTypes.isAnimatedWebp(still)).isFalse();
        assertThat(MediaTypes.isAnimatedWebp(animated)).isTrue();
        // the animation flag alone (one bit anyone can set) does not make a static image animated
        assertThat(MediaTypes.isAnimatedWebp(MediaFixtures.webp(true, false, 2000)))
                .isFalse();
        assertThat(MediaTypes.maxBytes(type("image/webp"), MediaFixtures.webp(true, false, 2000)))
                .isEqualTo(100L * 1024);
        assertThat(MediaTypes.maxBytes(type("image/webp"), still)).isEqualTo(100L * 1024);
        assertThat(MediaTypes.maxBytes(type("image/webp"), animated)).isEqualTo(500L * 1024);
        assertThat(MediaTypes.maxBytes(type("image/png"), MediaFixtures.png())).isEqualTo(5L * 1024 * 1024);
    }

    @Test
    void audioAndStickersAreMetasTypesCheckedByTheirMagicNumbers() {
        for (String mime : java.util.List.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg")) {
            byte[] audio = MediaFixtures.audio(mime, 100);

            assertThat(type(mime).kind()).isEqualTo(MediaKind.AUDIO);
            assertThat(MediaTypes.matches(type(mime), audio)).as(mime).isTrue();
            assertThat(MediaTypes.matches(type(mime), MediaFixtures.png()))
                    .as(mime)
                    .isFalse();
            assertThat(MediaTypes.detect(audio).orElseThrow().mime()).as(mime).isEqualTo(mime);
        }
        byte[] mp3Frame = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64};
        assertThat(MediaTypes.matches(type("audio/mpeg"), mp3Frame)).isTrue();
        assertThat(MediaTypes.matches(type("audio/aac"), mp3Frame)).isFalse();
        assertThat(MediaTypes.matches(type("audio/ogg"), MediaFixtures.ogg("\u0001vorbis")))
                .as("Ogg without the Opus codec")
                .isFalse();
        assertThat(type("image/webp").kind()).isEqualTo(MediaKind.STICKER);
        assertThat(MediaTypes.matches(type("image/webp"), MediaFixtures.webp(false, 100)))
                .isTrue();
        assertThat(MediaTypes.matches(
                        type("image/webp"),
                        "RIFF\u0000\u0000\u0000\u0000WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1)))
                .as("a RIFF that is no WebP")
                .isFalse();
        assertThat(MediaTypes.of("audio/wav")).isEmpty();
        assertThat(MediaTypes.ofExtension("mp4").orElseThrow().mime()).isEqualTo("video/mp4");
        assertThat(MediaTypes.ofExtension("m4a").orElseThrow().mime()).isEqualTo("audio/mp4");
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
