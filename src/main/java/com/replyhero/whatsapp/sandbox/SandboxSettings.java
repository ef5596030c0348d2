package com.replyhero.whatsapp.sandbox;

import com.replyhero.whatsapp.DataDir;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The sandbox's business number, the token it accepts, and where it sends its webhooks. */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxSettings {

    private final String accessToken;
    private final String phoneNumberId;
    private final String wabaId;
    private final String displayPhoneNumber;
    private final String webhookUrl;
    private final boolean statusWebhooks;
    private final Duration statusDelay;
    private final Duration webhookRetryFor;
    private final Set<String> undeliverable;
    private final Environment environment;

    SandboxSettings(
            DataDir dataDir,
            Environment environment,
            @Value("${rh.sandbox.access-token:}") String accessToken,
            @Value("${rh.sandbox.phone-number-id:100000000000001}") String phoneNumberId,
            @Value("${rh.sandbox.waba-id:200000000000001}") String wabaId,
            @Value("${rh.sandbox.display-phone-number:15550001111}") String displayPhoneNumber,
            @Value("${rh.sandbox.webhook-url:}") String webhookUrl,
            @Value("${rh.sandbox.status-webhooks:true}") boolean statusWebhooks,
            @Value("${rh.sandbox.status-delay:50ms}") Duration statusDelay,
            @Value("${rh.sandbox.undeliverable:}") String undeliverable,
            @Value("${rh.sandbox.webhook-retry-for:60s}") Duration webhookRetryFor) {
        this.webhookRetryFor = webhookRetryFor;
        this.environment = environment;
        this.accessToken = dataDir.secret("sandbox-access-token", accessToken);
        this.phoneNumberId = phoneNumberId;
        this.wabaId = wabaId;
        this.displayPhoneNumber = displayPhoneNumber;
        this.webhookUrl = webhookUrl;
        this.statusWebhooks = statusWebhooks;
        this.statusDelay = statusDelay;
        this.undeliverable = Arrays.stream(undeliverable.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The bearer token the sandbox's Graph endpoints accept. */
    public String accessToken() {
        return accessToken;
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    public String wabaId() {
        return wabaId;
    }

    public String displayPhoneNumber() {
        return displayPhoneNumber;
    }

    /** The gateway's Meta webhook: configured, or this process's own {@code /webhooks/meta}. */
    public String webhookUrl() {
        if (!webhookUrl.isBlank()) {
            return webhookUrl;
        }
        return "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080") + "/webhooks/meta";
    }

    public boolean statusWebhooks() {
        return statusWebhooks;
    }

    public Duration statusDelay() {
        return statusDelay;
    }

    /** How long a status webhook the gateway did not take is posted again (Meta: days; here a minute). */
    public Duration webhookRetryFor() {
        return webhookRetryFor;
    }

    public boolean undeliverable(String phone) {
        return undeliverable.contains(phone);
    }
}
