package com.replyhero.whatsapp.media;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Media sent and received ({@code rh.media.*}).
 *
 * @param dir where downloaded inbound media are kept ({@code RH_MEDIA_DIR}); empty: {@code RH_DATA_DIR/media}
 * @param maxSendBody the whole body of a send with a file (its base64 included); larger, 413
 * @param inboundMaxSize an inbound medium larger than this is not downloaded
 * @param downloadAttempts how often an inbound medium's download is tried before it counts as failed
 * @param downloadPoll how often due inbound media downloads are looked for
 * @param fetch provider links ({@code rh.media.fetch.*})
 * @param store where kept media go: {@code filesystem} ({@code dir}) or {@code s3} ({@code rh.media.s3.*})
 * @param keepOutbound whether the files the gateway uploads to the Cloud API are kept in the store as well
 * @param s3 the S3-compatible store ({@code rh.media.s3.*})
 */
@ConfigurationProperties("rh.media")
@Validated
public record MediaSettings(
        @DefaultValue("") String dir,
        @DefaultValue("140MB") DataSize maxSendBody,
        @DefaultValue("100MB") DataSize inboundMaxSize,
        @DefaultValue("10") @Positive int downloadAttempts,
        @DefaultValue("500ms") @DurationMin(millis = 1) Duration downloadPoll,
        @DefaultValue @Valid Fetch fetch,
        @DefaultValue("filesystem") Store store,
        @DefaultValue("false") boolean keepOutbound,
        @DefaultValue @Valid S3 s3) {

    /** Where kept media go. */
    public enum Store {
        FILESYSTEM,
        S3
    }

    public MediaSettings {
        if (maxSendBody.toBytes() <= 0) {
            throw new IllegalArgumentException("rh.media.max-send-body must be above 0, not " + maxSendBody);
        }
        if (inboundMaxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("rh.media.inbound-max-size must be above 0, not " + inboundMaxSize);
        }
    }

    /**
     * Provider links: media the gateway downloads from a tenant's URL.
     *
     * @param timeout how long a provider link's download may take
     */
    public record Fetch(
            @DefaultValue("60s") @DurationMin(millis = 1) Duration timeout) {}

    /**
     * An S3-compatible store: AWS S3, MinIO, Cloudflare R2, DigitalOcean Spaces, ...
     *
     * @param endpoint the store's URL; empty: AWS S3 of {@code region}
     * @param region the region to sign for (R2: {@code auto})
     * @param bucket the bucket (it must exist)
     * @param pathStyle {@code https://endpoint/bucket/key} instead of {@code https://bucket.endpoint/key} (MinIO)
     * @param accessKey with {@code secretKey}; both empty: the AWS default chain (environment, profile, role)
     * @param secretKey never logged
     */
    public record S3(
            @DefaultValue("") String endpoint,
            @DefaultValue("us-east-1") String region,
            @DefaultValue("") String bucket,
            @DefaultValue("false") boolean pathStyle,
            @DefaultValue("") String accessKey,
            @DefaultValue("") String secretKey) {

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle
                    + ", accessKey=" + accessKey + ", secretKey=" + (secretKey.isEmpty() ? "" : "(set)") + "]";
        }
    }
}
