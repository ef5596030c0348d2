package com.replyhero.whatsapp.cloudapi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The supported MIME types (the seed's, and Meta's audio and sticker types), their kinds and file extensions, the
 * aliases the seed uses
 * ({@code image/jpg}, {@code video/3gp}), and a check of the declared type against the file's first bytes.
 * Meta's rules, so here with the client: the gateway's media feature and the sandbox both apply them.
 */
public final class MediaTypes {

    /** A supported type: canonical MIME, its kind, the extensions a file of it may have. */
    public record MediaType(String mime, MediaKind kind, Set<String> extensions) {}

    private static final Map<String, MediaType> TYPES = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of("image/jpg", "image/jpeg", "video/3gp", "video/3gpp");

    static {
        add("image/jpeg", MediaKind.IMAGE, "jpg", "jpeg");
        add("image/png", MediaKind.IMAGE, "png");
        add("text/plain", MediaKind.DOCUMENT, "txt");
        add("application/pdf", MediaKind.DOCUMENT, "pdf");
        add("application/vnd.ms-powerpoint", MediaKind.DOCUMENT, "ppt");
        add("application/msword", MediaKind.DOCUMENT, "doc");
        add("application/vnd.ms-excel", MediaKind.DOCUMENT, "xls");
        add("application/vnd.openxmlformats-officedocument.wordprocessingml.document", MediaKind.DOCUMENT, "docx");
        add("application/vnd.openxmlformats-officedocument.presentationml.presentation", MediaKind.DOCUMENT, "pptx");
        add("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", MediaKind.DOCUMENT, "xlsx");
        add("video/mp4", MediaKind.VIDEO, "mp4");
        add("video/3gpp", MediaKind.VIDEO, "3gp", "3gpp");
        add("audio/aac", MediaKind.AUDIO, "aac");
        add("audio/amr", MediaKind.AUDIO, "amr");
        add("audio/mpeg", MediaKind.AUDIO, "mp3");
        add("audio/mp4", MediaKind.AUDIO, "m4a");
        add("audio/ogg", MediaKind.AUDIO, "ogg", "opus");
        add("image/webp", MediaKind.STICKER, "webp");
    }

    /** Meta's limit for a static (not animated) sticker; an animated one may have {@link MediaKind#STICKER}'s. */
    public static final long STATIC_STICKER_MAX_BYTES = 100L * 1024;

    private MediaTypes() {}

    private static void add(String mime, MediaKind kind, String... extensions) {
        TYPES.put(mime, new MediaType(mime, kind, Set.of(extensions)));
    }

    /** The supported type a declared MIME type names (aliases, case and parameters tolerated). */
    public static Optional<MediaType> of(String declared) {
        if (declared == null) {
            return Optional.empty();
        }
        String mime = declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(TYPES.get(ALIASES.getOrDefault(mime, mime)));
    }

    /** The supported type for a file extension ({@code pdf}, {@code .jpg}). */
    public static Optional<MediaType> ofExtension(String extension) {
        String ext = normalizeExtension(extension);
        return TYPES.values().stream().filter(t -> t.extensions().contains(ext)).findFirst();
    }

    public static String normalizeExtension(String extension) {
        String ext = extension == null ? "" : extension.strip().toLowerCase(Locale.ROOT);
        return ext.startsWith(".") ? ext.substring(1) : ext;
    }

    /** The supported MIME types, for error messages. */
    public static List<String> supported() {
        return List.copyOf(TYPES.keySet());
    }

    public static List<String> supported(MediaKind kind) {
        return TYPES.values().stream()
                .filter(t -> t.kind() == kind)
                .map(MediaType::mime)
                .toList();
    }

    /** How many leading bytes {@link #matches} looks at. */
    public static final int SNIFF_BYTES = 4096;

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final byte[] PDF = {'%', 'P', 'D', 'F', '-'};
    private static final byte[] OLE2 = {
        (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1
    };
    private static final byte[] ZIP = {'P', 'K', 0x03, 0x04};
    private static final byte[] FTYP = {'f', 't', 'y', 'p'};
    private static final byte[] OGG = {'O', 'g', 'g', 'S'};
    private static final byte[] OPUS_HEAD = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd'};
    private static final byte[] AMR = {'#', '!', 'A', 'M', 'R'};
    private static final byte[] ID3 = {'I', 'D', '3'};
    private static final byte[] RIFF = {'R', 'I', 'F', 'F'};
    private static final byte[] WEBP = {'W', 'E', 'B', 'P'};
    private static final byte[] VP8X = {'V', 'P', '8', 'X'};
    private static final byte[] ICCP = "ICCP".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] ANIM = "ANIM".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] M4A = {'M', '4', 'A', ' '};

    /**
     * Whether a file's first bytes fit its type: JPEG, PNG and PDF signatures; the OLE2 container of the
     * old Office formats; the ZIP container of the Office Open XML ones; an ISO media {@code ftyp} box for
     * MP4, 3GPP and MP4 audio; an ADTS frame for AAC ({@code FFF1}, {@code FFF9}); {@code #!AMR}; an ID3 tag or an
     * MPEG audio frame ({@code FFFB}, {@code FFF3}, {@code FFF2}) for MP3; an Ogg page whose first packet is
     * {@code OpusHead} (Meta takes Ogg with the Opus codec only); {@code RIFF....WEBP}; and for plain text, no NUL
     * byte and no known binary signature.
     */
    public static boolean matches(MediaType type, byte[] head) {
        return switch (type.mime()) {
            case "audio/aac" -> isAdts(head);
            case "audio/amr" -> startsWith(head, AMR);
            case "audio/mpeg" -> startsWith(head, ID3) || isMpegAudioFrame(head);
            case "audio/mp4" -> isIsoMedia(head);
            case "audio/ogg" -> isOggOpus(head);
            case "image/webp" -> isWebp(head);
            case "image/jpeg" -> startsWith(head, JPEG);
            case "image/png" -> startsWith(head, PNG);
            case "application/pdf" -> startsWith(head, PDF);
            case "application/vnd.ms-powerpoint", "application/msword", "application/vnd.ms-excel" ->
                startsWith(head, OLE2);
            case "video/mp4", "video/3gpp" -> isIsoMedia(head);
            case "text/plain" -> isText(head);
            default -> startsWith(head, ZIP);
        };
    }

    /** What the first bytes say the file is, when they say it unambiguously. */
    public static Optional<MediaType> detect(byte[] head) {
        if (startsWith(head, JPEG)) {
            return of("image/jpeg");
        }
        if (startsWith(head, PNG)) {
            return of("image/png");
        }
        if (startsWith(head, PDF)) {
            return of("application/pdf");
        }
        if (isIsoMedia(head)) {
            // the major brand says audio only for M4A; anything else in an ISO media box is taken for video
            return of(
                    head.length >= 12 && startsWith(Arrays.copyOfRange(head, 8, 12), M4A) ? "audio/mp4" : "video/mp4");
        }
        if (isWebp(head)) {
            return of("image/webp");
        }
        if (isOggOpus(head)) {
            return of("audio/ogg");
        }
        if (startsWith(head, AMR)) {
            return of("audio/amr");
        }
        if (isAdts(head)) {
            return of("audio/aac");
        }
        if (startsWith(head, ID3) || isMpegAudioFrame(head)) {
            return of("audio/mpeg");
        }
        return Optional.empty();
    }

    /**
     * Meta's size limit for a file of this type whose first bytes are {@code head}: a sticker's depends on whether
     * the WebP is animated (the animation flag of its {@code VP8X} header), 100 KB static, 500 KB animated.
     */
    public static long maxBytes(MediaType type, byte[] head) {
        if (type.kind() == MediaKind.STICKER && !isAnimatedWebp(head)) {
            return STATIC_STICKER_MAX_BYTES;
        }
        return type.kind().maxBytes();
    }

    /** "100 KB": a limit as people say it. */
    public static String sizeText(long bytes) {
        return MediaKind.sizeText(bytes);
    }

    /**
     * A WebP with the extended header ({@code VP8X}), its animation flag set, and the {@code ANIM} chunk that an
     * animation starts with right after it (after an {@code ICCP} chunk when the file has one): the flag alone is one
     * bit anyone can set on a static image to pass the animated limit.
     */
    public static boolean isAnimatedWebp(byte[] head) {
        if (!isWebp(head) || head.length < 38 || !startsWith(Arrays.copyOfRange(head, 12, 16), VP8X)) {
            return false;
        }
        if ((head[20] & 0x02) == 0) {
            return false;
        }
        int next = 30; // RIFF header 12, VP8X chunk 8 + 10
        if (startsWith(Arrays.copyOfRange(head, next, next + 4), ICCP)) {
            long size = (head[next + 4] & 0xffL)
                    | (head[next + 5] & 0xffL) << 8
                    | (head[next + 6] & 0xffL) << 16
                    | (head[next + 7] & 0xffL) << 24;
            long anim = next + 8 + size + (size & 1);
            if (anim + 4 > head.length) {
                return false; // beyond what was read: not shown to be animated
            }
            next = (int) anim;
        }
        return startsWith(Arrays.copyOfRange(head, next, next + 4), ANIM);
    }

    private static boolean isWebp(byte[] head) {
        return startsWith(head, RIFF) && head.length >= 12 && startsWith(Arrays.copyOfRange(head, 8, 12), WEBP);
    }

    private static boolean isIsoMedia(byte[] head) {
        return head.length >= 8 && startsWith(Arrays.copyOfRange(head, 4, 8), FTYP);
    }

    /** An AAC ADTS frame without CRC: the sync word, MPEG-4 ({@code FFF1}) or MPEG-2 ({@code FFF9}), layer 0. */
    private static boolean isAdts(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == 0xFF && ((head[1] & 0xFF) == 0xF1 || (head[1] & 0xFF) == 0xF9);
    }

    /** An MPEG audio layer III frame: MPEG-1 ({@code FFFB}), MPEG-2 ({@code FFF3}, {@code FFF2} with CRC). */
    private static boolean isMpegAudioFrame(byte[] head) {
        if (head.length < 2 || (head[0] & 0xFF) != 0xFF) {
            return false;
        }
        int second = head[1] & 0xFF;
        return second == 0xFB || second == 0xF3 || second == 0xF2;
    }

    /** An Ogg page (27-byte header, then its segment table) whose first packet is Opus's identification header. */
    private static boolean isOggOpus(byte[] head) {
        if (!startsWith(head, OGG) || head.length < 27) {
            return false;
        }
        int packet = 27 + (head[26] & 0xFF);
        return head.length >= packet + OPUS_HEAD.length
                && startsWith(Arrays.copyOfRange(head, packet, packet + OPUS_HEAD.length), OPUS_HEAD);
    }

    private static boolean isText(byte[] head) {
        if (startsWith(head, JPEG)
                || startsWith(head, PNG)
                || startsWith(head, PDF)
                || startsWith(head, OLE2)
                || startsWith(head, ZIP)) {
            return false;
        }
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
