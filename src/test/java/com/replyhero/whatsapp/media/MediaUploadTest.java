package com.replyhero.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.Multipart;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MediaUploadTest extends GatewayTest {

    @Test
    void theSeedsUploadExampleAnswersAMediaIdThatCanBeSentAsAnImage() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        // the seed's Python example: data={'orgId': ..., 'type': 'image/jpg'}, files=[('file', ('example.jpeg', ...,
        // 'image/jpeg'))]
        Api.Response uploaded = upload(
                org,
                new Multipart()
                        .field("orgId", org.orgId())
                        .field("type", "image/jpg")
                        .file("file", "example.jpeg", "image/jpeg", MediaFixtures.jpeg()));

        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
        assertThat(uploaded.json().propertyNames()).containsExactly("id");
        String mediaId = uploaded.json().get("id").asString();
        assertThat(mediaId).matches("[0-9]{10,}");
        Map<String, Object> row = db.sql(
                        "SELECT mime_type, direction, expires_at FROM media WHERE org_id = ? AND id = ?")
                .params(org.orgId(), mediaId)
                .query()
                .singleRow();
        assertThat(row.get("mime_type")).isEqualTo("image/jpeg");
        assertThat(row.get("direction")).isEqualTo("outbound");
        assertThat(((java.sql.Timestamp) row.get("expires_at")).toInstant())
                .isBetween(
                        Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));

        Api.Response sent = api.post(
                "/whatsapp/messages/send",
                mediaRequest(org, customer.get("id").asString(), "image", Map.of("id", mediaId, "caption", "hi")),
                org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sent.json().get("message").asString()).isEqualTo("hi");
        assertThat(sandboxAccepted(sent.json().get("id").asString())).isEqualTo(1);
    }

    @Test
    void anUploadTheCloudApiRefusesAnswersMetasErrorInTheOneErrorShape() {
        TestOrg org = anOrg();
        Api.Response channel = api.put(
                "/admin/orgs/" + org.orgId() + "/channel",
                Map.of(
                        "phoneNumberId",
                        org.phoneNumberId(),
                        "wabaId",
                        "2" + randomDigits(14),
                        "accessToken",
                        "a-token-the-sandbox-does-not-know"),
                admin());
        assertThat(channel.status()).as(channel.text()).isEqualTo(200);

        Api.Response uploaded = upload(
                org,
                new Multipart()
                        .field("orgId", org.orgId())
                        .field("type", "image/png")
                        .file("file", "a.png", "image/png", MediaFixtures.png()));

        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(502);
        assertThat(uploaded.json().get("code").asString()).isEqualTo("upstream_unauthorized");
        assertThat(uploaded.json().get("upstream").get("code").asInt()).isEqualTo(190);
        assertThat(uploaded.json().get("upstream").get("retryable").asBoolean()).isFalse();
    }

    @Test
    void theSeedsCurlFormValuesWithTheirQuotesAreAccepted() {
        TestOrg org = anOrg();

        // curl --form 'orgId="ORG_ID" ' --form 'type="image/jpg" ' sends the values as written
        Api.Response uploaded = upload(
                org,
                new Multipart()
                        .field("orgId", "\"" + org.orgId() + "\" ")
                        .field("type", "\"image/jpg\" ")
                        .file("file", "example.jpeg", "application/octet-stream", MediaFixtures.jpeg()));

        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
    }

    @Test
    void anotherOrgCannotUseTheMediaId() {
        TestOrg mine = anOrg();
        TestOrg theirs = anOrg();
        JsonNode theirCustomer = aCustomerWhoWroteIn(theirs);
        String mediaId = upload(
                        mine,
                        new Multipart()
                                .field("orgId", mine.orgId())
                                .field("type", "image/png")
                                .file("file", "a.png", "image/png", MediaFixtures.png()))
                .json()
                .get("id")
                .asString();

        Api.Response sent = api.post(
                "/whatsapp/messages/send",
                mediaRequest(theirs, theirCustomer.get("id").asString(), "image", Map.of("id", mediaId)),
                theirs.key());

        assertThat(sent.status()).isEqualTo(404);
        assertThat(sent.json().get("code").asString()).isEqualTo("media_not_found");
        assertThat(sent.json().get("field").asString()).isEqualTo("message.image.id");
        assertThat(sandboxAcceptedTo(theirCustomer.get("phone").asString())).isZero();
    }

    @Test
    void aSixMegabyteImageIs413WithMetasLimitInTheMessage() {
        TestOrg org = anOrg();

        Api.Response refused = upload(
                org,
                new Multipart()
                        .field("orgId", org.orgId())
                        .field("type", "image/jpeg")
                        .file("file", "big.jpg", "image/jpeg", MediaFixtures.jpegOf(6 * 1024 * 1024)));

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("code").asString()).isEqualTo("media_too_large");
        assertThat(refused.json().get("message").asString()).contains("image files may be at most 5 MB");
        assertThat(refused.json().get("field").asString()).isEqualTo("file");
    }

    @Test
    void aPngDeclaredAsAPdfIsRefused() {
        TestOrg org = anOrg();

        Api.Response refused = upload(
                org,
                new Multipart()
                        .field("orgId", org.orgId())
                        .field("type", "application/pdf")
                        .file("file", "report.pdf", "application/pdf", MediaFixtures.png()));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("media_type_mismatch");
        assertThat(db.sql("SELECT count(*) FROM media WHERE org_id = ?")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anUnsupportedTypeAndAMissingFileAre400() {
        TestOrg org = anOrg();

        Api.Response gif = upload(
                org,
                new Multipart()
                        .field("orgId", org.orgId())
                        .field("type", "image/gif")
                        .file("file", "a.gif", "image/gif", "GIF89a....".getBytes()));
        Api.Response noFile =
                upload(org, new Multipart().field("orgId", org.orgId()).field("type", "image/png"));

        assertThat(gif.status()).isEqualTo(400);
        assertThat(gif.json().get("code").asString()).isEqualTo("unsupported_media_type");
        assertThat(gif.json().get("message").asString()).contains("image/png");
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.json().get("field").asString()).isEqualTo("file");
    }

    @Test
    void anotherOrgsOrgIdIs403() {
        TestOrg mine = anOrg();
        TestOrg theirs = anOrg();

        Api.Response refused = upload(
                mine,
                new Multipart()
                        .field("orgId", theirs.orgId())
                        .field("type", "image/png")
                        .file("file", "a.png", "image/png", MediaFixtures.png()));

        assertThat(refused.status()).isEqualTo(403);
    }

    private Api.Response upload(TestOrg org, Multipart form) {
        return api.send(form.post(api.request("/whatsapp/uploads/media_upload", "X-API-KEY", org.apiKey())));
    }

    static Map<String, Object> mediaRequest(TestOrg org, String customerId, String type, Map<String, ?> media) {
        return Map.of(
                "message", Map.of("type", type, type, media),
                "sessionId", "SESSION_ID",
                "customerId", customerId,
                "userId", org.userId(),
                "orgId", org.orgId());
    }
}
