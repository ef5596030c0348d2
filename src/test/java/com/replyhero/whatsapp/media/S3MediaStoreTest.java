package com.replyhero.whatsapp.media;

import static com.replyhero.whatsapp.media.MediaUploadTest.mediaRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.Multipart;
import com.replyhero.whatsapp.support.SecretLedger;
import com.replyhero.whatsapp.support.TestDatabase;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import tools.jackson.databind.JsonNode;

/**
 * With {@code rh.media.store=s3} against a real S3-protocol server (s3proxy, in-process, on a transient blob store).
 * A context of its own, on a database and data directory of its own: the shared context's download jobs must not
 * take this one's inbound media into its own directory.
 */
@TestPropertySource(properties = {"rh.media.store=s3", "rh.media.keep-outbound=true", "rh.media.s3.path-style=true"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class S3MediaStoreTest extends GatewayTest {

    private static final String BUCKET = "rh-media";
    private static final String ACCESS_KEY = "rh-test-access";
    private static final String SECRET_KEY = "rh-test-secret-" + randomDigits(12);

    private static final java.nio.file.Path DATA_DIR = dataDir();

    private static S3Proxy proxy;

    private static java.nio.file.Path dataDir() {
        try {
            return Files.createTempDirectory("rh-test-s3");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) throws Exception {
        registry.add("rh.media.s3.endpoint", S3MediaStoreTest::endpoint);
        registry.add("rh.media.s3.bucket", () -> BUCKET);
        registry.add("rh.media.s3.access-key", () -> ACCESS_KEY);
        registry.add("rh.media.s3.secret-key", () -> SECRET_KEY);
        registry.add("spring.datasource.url", S3MediaStoreTest::ownDatabase);
        registry.add("rh.data-dir", DATA_DIR::toString);
    }

    private static synchronized String endpoint() {
        if (proxy == null) {
            try {
                BlobStoreContext blobs = ContextBuilder.newBuilder("transient")
                        .credentials(ACCESS_KEY, SECRET_KEY)
                        .build(BlobStoreContext.class);
                proxy = S3Proxy.builder()
                        .blobStore(blobs.getBlobStore())
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
                proxy.start();
                while (!proxy.getState().equals("STARTED")) {
                    Thread.sleep(10);
                }
                String endpoint = "http://127.0.0.1:" + proxy.getPort();
                try (S3Client s3 = bucketClient(endpoint)) {
                    s3.createBucket(b -> b.bucket(BUCKET));
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        proxy.stop();
                    } catch (Exception ignored) {
                        // the JVM is going away
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not start", e);
            }
        }
        return "http://127.0.0.1:" + proxy.getPort();
    }

    private static S3Client bucketClient(String endpoint) {
        return S3MediaStore.client(new MediaSettings.S3(endpoint, "us-east-1", BUCKET, true, ACCESS_KEY, SECRET_KEY));
    }

    private static String ownDatabase() {
        String url = TestDatabase.url();
        try (var connection = DriverManager.getConnection(url, TestDatabase.user(), TestDatabase.password());
                var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS rh_s3_media");
            statement.execute("CREATE DATABASE rh_s3_media");
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the S3 test's database", e);
        }
        return url.replaceFirst("/postgres(\\?|$)", "/rh_s3_media$1");
    }

    private S3Client bucket() {
        return bucketClient(endpoint());
    }

    private String storagePath(TestOrg org, String mediaId) {
        return db.sql("SELECT storage_path FROM media WHERE org_id = :orgId AND id = :id")
                .param("orgId", org.orgId())
                .param("id", mediaId)
                .query(String.class)
                .single();
    }

    @Test
    void anUploadedAndSentDocumentIsKeptInTheBucketWithItsSha256() throws Exception {
        SecretLedger.secret(SECRET_KEY);
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        byte[] pdf = MediaFixtures.pdf();

        Api.Response uploaded = api.send(new Multipart()
                .field("orgId", org.orgId())
                .field("type", "application/pdf")
                .file("file", "invoice.pdf", "application/pdf", pdf)
                .post(api.request("/whatsapp/uploads/media_upload", "X-API-KEY", org.apiKey())));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
        String mediaId = uploaded.json().get("id").asString();
        Api.Response sent = api.post(
                "/whatsapp/messages/send",
                mediaRequest(
                        org,
                        customer.get("id").asString(),
                        "document",
                        Map.of("id", mediaId, "filename", "invoice.pdf")),
                org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        String key = storagePath(org, mediaId);
        assertThat(key).startsWith("outbound/").endsWith("/" + sha256(pdf));
        try (S3Client s3 = bucket()) {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
            assertThat(object.asByteArray()).isEqualTo(pdf);
            assertThat(object.response().metadata()).containsEntry("sha256", sha256(pdf));
        }
    }

    @Test
    void aCustomersImageIsDownloadedIntoTheBucketAndServedBackByteIdentical() throws Exception {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        byte[] png = MediaFixtures.png();

        String mediaId = customerSendsImage(org, customer, png);
        HttpResponse<byte[]> served = eventually(() -> download(org, mediaId), r -> r.statusCode() == 200, TIMEOUT);

        assertThat(served.body()).isEqualTo(png);
        String key = storagePath(org, mediaId);
        assertThat(key).startsWith("inbound/");
        try (S3Client s3 = bucket()) {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
            assertThat(sha256(object.asByteArray())).isEqualTo(sha256(png));
            assertThat(object.response().metadata()).containsEntry("sha256", sha256(png));
        }
        assertThat(Files.list(Files.createDirectories(DATA_DIR.resolve("tmp").resolve("media")))
                        .count())
                .as("the copy read from the bucket is deleted once served")
                .isZero();
    }

    @Test
    void anObjectChangedInTheBucketIsRefusedAsCorrupted() throws Exception {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String mediaId = customerSendsImage(org, customer, MediaFixtures.png());
        eventually(() -> download(org, mediaId), r -> r.statusCode() == 200, TIMEOUT);
        String key = storagePath(org, mediaId);

        try (S3Client s3 = bucket()) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("not the customer's picture"));
        }
        Api.Response refused = api.get("/whatsapp/media/" + mediaId, org.key());

        assertThat(refused.status()).as(refused.text()).isEqualTo(500);
        assertThat(refused.json().get("code").asString()).isEqualTo("media_corrupted");
        assertThat(refused.json().get("message").asString()).contains("do not match the SHA-256");
    }

    @Test
    void anObjectExpiredFromTheBucketIsGone() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String mediaId = customerSendsImage(org, customer, MediaFixtures.png());
        eventually(() -> download(org, mediaId), r -> r.statusCode() == 200, TIMEOUT);

        try (S3Client s3 = bucket()) {
            s3.deleteObject(b -> b.bucket(BUCKET).key(storagePath(org, mediaId)));
        }
        HttpResponse<byte[]> gone = download(org, mediaId);

        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(new String(gone.body(), StandardCharsets.UTF_8)).contains("media_unavailable");
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private String customerSendsImage(TestOrg org, JsonNode customer, byte[] image) {
        return customerSendsMedia(
                org,
                customer,
                "image",
                Map.of("mime_type", "image/png", "data", Base64.getEncoder().encodeToString(image)));
    }

    private HttpResponse<byte[]> download(TestOrg org, String mediaId) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            api.request("/whatsapp/media/" + mediaId, org.key())
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
