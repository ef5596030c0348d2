package com.replyhero.whatsapp.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.SecretLedger;
import com.replyhero.whatsapp.support.TestDatabase;
import com.replyhero.whatsapp.support.TestOrg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The secrets the gateway must read back are sealed in PostgreSQL: what a database reader sees, and what sends. */
class SecretsAtRestTest extends GatewayTest {

    @Autowired
    private SandboxAccount sandbox;

    @Autowired
    private SecretsResealing resealing;

    @BeforeEach
    void keysAreSecretsToo() throws IOException {
        SecretLedger.secret(Files.readString(Path.of(TestDatabase.dataDir(), "secrets", "secrets-key"))
                .strip());
        SecretLedger.secret(PREVIOUS_SECRETS_KEY);
    }

    @Test
    void aChannelTokenPutOverHttpIsNotInItsColumnAndSendsStillGoOut() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        String stored = channelTokenColumn(org);
        Api.Response sent = send(org, customer);

        assertThat(stored).doesNotContain(sandbox.accessToken()).startsWith("rhs1:");
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sandboxAccepted(sent.json().get("id").asString())).isEqualTo(1);
        assertThat(api.get("/admin/orgs/" + org.orgId() + "/channel", admin())
                        .json()
                        .get("accessTokenHint")
                        .asString())
                .isEqualTo("****"
                        + sandbox.accessToken().substring(sandbox.accessToken().length() - 4));
    }

    @Test
    void aMediaProvidersHeaderValuesAreNotInTheirColumnButTheirNamesAre() {
        TestOrg org = anOrg();
        String credential = "Bearer provider-" + randomDigits(20);
        SecretLedger.secret(credential);

        Api.Response saved = api.put(
                "/admin/orgs/" + org.orgId() + "/media-providers/drive",
                Map.of("headers", Map.of("Authorization", credential)),
                admin());

        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        String stored = db.sql("SELECT headers::text FROM media_providers WHERE org_id = ? AND name = 'drive'")
                .param(org.orgId())
                .query(String.class)
                .single();
        assertThat(stored).doesNotContain("provider-").contains("Authorization").contains("rhs1:");
    }

    @Test
    void anEventSigningSecretIsNotInItsColumn() {
        TestOrg org = anOrg();

        Api.Response webhook = api.put("/whatsapp/webhook", Map.of("url", "http://127.0.0.1:9/events"), org.key());

        assertThat(webhook.status()).as(webhook.text()).isEqualTo(200);
        String secret = webhook.json().get("secret").asString();
        SecretLedger.secret(secret);
        String stored = db.sql("SELECT secret FROM org_webhooks WHERE org_id = ?")
                .param(org.orgId())
                .query(String.class)
                .single();
        assertThat(stored).doesNotContain(secret.substring("whsec_".length())).startsWith("rhs1:");
        assertThat(api.get("/whatsapp/webhook", org.key())
                        .json()
                        .get("secretHint")
                        .asString())
                .endsWith(secret.substring(secret.length() - 4));
    }

    @Test
    void aTokenSealedUnderThePreviousKeyStillSendsAndIsResealedUnderTheCurrentOne() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String current = channelTokenColumn(org).substring(0, "rhs1:12345678:".length());
        setChannelTokenColumn(
                org,
                SecretBox.of(PREVIOUS_SECRETS_KEY).seal("channels.access_token/" + org.orgId(), sandbox.accessToken()));

        Api.Response beforeResealing = send(org, customer);
        resealing.resealAll();
        Api.Response afterResealing = send(org, customer);

        assertThat(beforeResealing.status()).as(beforeResealing.text()).isEqualTo(200);
        assertThat(channelTokenColumn(org)).startsWith(current).doesNotContain(sandbox.accessToken());
        assertThat(afterResealing.status()).as(afterResealing.text()).isEqualTo(200);
        assertThat(sandboxAccepted(afterResealing.json().get("id").asString())).isEqualTo(1);
    }

    @Test
    void secretsStoredInClearByAnOlderVersionAreReadAndSealedByThePassAtStart() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        setChannelTokenColumn(org, sandbox.accessToken());
        db.sql("INSERT INTO media_providers (org_id, name, headers) VALUES (?, 'old', '{\"X-Key\": \"clear-1234\"}')")
                .param(org.orgId())
                .update();
        db.sql("INSERT INTO org_webhooks (org_id, url, secret) VALUES (?, 'http://127.0.0.1:9/e', ?)")
                .param(org.orgId())
                .param("whsec_" + "A".repeat(32))
                .update();

        Api.Response inClear = send(org, customer);
        SecretsResealing.Result pass = resealing.resealAll();

        assertThat(inClear.status()).as(inClear.text()).isEqualTo(200);
        assertThat(pass.resealed()).isGreaterThanOrEqualTo(3);
        assertThat(channelTokenColumn(org)).startsWith("rhs1:").doesNotContain(sandbox.accessToken());
        assertThat(db.sql("SELECT headers::text FROM media_providers WHERE org_id = ?")
                        .param(org.orgId())
                        .query(String.class)
                        .single())
                .doesNotContain("clear-1234")
                .contains("X-Key");
        assertThat(db.sql("SELECT secret FROM org_webhooks WHERE org_id = ?")
                        .param(org.orgId())
                        .query(String.class)
                        .single())
                .startsWith("rhs1:");
        assertThat(api.get("/whatsapp/webhook", org.key())
                        .json()
                        .get("secretHint")
                        .asString())
                .endsWith("AAAA");
        Api.Response sealedAgain = send(org, customer);
        assertThat(sealedAgain.status()).as(sealedAgain.text()).isEqualTo(200);
    }

    @Test
    void aTamperedTokenFailsTheSendClearlyReachesNoOneAndBreaksNoListing() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String sealed = channelTokenColumn(org);
        // the ciphertext's first character: it carries six bits (the last one of unpadded base64 may carry bits
        // that decoding drops, so changing it may change nothing)
        int at = sealed.lastIndexOf(':') + 1;
        char first = sealed.charAt(at);
        setChannelTokenColumn(org, sealed.substring(0, at) + (first == 'A' ? 'B' : 'A') + sealed.substring(at + 1));

        Api.Response sent = send(org, customer);
        Api.Response everyOrg = api.get("/admin/orgs?limit=1000", admin());
        Api.Response channel = api.get("/admin/orgs/" + org.orgId() + "/channel", admin());

        assertThat(everyOrg.status()).as(everyOrg.text()).isEqualTo(200);
        assertThat(channel.status()).as(channel.text()).isEqualTo(200);
        assertThat(channel.json().get("accessTokenHint").asString()).startsWith("unreadable");
        assertThat(sent.status()).as(sent.text()).isEqualTo(422);
        assertThat(sent.json().get("upstream").get("retryable").asBoolean()).isFalse();
        assertThat(sent.json().get("upstream").get("message").asString())
                .contains("channels.access_token/" + org.orgId())
                .contains("cannot be decrypted");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    private void setChannelTokenColumn(TestOrg org, String value) {
        db.sql("UPDATE channels SET access_token = ? WHERE org_id = ?")
                .param(value)
                .param(org.orgId())
                .update();
    }

    private String channelTokenColumn(TestOrg org) {
        return db.sql("SELECT access_token FROM channels WHERE org_id = ?")
                .param(org.orgId())
                .query(String.class)
                .single();
    }

    private Api.Response send(TestOrg org, JsonNode customer) {
        return api.post(
                "/whatsapp/messages/send",
                textRequest(org, customer.get("id").asString(), "sealed at rest"),
                org.key());
    }
}
