package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.web.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Media kept in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, DigitalOcean Spaces) through the AWS SDK's
 * sync client. Uploads stream from the local file with its length known (one PUT: media stay far below S3's 5 GB);
 * reads stream the object into a spool file, hashing it on the way, so that a mismatch is refused before the first
 * byte goes to the caller. Each object carries its SHA-256 as {@code x-amz-meta-sha256}. Retention is the bucket's
 * lifecycle rules (by the {@code inbound/} and {@code outbound/} prefixes).
 */
class S3MediaStore implements MediaStore, AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(S3MediaStore.class);

    private final S3Client s3;
    private final String bucket;
    private final String description;
    private final MediaSpool spool;

    S3MediaStore(MediaSettings.S3 settings, MediaSpool spool) {
        this.s3 = client(settings);
        this.bucket = settings.bucket();
        this.description = "S3 bucket " + settings.bucket() + " at "
                + (settings.endpoint().isBlank() ? "AWS " + settings.region() : settings.endpoint())
                + (settings.pathStyle() ? " (path-style)" : "");
        this.spool = spool;
    }

    static S3Client client(MediaSettings.S3 settings) {
        AwsCredentialsProvider credentials = settings.accessKey().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        S3ClientBuilder builder = S3Client.builder()
                // a store that hangs answers within seconds (503), never holding a media request for minutes: a
                // connection in 3 s, and no 15 s without a byte (a large object streams on as long as bytes flow)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(java.time.Duration.ofSeconds(3))
                        .socketTimeout(java.time.Duration.ofSeconds(15)))
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials)
                // the SDK's default CRC32 trailers (aws-chunked uploads) are not understood by every S3-compatible
                // store; the gateway checks its own SHA-256 instead
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!settings.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        return builder.build();
    }

    @Override
    public void put(String key, Path file, String sha256) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(key).contentLength(size).metadata(Map.of("sha256", sha256)),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<StoredFile> open(String key, String sha256) {
        Path copy = spool.newFile();
        try (ResponseInputStream<GetObjectResponse> object =
                s3.getObject(b -> b.bucket(bucket).key(key))) {
            String actual = MediaStore.copy(object, copy);
            if (sha256 != null && !actual.equalsIgnoreCase(sha256)) {
                throw MediaStore.corrupted(key, sha256, actual);
            }
            StoredFile stored = new StoredFile(copy, Files.size(copy), true);
            copy = null;
            return Optional.of(stored);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (copy != null) {
                copy.toFile().delete();
            }
        }
    }

    /** Whether the bucket answers (for the start-up log). */
    Optional<String> problem() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return Optional.empty();
        } catch (SdkException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        s3.close();
    }

    private ApiException unavailable(SdkException e) {
        // the store's own words stay in the log: they name the endpoint and bucket, which are the operator's
        log.warn("The media store ({}) failed: {}", description, e.getMessage());
        return new ApiException(
                HttpStatus.SERVICE_UNAVAILABLE,
                "media_store_unavailable",
                "the media store did not answer as expected; try again later",
                null);
    }
}
