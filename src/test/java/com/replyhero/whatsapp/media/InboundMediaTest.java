package com.replyhero.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestDatabase;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InboundMediaTest extends GatewayTest {

    private HttpResponse<byte[]> download(TestOrg org, String mediaId) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        api.request("/whatsapp/media/" + mediaId, org.key())
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aCustomersImageIsDownloadedCheckedAndServedToTheOrg() throws Exception {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        byte[] png = "\u0089PNG\r\n\u001a\n a tiny picture".getBytes(StandardCharsets.ISO_8859_1);

        String mediaId = customerSendsMedia(
                org,
                customer,
                "image",
                Map.of(
                        "caption",
                        "my receipt",
                        "mime_type",
                        "image/png",
                        "data",
                        Base64.getEncoder().encodeToString(png)));

        HttpResponse<byte[]> served =
                eventually(() -> uncheckedDownload(org, mediaId), r -> r.statusCode() == 200, Duration.ofSeconds(10));
        assertThat(served.body()).isEqualTo(png);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
        String sha256 = db.sql("SELECT sha256 FROM media WHERE org_id = :orgId AND id = :id")
                .param("orgId", org.orgId())
                .param("id", mediaId)
                .query(String.class)
                .single();
        assertThat(sha256)
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(png)));
    }

    @Test
    void aDownloadThatFailsIsRetriedUntilItSucceeds() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);

        String mediaId =
                customerSendsMedia(org, customer, "document", Map.of("filename", "invoice.pdf", "failDownloads", 2));

        HttpResponse<byte[]> served =
                eventually(() -> uncheckedDownload(org, mediaId), r -> r.statusCode() == 200, Duration.ofSeconds(20));
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(served.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("invoice.pdf");
    }

    @Test
    void aMediumLargerThanTheInboundLimitIsRefusedWithoutRetries() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        byte[] pdf = new byte[20 * 1024]; // the tests' limit is 16 KB
        System.arraycopy("%PDF-1.4".getBytes(StandardCharsets.US_ASCII), 0, pdf, 0, 8);

        String mediaId = customerSendsMedia(
                org,
                customer,
                "document",
                Map.of(
                        "filename",
                        "big.pdf",
                        "mime_type",
                        "application/pdf",
                        "data",
                        Base64.getEncoder().encodeToString(pdf)));

        HttpResponse<byte[]> answer =
                eventually(() -> uncheckedDownload(org, mediaId), r -> r.statusCode() == 410, Duration.ofSeconds(10));
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("media_unavailable");
        assertThat(db.sql(
                                "SELECT attempts || ' ' || last_error FROM media_downloads WHERE org_id = :orgId AND media_id = :id")
                        .param("orgId", org.orgId())
                        .param("id", mediaId)
                        .query(String.class)
                        .single())
                .isEqualTo("1 the media is larger than 16384 bytes");
    }

    @Test
    void anotherOrgCannotDownloadAnOrgsMedia() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        JsonNode customer = aCustomer(org);
        String mediaId = customerSendsMedia(org, customer, "audio", Map.of("voice", true));
        eventually(() -> uncheckedDownload(org, mediaId), r -> r.statusCode() == 200, Duration.ofSeconds(10));

        Api.Response answer = api.get("/whatsapp/media/" + mediaId, other.key());

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("code").asString()).isEqualTo("media_not_found");
    }

    @Test
    void aFileChangedInTheMediaDirectoryIsRefusedAsCorrupted() throws Exception {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String mediaId = customerSendsMedia(org, customer, "audio", Map.of("voice", true));
        eventually(() -> uncheckedDownload(org, mediaId), r -> r.statusCode() == 200, Duration.ofSeconds(10));
        String key = db.sql("SELECT storage_path FROM media WHERE org_id = :orgId AND id = :id")
                .param("orgId", org.orgId())
                .param("id", mediaId)
                .query(String.class)
                .single();

        java.nio.file.Files.writeString(
                java.nio.file.Path.of(TestDatabase.dataDir(), "media").resolve(key), "not the customer's voice");
        Api.Response refused = api.get("/whatsapp/media/" + mediaId, org.key());

        assertThat(refused.status()).as(refused.text()).isEqualTo(500);
        assertThat(refused.json().get("code").asString()).isEqualTo("media_corrupted");
    }

    @Test
    void metasSha256IsAcceptedInHexOrBase64() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("bytes".getBytes(StandardCharsets.UTF_8));

        assertThat(InboundMediaDownloader.matches(java.util.HexFormat.of().formatHex(digest), digest))
                .isTrue();
        assertThat(InboundMediaDownloader.matches(Base64.getEncoder().encodeToString(digest), digest))
                .isTrue();
        assertThat(InboundMediaDownloader.matches(Base64.getEncoder().encodeToString(new byte[32]), digest))
                .isFalse();
    }

    private HttpResponse<byte[]> uncheckedDownload(TestOrg org, String mediaId) {
        try {
            return download(org, mediaId);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
