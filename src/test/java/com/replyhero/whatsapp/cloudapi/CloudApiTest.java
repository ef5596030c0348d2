package com.replyhero.whatsapp.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.secrets.SecretBox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

class CloudApiTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private CloudApi clientFor(String url) {
        GraphSettings settings =
                new GraphSettings(url, "v23.0", Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(120));
        GraphEndpoint endpoint = new GraphEndpoint(settings, new MockEnvironment());
        return new CloudApi(endpoint, json, new SimpleMeterRegistry(), SecretBox.of(SecretBox.newKey()), settings);
    }

    private WhatsAppApiException failure(int status, String body) {
        return catchThrowableOfType(
                WhatsAppApiException.class,
                () -> clientFor("http://127.0.0.1:1").read(status, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void throttlingAndAnUnavailableServiceMeanNotSentAndRetryable() {
        WhatsAppApiException throttled = failure(400, "{\"error\":{\"message\":\"rate\",\"code\":130429}}");
        WhatsAppApiException unavailable = failure(503, "{\"error\":{\"message\":\"down\",\"code\":2}}");
        WhatsAppApiException tooMany = failure(429, "{\"error\":{\"message\":\"slow down\",\"code\":4}}");

        assertThat(throttled.outcome()).isEqualTo(WhatsAppApiException.Outcome.NOT_SENT);
        assertThat(throttled.retryable()).isTrue();
        assertThat(throttled.code()).isEqualTo(130429);
        assertThat(unavailable.outcome()).isEqualTo(WhatsAppApiException.Outcome.NOT_SENT);
        assertThat(tooMany.outcome()).isEqualTo(WhatsAppApiException.Outcome.NOT_SENT);
    }

    @Test
    void metasUnknownErrorsAndOtherServerErrorsMayFollowASendThatTookEffect() {
        WhatsAppApiException somethingWentWrong =
                failure(500, "{\"error\":{\"message\":\"Something went wrong\",\"code\":131000}}");
        WhatsAppApiException unknownError = failure(500, "{\"error\":{\"message\":\"oops\",\"code\":1}}");
        WhatsAppApiException badGateway = failure(502, "{\"error\":{\"message\":\"bad gateway\",\"code\":100}}");

        assertThat(somethingWentWrong.outcome()).isEqualTo(WhatsAppApiException.Outcome.UNCERTAIN);
        assertThat(somethingWentWrong.clientStatus().value()).isEqualTo(504);
        assertThat(unknownError.outcome()).isEqualTo(WhatsAppApiException.Outcome.UNCERTAIN);
        assertThat(badGateway.outcome()).isEqualTo(WhatsAppApiException.Outcome.UNCERTAIN);
    }

    @Test
    void metasRefusalsArePermanent() {
        WhatsAppApiException window =
                failure(400, "{\"error\":{\"message\":\"Re-engagement message\",\"code\":131047}}");
        WhatsAppApiException token = failure(401, "{\"error\":{\"message\":\"Invalid OAuth\",\"code\":190}}");

        assertThat(window.outcome()).isEqualTo(WhatsAppApiException.Outcome.REJECTED);
        assertThat(window.errorCode()).isEqualTo("upstream_rejected");
        assertThat(window.clientStatus().value()).isEqualTo(422);
        assertThat(token.errorCode()).isEqualTo("upstream_unauthorized");
        assertThat(token.clientStatus().value()).isEqualTo(502);
    }

    @Test
    void anAnswerWeCannotReadMayHaveBeenSent() {
        WhatsAppApiException proxyError = failure(502, "<html>Bad Gateway</html>");
        WhatsAppApiException garbage = failure(200, "not json");

        assertThat(proxyError.outcome()).isEqualTo(WhatsAppApiException.Outcome.UNCERTAIN);
        assertThat(garbage.outcome()).isEqualTo(WhatsAppApiException.Outcome.UNCERTAIN);
        assertThat(garbage.clientStatus().value()).isEqualTo(504);
    }

    @Test
    void aRefusedConnectionProvablySentNothing() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CloudApi api = clientFor("http://127.0.0.1:" + closedPort);
        Channel channel = new Channel("org", "123", null, "token", 80);

        WhatsAppApiException e = catchThrowableOfType(
                WhatsAppApiException.class, () -> api.sendMessage(channel, json.createObjectNode()));

        assertThat(e.outcome()).isEqualTo(WhatsAppApiException.Outcome.NOT_SENT);
    }

    @Test
    void theTokenNeverAppearsInAChannelsText() {
        Channel channel = new Channel("org", "123", "waba", "EAAG-very-secret", 80);

        assertThat(channel.toString()).doesNotContain("EAAG-very-secret");
    }
}
