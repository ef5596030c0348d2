package com.replyhero.whatsapp.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;

/** Files for media tests: real small images, and files of a given size that start with a type's signature. */
public final class MediaFixtures {

    private MediaFixtures() {}

    public static byte[] png() {
        return image("png");
    }

    public static byte[] jpeg() {
        return image("jpeg");
    }

    /** {@code size} bytes starting with {@code signature}, the rest random. */
    static byte[] sized(byte[] signature, int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        System.arraycopy(signature, 0, bytes, 0, signature.length);
        return bytes;
    }

    public static byte[] pdf() {
        return "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes();
    }

    static byte[] jpegOf(int size) {
        return sized(Arrays.copyOf(jpeg(), 16), size);
    }

    private static byte[] image(String format) {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xFF8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * {@code size} bytes of a WebP: a static one (a plain {@code VP8 } chunk) or an animated one ({@code VP8X} with
     * its animation flag, then the {@code ANIM} chunk).
     */
    public static byte[] webp(boolean animated, int size) {
        return webp(animated, animated, size);
    }

    /** A WebP whose VP8X animation flag is {@code flagged}, with an {@code ANIM} chunk after it or not. */
    public static byte[] webp(boolean flagged, boolean anim, int size) {
        boolean animated = flagged || anim;
        byte[] riff = new byte[animated ? 44 : 21];
        System.arraycopy("RIFF".getBytes(StandardCharsets.ISO_8859_1), 0, riff, 0, 4);
        int length = size - 8;
        riff[4] = (byte) length;
        riff[5] = (byte) (length >> 8);
        riff[6] = (byte) (length >> 16);
        riff[7] = (byte) (length >> 24);
        System.arraycopy(("WEBP" + (animated ? "VP8X" : "VP8 ")).getBytes(StandardCharsets.ISO_8859_1), 0, riff, 8, 8);
        riff[16] = 10; // the VP8X chunk's size
        riff[20] = (byte) (flagged ? 0x12 : 0x10); // alpha, and for an animated one the animation flag
        if (anim) {
            System.arraycopy("ANIM".getBytes(StandardCharsets.ISO_8859_1), 0, riff, 30, 4);
            riff[34] = 6; // the ANIM chunk's size: background colour and loop count
        }
        return sized(riff, size);
    }

    /** {@code size} bytes of an audio file of this MIME type: its real leading bytes, the rest random. */
    public static byte[] audio(String mime, int size) {
        byte[] head = switch (mime) {
            case "audio/aac" -> new byte[] {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80};
            case "audio/amr" -> "#!AMR\n".getBytes(StandardCharsets.ISO_8859_1);
            case "audio/mpeg" -> "ID3\u0004\u0000".getBytes(StandardCharsets.ISO_8859_1);
            case "audio/mp4" ->
                "\u0000\u0000\u0000\u0020ftypM4A \u0000\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
            case "audio/ogg" -> ogg("OpusHead");
            default -> throw new IllegalArgumentException(mime);
        };
        return sized(head, size);
    }

    /** The first page of an Ogg stream whose first packet starts with {@code codec} ("OpusHead", or a Vorbis header). */
    public static byte[] ogg(String codec) {
        byte[] page = new byte[28 + 19];
        System.arraycopy("OggS".getBytes(StandardCharsets.ISO_8859_1), 0, page, 0, 4);
        page[5] = 0x02; // the stream's first page
        page[26] = 1; // one segment
        page[27] = 19; // of 19 bytes
        byte[] packet = codec.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(packet, 0, page, 28, Math.min(packet.length, 19));
        return page;
    }
}
