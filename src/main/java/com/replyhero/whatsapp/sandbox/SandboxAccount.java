package com.replyhero.whatsapp.sandbox;

import com.replyhero.whatsapp.DataDir;
import java.time.Duration;
import java.util.Set;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The sandbox's business number, the token it accepts, and where it sends its webhooks. */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxAccount {

    private final SandboxSettings settings;
    private final String accessToken;
    private final Set<String> undeliverable;
    private final Environment environment;

    SandboxAccount(DataDir dataDir, Environment environment, SandboxSettings settings) {
        this.settings = settings;
        this.environment = environment;
        this.accessToken = dataDir.secret("sandbox-access-token", settings.accessToken());
        this.undeliverable = Set.copyOf(settings.undeliverable());
    }

    /** The bearer token the sandbox's Graph endpoints accept. */
    public String accessToken() {
        return accessToken;
    }

    public String phoneNumberId() {
        return settings.phoneNumberId();
    }

    public String wabaId() {
        return settings.wabaId();
    }

    public String displayPhoneNumber() {
        return settings.displayPhoneNumber();
    }

    /**
     * The display phone number of one of the sandbox's numbers: the configured one for its own number, else one made
     * of the id's last ten digits, so that each number has its own (Meta's quality webhooks name a number by it).
     */
    public String displayPhoneNumber(String phoneNumberId) {
        if (phoneNumberId == null || phoneNumberId.equals(settings.phoneNumberId())) {
            return settings.displayPhoneNumber();
        }
        String digits = phoneNumberId.replaceAll("\\D", "");
        return "1555" + (digits.length() > 10 ? digits.substring(digits.length() - 10) : digits);
    }

    /** The gateway's Meta webhook: configured, or this process's own {@code /webhooks/meta}. */
    public String webhookUrl() {
        if (!settings.webhookUrl().isBlank()) {
            return settings.webhookUrl();
        }
        return "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080") + "/webhooks/meta";
    }

    public boolean statusWebhooks() {
        return settings.statusWebhooks();
    }

    public Duration statusDelay() {
        return settings.statusDelay();
    }

    public int statusBatchSize() {
        return settings.statusBatchSize();
    }

    public int statusBatchPosts() {
        return settings.statusBatchPosts();
    }

    /** How long a status webhook the gateway did not take is posted again (Meta: days; here a minute). */
    public Duration webhookRetryFor() {
        return settings.webhookRetryFor();
    }

    public boolean undeliverable(String phone) {
        return undeliverable.contains(phone);
    }
}
