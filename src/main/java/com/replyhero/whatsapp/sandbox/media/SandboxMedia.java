package com.replyhero.whatsapp.sandbox.media;

import com.replyhero.whatsapp.DataDir;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

/** The media uploaded to the sandbox: bytes under {@code <data dir>/sandbox/media}, ids numeric like Meta's. */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxMedia {

    /** An upload: its id, the business number it was uploaded for, its type and size. */
    public record Stored(String id, String phoneNumberId, String mimeType, long size, Path path) {}

    private final Path dir;
    private final Map<String, Stored> media = new ConcurrentHashMap<>();

    SandboxMedia(DataDir dataDir) {
        this.dir = dataDir.resolve("sandbox").resolve("media");
    }

    Stored store(String phoneNumberId, String mimeType, MultipartFile file) {
        String id =
                String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, 9_999_999_999_999_999L));
        Path path = dir.resolve(id);
        try {
            Files.createDirectories(dir);
            file.transferTo(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Stored stored = new Stored(id, phoneNumberId, mimeType, file.getSize(), path);
        media.put(id, stored);
        return stored;
    }

    public Optional<Stored> find(String id) {
        return Optional.ofNullable(media.get(id));
    }
}
