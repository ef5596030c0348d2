package com.replyhero.whatsapp.cloudapi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The seed's supported MIME types, their kinds and file extensions, the aliases the seed uses
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
    }

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

    /**
     * Whether a file's first bytes fit its type: JPEG, PNG and PDF signatures; the OLE2 container of the
     * old Office formats; the ZIP container of the Office Open XML ones; an ISO media {@code ftyp} box for
     * MP4 and 3GPP; and for plain text, no NUL byte and no known binary signature.
     */
    public static boolean matches(MediaType type, byte[] head) {
        return switch (type.mime()) {
            case "image/jpeg" -> startsWith(head, JPEG);
            case "image/png" -> startsWith(head, PNG);
            case "application/pdf" -> startsWith(head, PDF);
            case "application/vnd.ms-powerpoint", "application/msword", "application/vnd.ms-excel" ->
                startsWith(head, OLE2);
            case "video/mp4", "video/3gpp" -> head.length >= 8 && startsWith(Arrays.copyOfRange(head, 4, 8), FTYP);
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
        if (head.length >= 8 && startsWith(Arrays.copyOfRange(head, 4, 8), FTYP)) {
            return of("video/mp4");
        }
        return Optional.empty();
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
