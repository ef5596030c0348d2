package com.replyhero.whatsapp.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Meta's webhooks are taken in ({@code rh.webhooks.*}). Until its last byte a webhook's signature cannot be
 * checked, so these bound what anyone at all can hold with bodies that never finish.
 *
 * @param maxConcurrent webhooks read and stored at once; beyond, 503 and Meta sends it again
 * @param maxConcurrentPerAddress webhook bodies read at once from one remote address (0: no such limit); behind a
 *     reverse proxy every sender has the proxy's address unless {@code server.forward-headers-strategy} is set
 * @param bodyReadDeadline how long a webhook's whole body may take to arrive once its permit is taken; past it,
 *     408 {@code body_read_timeout}
 */
@ConfigurationProperties("rh.webhooks")
record MetaWebhookSettings(
        @DefaultValue("64") int maxConcurrent,
        @DefaultValue("8") int maxConcurrentPerAddress,
        @DefaultValue("10s") Duration bodyReadDeadline) {}
