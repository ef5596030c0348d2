package com.replyhero.whatsapp.media;

import static com.replyhero.whatsapp.media.MediaUploadTest.mediaRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SendMediaMessageTest extends GatewayTest {

    @Test
    void theSeedsImageExampleWithBase64DataAnswersTheSeedsRecord() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        // the seed's "Media Message" curl, verbatim but for the ids and the bytes
        String seedBody = """
                {
                  "message": {
                    "type": "image",
                    "image": {
                      "file": {
                        "name": "bot.png",
                        "type": "image/png",
                        "displayType": "IMAGE",
                        "extension": "png",
                        "data": "%s"
                      },
                      "caption": "testing"
                    }
                  },
                  "sessionId": "SESSION_ID",
                  "customerId": "%s",
                  "userId": "%s",
                  "orgId": "%s"
                }""".formatted(
                        Base64.getEncoder().encodeToString(MediaFixtures.png()),
                        customer.get("id").asString(),
                        org.userId(),
                        org.orgId());

        Api.Response sent = api.post("/whatsapp/messages/send", seedBody, "x-api-key", org.apiKey());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        JsonNode record = sent.json();
        assertThat(record.get("customerId").asString())
                .isEqualTo(customer.get("id").asString());
        assertThat(record.get("messageType").asString()).isEqualTo("human");
        assertThat(record.get("orgId").asString()).isEqualTo(org.orgId());
        assertThat(record.get("sessionId").asString()).isEqualTo("SESSION_ID");
        assertThat(record.get("userId").asString()).isEqualTo(org.userId());
        assertThat(record.get("timestamp").asString()).endsWith("+0800");
        assertThat(record.get("response").get("messages").get(0).get("id").asString())
                .startsWith("wamid.");
        assertThat(record.get("response").get("contacts").get(0).get("wa_id").asString())
                .isEqualTo(customer.get("phone").asString());
        assertThat(record.get("file").asString()).isEqualTo("bot.png");
        assertThat(record.get("message").asString()).isEqualTo("testing");
        assertThat(record.get("kind").asString()).isEqualTo("image");
        assertThat(sandboxAccepted(record.get("id").asString())).isEqualTo(1);
        String stored = db.sql("SELECT content::text FROM messages WHERE org_id = ? AND id = ?")
                .params(org.orgId(), record.get("id").asString())
                .query(String.class)
                .single();
        assertThat(stored).contains("\"id\"").doesNotContain(Base64.getEncoder().encodeToString(MediaFixtures.png()));
        assertThat(db.sql("SELECT count(*) FROM media WHERE org_id = ?")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aDocumentKeepsItsFileNameAndAVideoGoesByBytesToo() {
        TestOrg org = anOrg();
        String customerId = aCustomerWhoWroteIn(org).get("id").asString();

        Api.Response document = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customerId,
                        "document",
                        Map.of("file", file("report.pdf", "application/pdf", "DOCUMENT", "pdf", MediaFixtures.pdf()))),
                org.key());
        Api.Response video = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customerId,
                        "video",
                        Map.of(
                                "file",
                                file(
                                        "clip.3gp",
                                        "video/3gp",
                                        "VIDEO",
                                        "3gp",
                                        MediaFixtures.sized(
                                                "\0\0\0\u0018ftyp3gp4".getBytes(StandardCharsets.ISO_8859_1), 2000)),
                                "caption",
                                "clip")),
                org.key());

        assertThat(document.status()).as(document.text()).isEqualTo(200);
        assertThat(document.json().get("file").asString()).isEqualTo("report.pdf");
        assertThat(video.status()).as(video.text()).isEqualTo(200);
        assertThat(db.sql("SELECT mime_type FROM media WHERE org_id = ? ORDER BY mime_type")
                        .param(org.orgId())
                        .query(String.class)
                        .list())
                .containsExactly("application/pdf", "video/3gpp");
    }

    @Test
    void aPngDeclaredAsAPdfIsRefused() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        Api.Response refused = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customer.get("id").asString(),
                        "document",
                        Map.of("file", file("bot.pdf", "application/pdf", "DOCUMENT", "pdf", MediaFixtures.png()))),
                org.key());

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("media_type_mismatch");
        assertThat(refused.json().get("field").asString()).isEqualTo("message.document.file.data");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void aSixMegabyteImageGets413WithAClearMessage() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        Api.Response refused = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customer.get("id").asString(),
                        "image",
                        Map.of(
                                "file",
                                file("big.jpg", "image/jpeg", "IMAGE", "jpg", MediaFixtures.jpegOf(6 * 1024 * 1024)))),
                org.key());

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("code").asString()).isEqualTo("media_too_large");
        assertThat(refused.json().get("message").asString()).contains("image files may be at most 5 MB");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() throws IOException {
        TestOrg org = anOrg();

        // announce 500 MB and send none of it: the answer must come from the Content-Length alone
        String answer;
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(environment.getProperty("local.server.port")))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /whatsapp/messages/send HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-KEY: " + org.apiKey()
                            + "\r\nContent-Type: application/json\r\nContent-Length: 500000000\r\n\r\n{\"message\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        }

        assertThat(answer).isEqualTo("HTTP/1.1 413");
    }

    @Test
    void aHugeStringOutsideFileDataIsRefusedWithoutTheMediaPath() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        Api.Response refused = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customer.get("id").asString(),
                        "image",
                        Map.of("link", "https://example.com/a.png", "caption", "x".repeat(3 * 1024 * 1024))),
                org.key());

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("code").asString()).isEqualTo("payload_too_large");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void aSendWithMoreThan256KbOfUnknownFieldsIsRefusedWith413NamingTheLimitAndNothingIsStoredOrSent() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Map<String, Object> request =
                new HashMap<>(textRequest(org, customer.get("id").asString(), "hi"));
        for (int i = 0; i < 30; i++) {
            request.put("extra" + i, "x".repeat(10 * 1024));
        }

        Api.Response refused = api.post("/whatsapp/messages/send", request, org.key());

        assertTooLargeOutsideTheFile(refused);
        assertNothingStoredOrSent(org, customer);
    }

    @Test
    void aSendWithMegabytesOfUnknownFieldsGetsTheClear413EvenWhileStillSending() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Map<String, Object> request =
                new HashMap<>(textRequest(org, customer.get("id").asString(), "hi"));
        for (int i = 0; i < 16; i++) {
            request.put("extra" + i, "x".repeat(512 * 1024));
        }

        Api.Response refused = api.post("/whatsapp/messages/send", request, org.key());

        assertTooLargeOutsideTheFile(refused);
        assertNothingStoredOrSent(org, customer);
    }

    @Test
    void aMediaSendWithAHugeCaptionOrUnknownFieldsBesideTheFileIsRefusedWith413AndNothingIsStoredOrSent() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String customerId = customer.get("id").asString();
        Map<String, Object> besideTheData = file("a.jpg", "image/jpeg", "IMAGE", "jpg", MediaFixtures.jpeg());
        besideTheData.put("comment", "y".repeat(300 * 1024));
        Map<String, Object> nested = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            nested.put("k" + i, List.of("z".repeat(4 * 1024), Map.of("deeper", "w".repeat(4 * 1024))));
        }

        Api.Response hugeCaption = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customerId,
                        "image",
                        Map.of(
                                "file",
                                file("a.jpg", "image/jpeg", "IMAGE", "jpg", MediaFixtures.jpeg()),
                                "caption",
                                "c".repeat(300 * 1024))),
                org.key());
        Api.Response besideData = send(org, customerId, "image", besideTheData);
        Api.Response nestedUnknown = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customerId,
                        "image",
                        Map.of(
                                "file",
                                file("a.jpg", "image/jpeg", "IMAGE", "jpg", MediaFixtures.jpeg()),
                                "unknown",
                                nested)),
                org.key());

        assertTooLargeOutsideTheFile(hugeCaption);
        assertTooLargeOutsideTheFile(besideData);
        assertTooLargeOutsideTheFile(nestedUnknown);
        assertNothingStoredOrSent(org, customer);
    }

    @Test
    void aMediaSendWithAFourMegabyteFileAndSmallFieldsStillWorks() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Map<String, Object> request = new HashMap<>(mediaRequest(
                org,
                customer.get("id").asString(),
                "image",
                Map.of(
                        "file",
                        file("big.jpg", "image/jpeg", "IMAGE", "jpg", MediaFixtures.jpegOf(4 * 1024 * 1024)),
                        "caption",
                        "c".repeat(1024))));
        request.put("clientReference", "r".repeat(100 * 1024));

        Api.Response sent = api.post("/whatsapp/messages/send", request, org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
    }

    private static void assertTooLargeOutsideTheFile(Api.Response refused) {
        assertThat(refused.status()).as(refused.text()).isEqualTo(413);
        assertThat(refused.json().get("code").asString()).isEqualTo("payload_too_large");
        assertThat(refused.json().get("message").asString()).contains("256 KB").contains("file.data");
    }

    private void assertNothingStoredOrSent(TestOrg org, JsonNode customer) {
        assertThat(db.sql("SELECT count(*) FROM messages WHERE org_id = :orgId AND message_type <> 'user'")
                        .param("orgId", org.orgId())
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void aRepeatedFileSendWithTheSameIdempotencyKeyUploadsAndSendsOnce() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Map<String, Object> request = mediaRequest(
                org,
                customer.get("id").asString(),
                "image",
                Map.of("file", file("bot.png", "image/png", "IMAGE", "png", MediaFixtures.png())));

        Api.Response first =
                api.post("/whatsapp/messages/send", request, "X-API-KEY", org.apiKey(), "Idempotency-Key", "m-1");
        Api.Response again =
                api.post("/whatsapp/messages/send", request, "X-API-KEY", org.apiKey(), "Idempotency-Key", "m-1");

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
        assertThat(db.sql("SELECT count(*) FROM media WHERE org_id = ?")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void fileAndLinkTogetherAre400() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        Api.Response both = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customer.get("id").asString(),
                        "image",
                        Map.of(
                                "file",
                                file("bot.png", "image/png", "IMAGE", "png", MediaFixtures.png()),
                                "link",
                                "https://example.com/bot.png")),
                org.key());
        Api.Response neither = api.post(
                "/whatsapp/messages/send",
                mediaRequest(org, customer.get("id").asString(), "image", Map.of("caption", "nothing")),
                org.key());

        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("field").asString()).isEqualTo("message.image");
        assertThat(both.json().get("message").asString()).contains("exactly one of file");
        assertThat(neither.status()).isEqualTo(400);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void fileFieldsThatDisagreeAre400() {
        TestOrg org = anOrg();
        String customerId = aCustomerWhoWroteIn(org).get("id").asString();
        byte[] png = MediaFixtures.png();

        Api.Response display = send(org, customerId, "image", file("bot.png", "image/png", "VIDEO", "png", png));
        Api.Response extension = send(org, customerId, "image", file("bot.png", "image/png", "IMAGE", "jpg", png));
        Api.Response name = send(org, customerId, "image", file("bot.gif", "image/png", "IMAGE", "png", png));
        Api.Response kind = send(org, customerId, "video", file("bot.png", "image/png", "VIDEO", "png", png));
        Map<String, Object> notBase64 = file("bot.png", "image/png", "IMAGE", "png", png);
        notBase64.put("data", "BYTES_DATA_IN_STRING");
        Api.Response badData = send(org, customerId, "image", notBase64);

        assertThat(display.json().get("field").asString()).isEqualTo("message.image.file.displayType");
        assertThat(extension.json().get("field").asString()).isEqualTo("message.image.file.extension");
        assertThat(name.json().get("field").asString()).isEqualTo("message.image.file.name");
        assertThat(kind.json().get("field").asString()).isEqualTo("message.video.file.type");
        assertThat(badData.json().get("field").asString()).isEqualTo("message.image.file.data");
        assertThat(List.of(display, extension, name, kind, badData)).allMatch(r -> r.status() == 400);
    }

    @Test
    void aLinkIsPassedToTheCloudApiAndOnlyHttpLinksAreAccepted() {
        TestOrg org = anOrg();
        String customerId = aCustomerWhoWroteIn(org).get("id").asString();

        Api.Response linked = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customerId,
                        "document",
                        Map.of(
                                "link",
                                "https://example.com/files/report.pdf",
                                "filename",
                                "report.pdf",
                                "caption",
                                "Q3")),
                org.key());
        Api.Response ftp = api.post(
                "/whatsapp/messages/send",
                mediaRequest(org, customerId, "image", Map.of("link", "ftp://example.com/a.png")),
                org.key());
        Api.Response filenameOnImage = api.post(
                "/whatsapp/messages/send",
                mediaRequest(org, customerId, "image", Map.of("link", "https://example.com/a.png", "filename", "a")),
                org.key());

        assertThat(linked.status()).as(linked.text()).isEqualTo(200);
        assertThat(linked.json().get("message").asString()).isEqualTo("Q3");
        assertThat(ftp.status()).isEqualTo(400);
        assertThat(ftp.json().get("field").asString()).isEqualTo("message.image.link");
        assertThat(filenameOnImage.status()).isEqualTo(400);
        assertThat(filenameOnImage.json().get("field").asString()).isEqualTo("message.image.filename");
    }

    @Test
    void aProviderLinkIsDownloadedWithItsCredentialsUploadedAndSentById() throws IOException {
        TestOrg org = anOrg();
        String customerId = aCustomerWhoWroteIn(org).get("id").asString();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] png = MediaFixtures.png();
        files.createContext("/private/bot.png", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(auth));
            boolean ok = "Bearer s3cret".equals(auth);
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(ok ? 200 : 401, ok ? png.length : -1);
            if (ok) {
                exchange.getResponseBody().write(png);
            }
            exchange.close();
        });
        files.start();
        try {
            Api.Response provider = api.put(
                    "/admin/orgs/" + org.orgId() + "/media-providers/drive",
                    Map.of("headers", Map.of("Authorization", "Bearer s3cret")),
                    admin());
            String link = "http://127.0.0.1:" + files.getAddress().getPort() + "/private/bot.png";

            Api.Response sent = api.post(
                    "/whatsapp/messages/send",
                    mediaRequest(org, customerId, "image", Map.of("link", link, "provider", "drive")),
                    org.key());
            Api.Response unknownProvider = api.post(
                    "/whatsapp/messages/send",
                    mediaRequest(org, customerId, "image", Map.of("link", link, "provider", "nope")),
                    org.key());

            assertThat(provider.status()).as(provider.text()).isEqualTo(200);
            assertThat(provider.text()).doesNotContain("s3cret");
            assertThat(sent.status()).as(sent.text()).isEqualTo(200);
            assertThat(authorizations).containsExactly("Bearer s3cret");
            assertThat(db.sql("SELECT count(*) FROM media WHERE org_id = ?")
                            .param(org.orgId())
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
            assertThat(unknownProvider.status()).isEqualTo(404);
            assertThat(unknownProvider.json().get("code").asString()).isEqualTo("media_provider_not_found");
        } finally {
            files.stop(0);
        }
    }

    @Test
    void aRedirectToTheMetadataAddressIsRefused() throws IOException {
        TestOrg org = anOrg();
        String customerId = aCustomerWhoWroteIn(org).get("id").asString();
        HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        files.start();
        try {
            api.put(
                    "/admin/orgs/" + org.orgId() + "/media-providers/drive",
                    Map.of("headers", Map.of("Authorization", "Bearer x")),
                    admin());

            Api.Response refused = api.post(
                    "/whatsapp/messages/send",
                    mediaRequest(
                            org,
                            customerId,
                            "image",
                            Map.of(
                                    "link",
                                    "http://127.0.0.1:" + files.getAddress().getPort() + "/a.png",
                                    "provider",
                                    "drive")),
                    org.key());

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("code").asString()).isEqualTo("forbidden_address");
            assertThat(refused.json().get("message").asString()).contains("169.254.169.254");
        } finally {
            files.stop(0);
        }
    }

    private Api.Response send(TestOrg org, String customerId, String type, Map<String, Object> file) {
        return api.post(
                "/whatsapp/messages/send", mediaRequest(org, customerId, type, Map.of("file", file)), org.key());
    }

    static Map<String, Object> file(String name, String type, String displayType, String extension, byte[] bytes) {
        Map<String, Object> file = new HashMap<>();
        file.put("name", name);
        file.put("type", type);
        file.put("displayType", displayType);
        file.put("extension", extension);
        file.put("data", Base64.getEncoder().encodeToString(bytes));
        return file;
    }
}
