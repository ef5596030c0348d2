package com.replyhero.whatsapp.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.SecretLedger;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * A channel's access token goes into an HTTP header: it must be visible ASCII, or the HTTP client throws with the
 * token in its message. Refused when the operator sets it; a bad one stored before that check is a clean upstream
 * error, never a 500 and never a log line with the token.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChannelAccessTokenTest extends GatewayTest {

    @Test
    void aChannelTokenWithALineBreakAControlOrANonAsciiCharacterIsRefusedNamingTheFieldAndNothingIsStored() {
        TestOrg org = anOrg();
        String hintBefore = channelHint(org);

        for (String token : new String[] {
            "abc\r\nX: y",
            "EAAtoken\nX-Injected: 1",
            "tök-EAA1234567",
            "abc\u0007def",
            "abc\u0000def",
            "abc def",
            "abc\tdef",
            "EAA\u00a0token",
            "EAA\u2028token"
        }) {
            Api.Response answer = api.put(
                    "/admin/orgs/" + org.orgId() + "/channel",
                    Map.of("phoneNumberId", org.phoneNumberId(), "accessToken", token),
                    admin());

            assertThat(answer.status()).as(token + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("code").asString()).isEqualTo("invalid_request");
            assertThat(answer.json().get("field").asString()).isEqualTo("accessToken");
            assertThat(answer.json().get("message").asString()).startsWith("accessToken must");
        }
        assertThat(channelHint(org)).isEqualTo(hintBefore);
    }

    @Test
    void aMediaProviderHeaderValueWithAControlOrNonAsciiCharacterIsRefusedNamingTheHeader() {
        TestOrg org = anOrg();
        String path = "/admin/orgs/" + org.orgId() + "/media-providers/cdn";

        for (String value : new String[] {"Bearer tök", "Bearer a\u0000b", "Bearer a\u007fb", "Bearer a\u0085b"}) {
            Api.Response answer = api.put(path, Map.of("headers", Map.of("Authorization", value)), admin());

            assertThat(answer.status()).as(value + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("field").asString()).isEqualTo("headers.Authorization");
        }
        Api.Response fine = api.put(path, Map.of("headers", Map.of("Authorization", "Bearer abc.DEF-123")), admin());
        assertThat(fine.status()).as(fine.text()).isEqualTo(200);
    }

    @Test
    void aBadTokenStoredBeforeTheCheckAnswersACleanUpstreamErrorAndIsNeverLogged(CapturedOutput output) {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String secretPart = "EAAbad" + randomDigits(24);
        SecretLedger.secret(secretPart);
        storeToken(org, secretPart + "\r\nX-Injected: yes");

        Api.Response send = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hello"), org.key());

        assertThat(send.status()).as(send.text()).isEqualTo(502);
        assertThat(send.json().get("code").asString()).isEqualTo("upstream_unauthorized");
        assertThat(send.json().get("upstream").get("retryable").asBoolean()).isFalse();
        assertThat(send.text()).doesNotContain(secretPart);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
        assertThat(output.getAll()).doesNotContain(secretPart);
    }

    @Test
    void aBroadcastWithANonLatin1TokenFailsItsRecipientsCleanlyAndNeverLogsTheToken(CapturedOutput output) {
        TestOrg org = anOrg();
        for (int i = 0; i < 3; i++) {
            aCustomer(org);
        }
        String name = "bad_token_" + randomDigits(6);
        String definition = """
                {"name": "%s", "language": "en_US", "components": [{"type": "BODY", "text": "Hi"}]}""".formatted(name);
        assertThat(api.post("/admin/orgs/" + org.orgId() + "/templates", definition, admin())
                        .status())
                .isEqualTo(201);
        String secretPart = "EAAbad" + randomDigits(24);
        SecretLedger.secret(secretPart);
        storeToken(org, secretPart + "ö€");

        Api.Response accepted = api.post(
                "/whatsapp/template/send",
                Map.of(
                        "templateName",
                        name,
                        "sessionId",
                        "SESSION_ID",
                        "orgId",
                        org.orgId(),
                        "userId",
                        org.userId(),
                        "components",
                        List.of()),
                "X-API-KEY",
                org.apiKey(),
                "Prefer",
                "respond-async");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        JsonNode done = eventually(
                () -> api.get(accepted.header("Location"), org.key()).json(),
                b -> b.get("status").asString().equals("completed"),
                Duration.ofSeconds(30));

        assertThat(done.get("failed").asInt()).isEqualTo(3);
        assertThat(done.get("sent").asInt()).isZero();
        assertThat(output.getAll()).doesNotContain(secretPart);
    }

    private void storeToken(TestOrg org, String token) {
        db.sql("UPDATE channels SET access_token = :token WHERE org_id = :orgId")
                .param("token", token)
                .param("orgId", org.orgId())
                .update();
    }

    private String channelHint(TestOrg org) {
        return api.get("/admin/orgs/" + org.orgId() + "/channel", admin())
                .json()
                .get("accessTokenHint")
                .asString();
    }
}
