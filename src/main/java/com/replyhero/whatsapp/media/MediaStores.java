package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.DataDir;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link MediaStore} of the gateway, as {@code rh.media.store} says. */
@Configuration(proxyBeanMethods = false)
class MediaStores {

    private static final Logger log = LoggerFactory.getLogger(MediaStores.class);

    @Bean
    MediaStore mediaStore(MediaSettings settings, DataDir dataDir, MediaSpool spool) {
        MediaStore store = switch (settings.store()) {
            case FILESYSTEM ->
                new FilesystemMediaStore(settings.dir().isBlank() ? dataDir.resolve("media") : Path.of(settings.dir()));
            case S3 -> {
                // checked here, not in the record: the record binds each setting alone
                if (settings.s3().bucket().isBlank()) {
                    throw new IllegalStateException("rh.media.s3.bucket is required with rh.media.store=s3");
                }
                if (settings.s3().accessKey().isBlank()
                        != settings.s3().secretKey().isBlank()) {
                    throw new IllegalStateException("rh.media.s3.access-key and rh.media.s3.secret-key go together"
                            + " (or neither: the AWS default chain)");
                }
                S3MediaStore s3 = new S3MediaStore(settings.s3(), spool);
                s3.problem()
                        .ifPresent(problem -> log.warn(
                                "The media store's bucket {} does not answer yet: {}",
                                settings.s3().bucket(),
                                problem));
                yield s3;
            }
        };
        log.info("Media are kept in the {}", store.describe());
        return store;
    }
}
