package com.replyhero.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.replyhero.whatsapp.client.api.EventsApi;
import com.replyhero.whatsapp.client.api.MediaApi;
import com.replyhero.whatsapp.client.api.MessagesApi;
import com.replyhero.whatsapp.client.api.TemplatesApi;
import com.replyhero.whatsapp.client.model.Media;
import com.replyhero.whatsapp.client.model.MediaId;
import com.replyhero.whatsapp.client.model.MessageContent;
import com.replyhero.whatsapp.client.model.MessageRecord;
import com.replyhero.whatsapp.client.model.MessageRecord.StatusEnum;
import com.replyhero.whatsapp.client.model.PageJsonNode;
import com.replyhero.whatsapp.client.model.SendMessageRequest;
import com.replyhero.whatsapp.client.model.TemplateSendRequest;
import com.replyhero.whatsapp.client.model.Text;
import com.replyhero.whatsapp.client.model.WebhookRequest;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's flows (docs/seed/RH-Whatsapp-API.txt) through the generated client against the packaged gateway and
 * its demo organization: a text, a media upload and its send, the hello_world template, the history, and the
 * events webhook.
 */
class SeedFlowsTest {

    static final Duration STATUS_BOUND = Duration.ofSeconds(30);
    static final String SESSION = "SESSION_ID";

    static PackagedGateway gateway;
    static MessagesApi messages;
    static MediaApi media;
    static TemplatesApi templates;
    static EventsApi events;

    @BeforeAll
    static void startTheJar() throws Exception {
        gateway = PackagedGateway.start();
        ApiClient client = gateway.demoClient();
        messages = new MessagesApi(client);
        media = new MediaApi(client);
        templates = new TemplatesApi(client);
        events = new EventsApi(client);
    }

    @AfterAll
    static void stopTheJar() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theSeedsTextMessageReachesTheDemoCustomerAndIsRead() throws Exception {
        MessageRecord sent = messages.postMessagesSend(null, textRequest("testing msg"));

        assertThat(sent.getId()).isNotBlank();
        assertThat(sent.getCustomerId()).isEqualTo(gateway.demo("customerId"));
        assertThat(eventually(() -> status(sent.getId()), StatusEnum.READ::equals))
                .isEqualTo(StatusEnum.READ);
    }

    @Test
    void anUploadedImageIsSentByItsMediaId() throws Exception {
        File png = Files.createTempFile(Path.of("target"), "photo", ".png").toFile();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png);

        MediaId uploaded = media.postUploadsMediaUpload(null, null, png, gateway.demo("orgId"), "image/png");
        MessageRecord sent = messages.postMessagesSend(
                null,
                request().message(new MessageContent()
                        .type("image")
                        .image(new Media().id(uploaded.getId()).caption("from the Java client"))));

        assertThat(uploaded.getId()).isNotBlank();
        assertThat(eventually(() -> status(sent.getId()), StatusEnum.READ::equals))
                .isEqualTo(StatusEnum.READ);
    }

    @Test
    void theHelloWorldTemplateIsSentToTheOrgsCustomer() throws Exception {
        List<MessageRecord> sent = templates.postTemplateSend(
                new TemplateSendRequest()
                        .templateName("hello_world")
                        .language("en_US")
                        .sessionId(SESSION)
                        .orgId(gateway.demo("orgId"))
                        .userId(gateway.demo("userId"))
                        .components(List.of())
                        .customerIds(List.of(gateway.demo("customerId"))),
                null,
                null);

        assertThat(sent).hasSize(1);
        assertThat(eventually(() -> status(sent.get(0).getId()), StatusEnum.READ::equals))
                .isEqualTo(StatusEnum.READ);
    }

    @Test
    void theHistoryListsTheConversationNewestFirst() throws Exception {
        String first = messages.postMessagesSend(null, textRequest("first")).getId();
        String second = messages.postMessagesSend(null, textRequest("second")).getId();

        PageJsonNode page = messages.getMessages(gateway.demo("customerId"), null, 200, null);
        List<String> ids = page.getData().stream()
                .map(record -> new ObjectMapper().valueToTree(record).get("id").asText())
                .toList();

        assertThat(ids).contains(first, second);
        assertThat(ids.indexOf(second)).isLessThan(ids.indexOf(first));
    }

    @Test
    void theEventsWebhookReceivesTheStatusesOfASend() throws Exception {
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/whatsapp-events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestHeaders().getFirst("webhook-signature") != null) {
                received.add(new ObjectMapper().readTree(new String(body, StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/whatsapp-events";
            assertThat(events.putWebhook(new WebhookRequest().url(url)).getUrl()).isEqualTo(url);

            String id = messages.postMessagesSend(null, textRequest("with events")).getId();

            Instant deadline = Instant.now().plus(STATUS_BOUND);
            boolean readReported = false;
            while (!readReported && Instant.now().isBefore(deadline)) {
                JsonNode event = received.poll(1, TimeUnit.SECONDS);
                readReported = event != null
                        && "message.status".equals(event.path("type").asText())
                        && id.equals(event.path("data").path("id").asText())
                        && "read".equals(event.path("data").path("status").asText());
            }
            assertThat(readReported)
                    .as("a signed message.status event with status read for %s", id)
                    .isTrue();
        } finally {
            events.deleteWebhook();
            receiver.stop(0);
        }
    }

    private static SendMessageRequest textRequest(String body) {
        return request().message(new MessageContent().type("text").text(new Text().body(body)));
    }

    private static SendMessageRequest request() {
        return new SendMessageRequest()
                .sessionId(SESSION)
                .customerId(gateway.demo("customerId"))
                .userId(gateway.demo("userId"))
                .orgId(gateway.demo("orgId"));
    }

    private static StatusEnum status(String id) {
        try {
            return messages.getMessagesById(id).getStatus();
        } catch (ApiException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T eventually(Supplier<T> read, Predicate<T> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(STATUS_BOUND);
        T value = read.get();
        while (!done.test(value) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            value = read.get();
        }
        return value;
    }
}
