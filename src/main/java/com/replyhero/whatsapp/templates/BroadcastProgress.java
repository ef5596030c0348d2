package com.replyhero.whatsapp.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Where a broadcast stands: {@code total} recipients; {@code sent} (Meta accepted them, or later states);
 * {@code failed}; {@code pending} (waiting, being sent, or waiting for a retry); {@code unknown} (the call
 * may have reached Meta; its status webhook settles it); the rate of the last {@code rateWindowSeconds};
 * {@code channelId}: the org's number it goes out from (absent for a broadcast made before orgs had several);
 * {@code status} {@code scheduled} (until {@code sendAt}), {@code running}, {@code paused} ({@code pausedReason}),
 * {@code completed} or {@code cancelled}; {@code cancelled}: recipients never sent because it was cancelled.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BroadcastProgress(
        String id,
        String orgId,
        String templateName,
        String language,
        String status,
        int total,
        long sent,
        long failed,
        long pending,
        long unknown,
        double currentRate,
        int rateWindowSeconds,
        Instant startedAt,
        Instant finishedAt,
        String messages,
        @JsonInclude(JsonInclude.Include.NON_NULL) String channelId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant sendAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String pausedReason,
        long cancelled) {}
