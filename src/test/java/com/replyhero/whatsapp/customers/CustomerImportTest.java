package com.replyhero.whatsapp.customers;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The CSV import of customers as a client meets it: slow uploads hold no database connection, a body over the limit
 * is 413, concurrent imports of the same numbers both succeed, and the file's details (charset, duplicate columns,
 * control characters, lines of multi-line rows, the limits of tags and attributes) are refused or reported clearly.
 */
class CustomerImportTest extends GatewayTest {

    @Test
    void slowUploadsHoldNoDatabaseConnection() throws Exception {
        TestOrg org = anOrg();
        int uploads = 24; // more than the pool's 20 connections
        CountDownLatch finish = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(uploads);
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            String head = "phone,name\r\n60177" + String.format("%05d", i) + ",Slow\r\n";
            InputStream body = new InputStream() {
                final byte[] bytes = head.getBytes(StandardCharsets.UTF_8);
                int at;

                @Override
                public int read() throws IOException {
                    if (at == bytes.length) {
                        started.countDown();
                        try {
                            if (!finish.await(60, TimeUnit.SECONDS)) {
                                throw new IOException("the test never let the upload finish");
                            }
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        at++;
                        return -1;
                    }
                    return at > bytes.length ? -1 : bytes[at++];
                }
            };
            pending.add(client.sendAsync(
                    api.request("/whatsapp/customers/import", org.key())
                            .header("Content-Type", "text/csv")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        try {
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(500); // the uploads are being read by the gateway now
            Api.Response meanwhile = api.get("/whatsapp/customers?limit=1", org.key());
            assertThat(meanwhile.status()).as(meanwhile.text()).isEqualTo(200);
        } finally {
            finish.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> upload : pending) {
            HttpResponse<String> done = upload.get(60, TimeUnit.SECONDS);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        }
        assertThat(count(org)).isEqualTo(uploads);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        TestOrg org = anOrg();
        byte[] row =
                "60123456789,Someone with a long name to fill the body quickly\r\n".getBytes(StandardCharsets.UTF_8);
        long limit = 20L * 1024 * 1024;
        InputStream endless = new InputStream() {
            long sent;

            @Override
            public int read() {
                if (sent > limit + 1024) {
                    return -1;
                }
                return row[(int) (sent++ % row.length)];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent > limit + 1024) {
                    return -1;
                }
                for (int i = 0; i < len; i++) {
                    b[off + i] = row[(int) (sent++ % row.length)];
                }
                return len;
            }
        };
        Api.Response tooLarge = api.send(api.request("/whatsapp/customers/import", org.key())
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)));
        assertThat(tooLarge.status()).as(tooLarge.text()).isEqualTo(413);
        assertThat(tooLarge.json().get("code").asString()).isEqualTo("payload_too_large");
        assertThat(count(org)).isZero();
    }

    @Test
    void concurrentImportsOfTheSameNumbersBothSucceed() throws Exception {
        TestOrg org = anOrg();
        List<String> phones = IntStream.range(0, 3000)
                .mapToObj(i -> "60188" + String.format("%05d", i))
                .toList();
        StringBuilder forward = new StringBuilder("phone,tags\r\n");
        phones.forEach(p -> forward.append(p).append(",a\r\n"));
        StringBuilder backward = new StringBuilder("phone,tags\r\n");
        phones.reversed().forEach(p -> backward.append(p).append(",b\r\n"));
        List<CompletableFuture<Api.Response>> imports = new ArrayList<>();
        for (String csv : List.of(forward.toString(), backward.toString(), forward.toString(), backward.toString())) {
            imports.add(CompletableFuture.supplyAsync(() -> postCsv(org, csv, "text/csv")));
        }
        for (CompletableFuture<Api.Response> done : imports) {
            Api.Response response = done.get(120, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            assertThat(response.json().get("refused").asLong()).isZero();
        }
        assertThat(count(org)).isEqualTo(phones.size());
        assertThat(db.sql("SELECT count(*) FROM customers WHERE org_id = ? AND tags = ARRAY['a','b']")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isEqualTo(phones.size());
    }

    @Test
    void theCharsetOfTheContentTypeIsReadAndTextInAnotherIsRefused() {
        TestOrg org = anOrg();
        byte[] latin1 = "phone,name\r\n60123450001,Jos\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Api.Response read = api.send(api.request("/whatsapp/customers/import", org.key())
                .header("Content-Type", "text/csv; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)));
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(api.get("/whatsapp/customers?phone=60123450001", org.key())
                        .json()
                        .get("data")
                        .get(0)
                        .get("name")
                        .asString())
                .isEqualTo("Jos\u00e9");

        Api.Response notUtf8 = api.send(api.request("/whatsapp/customers/import", org.key())
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        "phone,name\r\n60123450002,Jos\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1))));
        assertThat(notUtf8.status()).as(notUtf8.text()).isEqualTo(400);
        assertThat(notUtf8.json().get("field").asString()).isEqualTo("body");
        assertThat(notUtf8.json().get("message").asString()).contains("not text in UTF-8");

        Api.Response unknown = postCsv(org, "phone\r\n60123450003\r\n", "text/csv; charset=x-klingon");
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(415);
        assertThat(unknown.json().get("code").asString()).isEqualTo("unsupported_media_type");
        assertThat(count(org)).isEqualTo(1);
    }

    @Test
    void aColumnNamedTwiceRefusesTheFile() {
        TestOrg org = anOrg();
        Api.Response twice = postCsv(org, "phone,city,city\r\n60123450011,KL,Ipoh\r\n", "text/csv");
        assertThat(twice.status()).as(twice.text()).isEqualTo(400);
        assertThat(twice.json().get("message").asString()).contains("city");
        assertThat(count(org)).isZero();
    }

    @Test
    void aRowWithAControlCharacterIsRefusedAloneAndLinesCountMultiLineRows() {
        TestOrg org = anOrg();
        String csv = "phone,name,note\r\n"
                + "60123450021,\"Ana\r\nsecond line of her row\",x\r\n" // lines 2 and 3
                + "60123450022,Bad\u0000Name,y\r\n" // line 4
                + "60123450023,Cy,z\r\n";
        Api.Response imported = postCsv(org, csv, "text/csv");
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        JsonNode report = imported.json();
        assertThat(report.get("rows").asLong()).isEqualTo(3);
        assertThat(report.get("created").asLong()).isEqualTo(2);
        assertThat(report.get("refused").asLong()).isEqualTo(1);
        assertThat(report.get("errors").get(0).get("line").asLong()).isEqualTo(4);
        assertThat(report.get("errors").get(0).get("field").asString()).isEqualTo("name");
    }

    @Test
    void tagsAndAttributesCannotPassTheirLimitsByBeingAddedToACustomersOwn() {
        TestOrg org = anOrg();
        StringBuilder header = new StringBuilder("phone,tags");
        StringBuilder first = new StringBuilder("60123450031,");
        StringBuilder second = new StringBuilder("60123450031,");
        for (int i = 0; i < 30; i++) {
            first.append(i == 0 ? "" : ";").append("a").append(i);
            second.append(i == 0 ? "" : ";").append("b").append(i);
        }
        assertThat(postCsv(org, header + "\r\n" + first + "\r\n", "text/csv").status())
                .isEqualTo(200);
        JsonNode over =
                postCsv(org, header + "\r\n" + second + "\r\n", "text/csv").json();
        assertThat(over.get("refused").asLong()).isEqualTo(1);
        assertThat(over.get("errors").get(0).get("line").asLong()).isEqualTo(2);
        JsonNode customer = api.get("/whatsapp/customers?phone=60123450031", org.key())
                .json()
                .get("data")
                .get(0);
        assertThat(customer.get("tags")).hasSize(30);

        Map<String, String> forty = new java.util.LinkedHashMap<>();
        IntStream.range(0, 40).forEach(i -> forty.put("x" + i, "v"));
        String id = customer.get("id").asString();
        assertThat(api.patch("/whatsapp/customers/" + id, Map.of("attributes", forty), org.key())
                        .status())
                .isEqualTo(200);
        Map<String, String> twenty = new java.util.LinkedHashMap<>();
        IntStream.range(0, 20).forEach(i -> twenty.put("y" + i, "v"));
        Api.Response tooMany = api.patch("/whatsapp/customers/" + id, Map.of("attributes", twenty), org.key());
        assertThat(tooMany.status()).as(tooMany.text()).isEqualTo(400);
        assertThat(tooMany.json().get("field").asString()).isEqualTo("attributes");
        assertThat(api.get("/whatsapp/customers/" + id, org.key()).json().get("attributes"))
                .hasSize(40);
    }

    @Test
    void excelsByteOrderMarkIsRead() {
        TestOrg org = anOrg();
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] csv = "phone,name\r\n60123450041,Bom\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[bom.length + csv.length];
        System.arraycopy(bom, 0, body, 0, bom.length);
        System.arraycopy(csv, 0, body, bom.length, csv.length);
        Api.Response read = api.send(api.request("/whatsapp/customers/import", org.key())
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().get("created").asLong()).isEqualTo(1);
    }

    @Test
    void aRowAfterAMultiLineLastColumnHasItsOwnLine() {
        TestOrg org = anOrg();
        String csv = "phone,x,name\r\n60123450051,z,\"x\r\ny\r\nw\r\nv\"\r\nbad,y,z\r\n";
        JsonNode report = postCsv(org, csv, "text/csv").json();
        assertThat(report.get("refused").asLong()).isEqualTo(1);
        assertThat(report.get("errors").get(0).get("line").asLong()).isEqualTo(6);
    }

    @Test
    void aNumberTwiceInOneFileGetsTheTagsOfBothRows() {
        TestOrg org = anOrg();
        JsonNode report = postCsv(org, "phone,tags,city\r\n60123450061,a,KL\r\n60123450061,b,\r\n", "text/csv")
                .json();
        assertThat(report.get("rows").asLong()).isEqualTo(2);
        assertThat(report.get("created").asLong() + report.get("updated").asLong())
                .isEqualTo(2);
        JsonNode customer = api.get("/whatsapp/customers?phone=60123450061", org.key())
                .json()
                .get("data")
                .get(0);
        assertThat(customer.get("tags").toString()).contains("a").contains("b");
        assertThat(customer.get("attributes").get("city").asString()).isEqualTo("KL");
    }

    @Test
    void aCustomerOverTheLimitsFromBeforeThemCanStillBeOptedOutButNotGrow() {
        TestOrg org = anOrg();
        String id = aCustomer(org).get("id").asString();
        // 60 attributes, as an import before the limits could leave them
        db.sql("""
                        UPDATE customers SET attributes = (SELECT jsonb_object_agg('a' || i, 'v')
                                                             FROM generate_series(1, 60) AS i)
                         WHERE org_id = ? AND id = ?
                        """).param(org.orgId()).param(id).update();
        Api.Response optedOut = api.patch("/whatsapp/customers/" + id, Map.of("optedOut", true), org.key());
        assertThat(optedOut.status()).as(optedOut.text()).isEqualTo(200);
        assertThat(optedOut.json().get("optedOut").asBoolean()).isTrue();
        Api.Response grown = api.patch("/whatsapp/customers/" + id, Map.of("attributes", Map.of("b1", "v")), org.key());
        assertThat(grown.status()).isEqualTo(400);
        Api.Response changed =
                api.patch("/whatsapp/customers/" + id, Map.of("attributes", Map.of("a1", "w")), org.key());
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
    }

    @Test
    void aMisspeltFieldOfACustomerIsRefusedNotIgnored() {
        TestOrg org = anOrg();
        Api.Response created =
                api.post("/whatsapp/customers", Map.of("phone", "60123450071", "optOut", true), org.key());
        assertThat(created.status()).as(created.text()).isEqualTo(400);
        assertThat(created.json().get("code").asString()).isEqualTo("unknown_field");
        assertThat(created.json().get("field").asString()).isEqualTo("optOut");
        assertThat(count(org)).isZero();
        String id = aCustomer(org).get("id").asString();
        Api.Response patched = api.patch("/whatsapp/customers/" + id, Map.of("optedOut", true, "bogus", 1), org.key());
        assertThat(patched.status()).isEqualTo(400);
        assertThat(api.get("/whatsapp/customers/" + id, org.key())
                        .json()
                        .get("optedOut")
                        .asBoolean())
                .isFalse();
    }

    private Api.Response postCsv(TestOrg org, String csv, String contentType) {
        return api.send(api.request("/whatsapp/customers/import", org.key())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(csv)));
    }

    private long count(TestOrg org) {
        return db.sql("SELECT count(*) FROM customers WHERE org_id = ?")
                .param(org.orgId())
                .query(Long.class)
                .single();
    }
}
