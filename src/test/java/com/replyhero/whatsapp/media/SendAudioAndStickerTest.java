package com.replyhero.whatsapp.media;

import static com.replyhero.whatsapp.media.MediaUploadTest.mediaRequest;
import static com.replyhero.whatsapp.media.SendMediaMessageTest.file;
import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.Multipart;
import com.replyhero.whatsapp.support.TestOrg;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Audio and sticker messages through the seed's send, in its style ({@code message.type} and the object of that name,
 * by file, link, provider link or media id): each reaches the sandbox in the shape of Meta's pages "Audio messages"
 * and "Sticker messages" ({@code {"audio": {"id": ...}}}, {@code {"sticker": {"link": ...}}}), comes back in history
 * with its kind, and a bad one (a caption, a type Meta does not take, bytes that are not what they claim, a static
 * sticker over 100 KB) is refused before the upstream.
 */
class SendAudioAndStickerTest extends GatewayTest {

    static final List<String> AUDIO_TYPES = List.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg");
    static final Map<String, String> EXTENSIONS =
            Map.of("audio/aac", "aac", "audio/amr", "amr", "audio/mpeg", "mp3", "audio/mp4", "m4a", "audio/ogg", "ogg");

    @Autowired
    private SandboxAccount sandboxAccount;

    @Test
    void everyAudioTypeOfMetasListGoesByFileAndReachesTheSandboxAsAnUploadedMediaId() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        for (String mime : AUDIO_TYPES) {
            String name = "voice." + EXTENSIONS.get(mime);

            Api.Response sent = send(
                    org,
                    customer,
                    "audio",
                    Map.of("file", file(name, mime, "AUDIO", EXTENSIONS.get(mime), MediaFixtures.audio(mime, 3000))));

            assertThat(sent.status()).as(mime + ": " + sent.text()).isEqualTo(200);
            String id = sent.json().get("id").asString();
            assertThat(sent.json().get("kind").asString()).isEqualTo("audio");
            assertThat(sent.json().get("file").asString()).isEqualTo(name);
            JsonNode received = onlyBodyReceived(id);
            assertMetasEnvelope(received, customer, "audio", id);
            assertThat(received.get("audio").propertyNames()).containsExactly("id");
            String mediaId = received.get("audio").get("id").asString();
            assertThat(db.sql("SELECT mime_type FROM media WHERE org_id = ? AND id = ?")
                            .params(org.orgId(), mediaId)
                            .query(String.class)
                            .single())
                    .isEqualTo(mime);
            assertThat(historyEntry(org, customer, id).get("kind").asString()).isEqualTo("audio");
        }
    }

    @Test
    void aStickerGoesByLinkByUploadedIdAndByFileAnimatedUpToFiveHundredKilobytes() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Api.Response uploaded = upload(org, "image/webp", "smile.webp", MediaFixtures.webp(false, 50 * 1024));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
        String mediaId = uploaded.json().get("id").asString();

        Api.Response byLink = send(
                org,
                customer,
                "sticker",
                Map.of("link", "https://www.luckyshrub.com/assets/animated-smiling-plant.webp"));
        Api.Response byId = send(org, customer, "sticker", Map.of("id", mediaId));
        Api.Response animated = send(
                org,
                customer,
                "sticker",
                Map.of(
                        "file",
                        file("wave.webp", "image/webp", "STICKER", "webp", MediaFixtures.webp(true, 400 * 1024))));

        assertThat(byLink.status()).as(byLink.text()).isEqualTo(200);
        JsonNode linked = onlyBodyReceived(byLink.json().get("id").asString());
        assertMetasEnvelope(linked, customer, "sticker", byLink.json().get("id").asString());
        assertThat(linked.get("sticker"))
                .isEqualTo(Api.json()
                        .readTree("{\"link\": \"https://www.luckyshrub.com/assets/animated-smiling-plant.webp\"}"));
        assertThat(byId.status()).as(byId.text()).isEqualTo(200);
        assertThat(onlyBodyReceived(byId.json().get("id").asString()).get("sticker"))
                .isEqualTo(Api.json().readTree("{\"id\": \"" + mediaId + "\"}"));
        assertThat(animated.status()).as(animated.text()).isEqualTo(200);
        assertThat(onlyBodyReceived(animated.json().get("id").asString())
                        .get("sticker")
                        .propertyNames())
                .containsExactly("id");
        JsonNode inHistory = historyEntry(org, customer, byId.json().get("id").asString());
        assertThat(inHistory.get("kind").asString()).isEqualTo("sticker");
        assertThat(api.get("/whatsapp/messages/" + animated.json().get("id").asString(), org.key())
                        .json()
                        .get("kind")
                        .asString())
                .isEqualTo("sticker");
    }

    @Test
    void anAudioProviderLinkIsDownloadedCheckedUploadedAndSentById() throws IOException {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        byte[] opus = MediaFixtures.audio("audio/ogg", 5000);
        HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/voice.ogg", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "audio/ogg; codecs=opus");
            exchange.sendResponseHeaders(200, opus.length);
            exchange.getResponseBody().write(opus);
            exchange.close();
        });
        files.start();
        try {
            api.put(
                    "/admin/orgs/" + org.orgId() + "/media-providers/drive",
                    Map.of("headers", Map.of("Authorization", "Bearer x")),
                    admin());
            String link = "http://127.0.0.1:" + files.getAddress().getPort() + "/voice.ogg";

            Api.Response sent = send(org, customer, "audio", Map.of("link", link, "provider", "drive"));

            assertThat(sent.status()).as(sent.text()).isEqualTo(200);
            JsonNode audio = onlyBodyReceived(sent.json().get("id").asString()).get("audio");
            assertThat(audio.propertyNames()).containsExactly("id");
            assertThat(db.sql("SELECT mime_type FROM media WHERE org_id = ? AND id = ?")
                            .params(org.orgId(), audio.get("id").asString())
                            .query(String.class)
                            .single())
                    .isEqualTo("audio/ogg");
        } finally {
            files.stop(0);
        }
    }

    @Test
    void badAudioAndStickersAreRefusedNamingTheFieldWithNothingStoredAndNoUpstreamCall() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String pngId = upload(org, "image/png", "a.png", MediaFixtures.png())
                .json()
                .get("id")
                .asString();
        long mediaBefore = mediaOf(org);
        byte[] mp3 = MediaFixtures.audio("audio/mpeg", 2000);
        List<Object[]> cases = List.of(
                new Object[] {
                    "audio",
                    Map.of("link", "https://example.com/a.mp3", "caption", "listen"),
                    "message.audio.caption",
                    "invalid_request"
                },
                new Object[] {
                    "sticker",
                    Map.of("link", "https://example.com/a.webp", "caption", "hi"),
                    "message.sticker.caption",
                    "invalid_request"
                },
                new Object[] {
                    "audio",
                    Map.of("file", file("a.mp3", "audio/mpeg", "AUDIO", "mp3", mp3), "caption", ""),
                    "message.audio.caption",
                    "invalid_request"
                },
                new Object[] {
                    "audio",
                    Map.of("link", "https://example.com/a.mp3", "filename", "a.mp3"),
                    "message.audio.filename",
                    "invalid_request"
                },
                new Object[] {
                    "audio",
                    Map.of("file", file("a.wav", "audio/wav", "AUDIO", "wav", mp3)),
                    "message.audio.file.type",
                    "unsupported_media_type"
                },
                new Object[] {
                    "audio",
                    Map.of(
                            "file",
                            file(
                                    "a.ogg",
                                    "audio/ogg",
                                    "AUDIO",
                                    "ogg",
                                    MediaFixtures.sized(MediaFixtures.ogg("\u0001vorbis"), 2000))),
                    "message.audio.file.data",
                    "media_type_mismatch"
                },
                new Object[] {
                    "audio",
                    Map.of("file", file("a.aac", "audio/aac", "AUDIO", "aac", mp3)),
                    "message.audio.file.data",
                    "media_type_mismatch"
                },
                new Object[] {
                    "audio",
                    Map.of("file", file("a.mp3", "audio/mpeg", "STICKER", "mp3", mp3)),
                    "message.audio.file.displayType",
                    "invalid_request"
                },
                new Object[] {
                    "sticker",
                    Map.of("file", file("a.png", "image/png", "STICKER", "png", MediaFixtures.png())),
                    "message.sticker.file.type",
                    "invalid_request"
                },
                new Object[] {
                    "sticker",
                    Map.of("file", file("a.webp", "image/webp", "STICKER", "webp", MediaFixtures.png())),
                    "message.sticker.file.data",
                    "media_type_mismatch"
                },
                new Object[] {
                    "sticker",
                    Map.of(
                            "file",
                            file("big.webp", "image/webp", "STICKER", "webp", MediaFixtures.webp(false, 101 * 1024))),
                    "message.sticker.file.data",
                    "media_too_large"
                },
                new Object[] {
                    "sticker",
                    Map.of(
                            "file",
                            file("huge.webp", "image/webp", "STICKER", "webp", MediaFixtures.webp(true, 501 * 1024))),
                    "message.sticker.file.data",
                    "media_too_large"
                },
                new Object[] {"sticker", Map.of("id", pngId), "message.sticker.id", "invalid_request"},
                new Object[] {
                    "image",
                    Map.of("file", file("a.webp", "image/webp", "IMAGE", "webp", MediaFixtures.webp(false, 1000))),
                    "message.image.file.type",
                    "invalid_request"
                });

        for (Object[] refusedCase : cases) {
            String type = (String) refusedCase[0];
            @SuppressWarnings("unchecked")
            Map<String, Object> media = (Map<String, Object>) refusedCase[1];
            String field = (String) refusedCase[2];

            Api.Response refused = send(org, customer, type, media);

            assertThat(refused.status()).as(field + ": " + refused.text()).isIn(400, 413);
            assertThat(refused.json().get("code").asString()).as(refused.text()).isEqualTo(refusedCase[3]);
            assertThat(refused.json().get("field").asString())
                    .as(refused.text())
                    .isEqualTo(field);
        }
        assertThat(db.sql("SELECT count(*) FROM messages WHERE org_id = ? AND message_type <> 'user'")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(mediaOf(org)).as("nothing uploaded").isEqualTo(mediaBefore);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void theUploadEndpointTakesAudioAndStickersWithMetasLimits() {
        TestOrg org = anOrg();

        Api.Response opus = upload(org, "audio/ogg", "voice.ogg", MediaFixtures.audio("audio/ogg", 4000));
        Api.Response m4a = upload(org, "audio/mp4", "voice.m4a", MediaFixtures.audio("audio/mp4", 4000));
        Api.Response sticker = upload(org, "image/webp", "s.webp", MediaFixtures.webp(true, 300 * 1024));
        Api.Response vorbis =
                upload(org, "audio/ogg", "v.ogg", MediaFixtures.sized(MediaFixtures.ogg("\u0001vorbis"), 4000));
        Api.Response bigStatic = upload(org, "image/webp", "big.webp", MediaFixtures.webp(false, 120 * 1024));
        Api.Response bigAnimated = upload(org, "image/webp", "big.webp", MediaFixtures.webp(true, 600 * 1024));

        assertThat(opus.status()).as(opus.text()).isEqualTo(200);
        assertThat(m4a.status()).as(m4a.text()).isEqualTo(200);
        assertThat(sticker.status()).as(sticker.text()).isEqualTo(200);
        assertThat(db.sql("SELECT mime_type FROM media WHERE org_id = ? ORDER BY mime_type")
                        .param(org.orgId())
                        .query(String.class)
                        .list())
                .containsExactly("audio/mp4", "audio/ogg", "image/webp");
        assertThat(vorbis.status()).isEqualTo(400);
        assertThat(vorbis.json().get("code").asString()).isEqualTo("media_type_mismatch");
        assertThat(vorbis.json().get("field").asString()).isEqualTo("file");
        assertThat(bigStatic.status()).isEqualTo(413);
        assertThat(bigStatic.json().get("message").asString()).contains("100 KB");
        assertThat(bigAnimated.status()).isEqualTo(413);
        assertThat(bigAnimated.json().get("message").asString()).contains("500 KB");
    }

    @Test
    void theSandboxRefusesACaptionOnAudioAndAPngAsAStickerAsMetaDoes() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String pngId = upload(org, "image/png", "a.png", MediaFixtures.png())
                .json()
                .get("id")
                .asString();

        Api.Response caption =
                graphSend(org, customer, "audio", "{\"link\": \"https://example.com/a.mp3\", \"caption\": \"x\"}");
        Api.Response png = graphSend(org, customer, "sticker", "{\"id\": \"" + pngId + "\"}");
        Api.Response fine = graphSend(org, customer, "audio", "{\"link\": \"https://example.com/a.mp3\"}");

        assertThat(caption.status()).as(caption.text()).isEqualTo(400);
        assertThat(caption.json().get("error").get("code").asInt()).isEqualTo(131009);
        assertThat(png.status()).as(png.text()).isEqualTo(400);
        assertThat(png.json().get("error").get("code").asInt()).isEqualTo(131009);
        assertThat(fine.status()).as(fine.text()).isEqualTo(200);
    }

    private Api.Response graphSend(TestOrg org, JsonNode customer, String type, String object) {
        ObjectNode body = Api.json().createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", customer.get("phone").asString());
        body.put("type", type);
        body.set(type, Api.json().readTree(object));
        return api.post(
                "/sandbox/graph/v21.0/" + org.phoneNumberId() + "/messages",
                body.toString(),
                "Authorization",
                "Bearer " + sandboxAccount.accessToken());
    }

    /** Meta's message envelope around the kind's object, with our id as biz_opaque_callback_data, and nothing else. */
    private static void assertMetasEnvelope(JsonNode received, JsonNode customer, String type, String id) {
        assertThat(received.get("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(received.get("recipient_type").asString()).isEqualTo("individual");
        assertThat(received.get("to").asString())
                .isEqualTo(customer.get("phone").asString());
        assertThat(received.get("type").asString()).isEqualTo(type);
        assertThat(received.get("biz_opaque_callback_data").asString()).isEqualTo(id);
        assertThat(received.propertyNames())
                .containsExactlyInAnyOrder(
                        "messaging_product", "recipient_type", "to", "type", type, "biz_opaque_callback_data");
    }

    private Api.Response send(TestOrg org, JsonNode customer, String type, Map<String, ?> media) {
        return api.post(
                "/whatsapp/messages/send", mediaRequest(org, customer.get("id").asString(), type, media), org.key());
    }

    private Api.Response upload(TestOrg org, String type, String name, byte[] bytes) {
        return api.send(new Multipart()
                .field("orgId", org.orgId())
                .field("type", type)
                .file("file", name, type, bytes)
                .post(api.request("/whatsapp/uploads/media_upload", "X-API-KEY", org.apiKey())));
    }

    /** What the sandbox received for the message, which it accepted exactly once. */
    private JsonNode onlyBodyReceived(String messageId) {
        JsonNode bodies =
                api.get("/sandbox/ledger?callbackData=" + messageId).json().get("bodies");
        assertThat(bodies.size()).as("bodies received for " + messageId).isEqualTo(1);
        return bodies.get(0);
    }

    private JsonNode historyEntry(TestOrg org, JsonNode customer, String id) {
        JsonNode page = api.get(
                        "/whatsapp/messages?limit=200&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .get("data");
        for (JsonNode entry : page) {
            if (entry.get("id").asString().equals(id)) {
                return entry;
            }
        }
        throw new AssertionError("message " + id + " is not in the history");
    }

    private long mediaOf(TestOrg org) {
        return db.sql("SELECT count(*) FROM media WHERE org_id = ?")
                .param(org.orgId())
                .query(Long.class)
                .single();
    }
}
