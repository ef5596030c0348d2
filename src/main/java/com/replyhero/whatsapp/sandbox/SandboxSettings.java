package com.replyhero.whatsapp.sandbox;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The built-in Cloud API sandbox ({@code rh.sandbox.*}).
 *
 * @param standalone the sandbox runs alone, without the gateway ({@code --sandbox-only})
 * @param accessToken the bearer token its Graph endpoints accept; empty: generated once into
 *     {@code RH_DATA_DIR/secrets/sandbox-access-token}
 * @param phoneNumberId its business number's id
 * @param wabaId its WhatsApp Business Account's id
 * @param displayPhoneNumber its business number
 * @param webhookUrl where it posts webhooks; empty: this process's own {@code /webhooks/meta}
 * @param statusWebhooks whether it posts sent and delivered statuses for what it accepts
 * @param statusDelay how long after a send it posts its statuses
 * @param statusBatchSize the most statuses in one webhook: statuses due together travel together, as Meta batches
 *     them (1: one status per webhook)
 * @param statusBatchPosts status webhooks posted at once; the statuses that come due meanwhile wait for the next
 * @param undeliverable phone numbers (a comma list) whose messages fail with a failed status
 * @param webhookRetryFor how long a status webhook the gateway did not take is posted again (Meta: days)
 * @param latency how long every Graph call takes at least
 * @param throughputPerSecond messages per second it accepts per number, above that Meta's 130429 (0: no limit)
 * @param templateReviewDelay how long after a template's creation or edit its review ends (with Meta's
 *     {@code message_template_status_update} webhook)
 * @param templateReviewOutcome how reviews end: APPROVED or REJECTED (a template whose name contains "reject" is
 *     rejected either way)
 */
@ConfigurationProperties("rh.sandbox")
@Validated
public record SandboxSettings(
        @DefaultValue("false") boolean standalone,
        @DefaultValue("") String accessToken,
        @DefaultValue("100000000000001") @NotBlank String phoneNumberId,
        @DefaultValue("200000000000001") @NotBlank String wabaId,
        @DefaultValue("15550001111") @NotBlank String displayPhoneNumber,
        @DefaultValue("") String webhookUrl,
        @DefaultValue("true") boolean statusWebhooks,
        @DefaultValue("50ms") @DurationMin(nanos = 0) Duration statusDelay,
        @DefaultValue("100") @Positive int statusBatchSize,
        @DefaultValue("4") @Positive int statusBatchPosts,
        @DefaultValue List<String> undeliverable,
        @DefaultValue("60s") @DurationMin(nanos = 0) Duration webhookRetryFor,
        @DefaultValue("0ms") @DurationMin(nanos = 0) Duration latency,
        @DefaultValue("0") @PositiveOrZero int throughputPerSecond,
        @DefaultValue("3s") @DurationMin(nanos = 0) Duration templateReviewDelay,

        @DefaultValue("APPROVED") @jakarta.validation.constraints.Pattern(regexp = "APPROVED|REJECTED")
        String templateReviewOutcome) {

    public SandboxSettings {
        undeliverable = undeliverable.stream()
                .map(String::strip)
                .filter(phone -> !phone.isEmpty())
                .toList();
    }
}
