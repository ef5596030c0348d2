package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A broadcast's report as JSON and as CSV: the cost category Meta's statuses bring, and one count of replies. */
class BroadcastReportTest extends GatewayTest {

    @Test
    void thePricingCategoryOfMetasStatusesIsInTheReportAsJsonAndCsv() {
        TestOrg org = anOrgSendingPerSecond(80);
        List<String> phones = customers(org, 3);
        String id = broadcast(org);

        // the sandbox's hello_world is a UTILITY template: Meta charges it as utility
        JsonNode outcome = eventually(
                () -> report(org, id),
                o -> o.path("sentByPricingCategory").path("utility").asLong() == 3,
                Duration.ofSeconds(20));
        assertThat(outcome.get("sentByPricingCategory").size()).isEqualTo(1);
        Api.Response csv = api.get("/whatsapp/template/broadcasts/" + id + "/report?format=csv", org.key());
        assertThat(csv.status()).isEqualTo(200);
        List<String> lines = Arrays.asList(csv.text().split("\r\n"));
        assertThat(lines.getFirst()).endsWith(",replied,pricingCategory");
        assertThat(lines.subList(1, lines.size()))
                .hasSize(phones.size())
                .allSatisfy(line -> assertThat(line).endsWith(",utility"));
        // a client that asks for CSV by its Accept header gets the same
        Api.Response accepted = api.get(
                "/whatsapp/template/broadcasts/" + id + "/report", "X-API-KEY", org.apiKey(), "Accept", "text/csv");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
        assertThat(accepted.header("Content-Type")).startsWith("text/csv");
        // the same lines (a status may have moved on between the two reads)
        assertThat(accepted.text().split("\r\n")).hasSameSizeAs(lines).startsWith(lines.getFirst());
    }

    @Test
    void theJsonAndCsvReportsCountTheSameReplies() {
        TestOrg org = anOrgSendingPerSecond(80);
        List<String> phones = customers(org, 4);
        String id = broadcast(org);
        eventually(() -> report(org, id).get("sent").asLong(), sent -> sent == 4, Duration.ofSeconds(20));

        writeIn(org, phones.get(0), "thanks!");
        writeIn(org, phones.get(2), "stop");

        JsonNode outcome =
                eventually(() -> report(org, id), o -> o.get("replied").asLong() == 2, Duration.ofSeconds(10));
        String csv = api.get("/whatsapp/template/broadcasts/" + id + "/report?format=csv", org.key())
                .text();
        long repliedLines = Arrays.stream(csv.split("\r\n"))
                .skip(1)
                .filter(line -> line.split(",")[7].equals("true"))
                .count();
        assertThat(repliedLines).isEqualTo(outcome.get("replied").asLong());
    }

    @Test
    void aRecipientWhoseMessageMetaRefusedIsNoReplyInEitherReport() {
        TestOrg org = anOrgSendingPerSecond(80);
        List<String> phones = customers(org, 2);
        api.put("/sandbox/faults", Map.of("errors", Map.of("131026", 1.0)));
        String id;
        try {
            id = broadcast(org);
            eventually(() -> report(org, id).get("failed").asLong(), failed -> failed == 2, Duration.ofSeconds(20));
        } finally {
            api.delete("/sandbox/faults");
        }

        writeIn(org, phones.get(0), "did you write to me?");

        eventually(
                () -> db.sql("SELECT count(*) FROM messages WHERE org_id = :orgId AND message_type = 'user'")
                        .param("orgId", org.orgId())
                        .query(Long.class)
                        .single(),
                n -> n == 1,
                Duration.ofSeconds(5));
        assertThat(report(org, id).get("replied").asLong()).isZero();
        String csv = api.get("/whatsapp/template/broadcasts/" + id + "/report?format=csv", org.key())
                .text();
        assertThat(Arrays.stream(csv.split("\r\n")).skip(1))
                .hasSize(2)
                .allSatisfy(line -> assertThat(line.split(",")[7]).isEqualTo("false"));
    }

    private JsonNode report(TestOrg org, String id) {
        return api.get("/whatsapp/template/broadcasts/" + id + "/report", org.key())
                .json()
                .get("outcome");
    }

    private List<String> customers(TestOrg org, int n) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            phones.add(aCustomer(org).get("phone").asString());
        }
        return phones;
    }

    private String broadcast(TestOrg org) {
        Map<String, Object> request = helloWorldSend(org);
        Api.Response sent =
                api.post("/whatsapp/template/send", request, "X-API-KEY", org.apiKey(), "Prefer", "respond-async");
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        return sent.json().get("id").asString();
    }
}
