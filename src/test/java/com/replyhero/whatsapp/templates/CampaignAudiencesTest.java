package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Campaigns to an audience: customers imported from a CSV with tags and attributes, a template send to one tag (none
 * outside it, each once), parameters from each recipient's own values, and a report that matches the sandbox's ledger.
 */
class CampaignAudiencesTest extends GatewayTest {

    @Test
    void tenThousandCustomersImportedThenAScheduledCampaignToATagPausedAndResumed() throws Exception {
        TestOrg org = anOrgSendingPerSecond(10);
        String prefix = "6019" + randomDigits(3);
        StringBuilder csv = new StringBuilder("phone,name,tags,city\r\n");
        List<String> pilots = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String phone = prefix + String.format("%05d", i);
            boolean pilot = i % 400 == 0; // 25 of them
            if (pilot) {
                pilots.add(phone);
            }
            // some in other spellings: +60 19-..., spaces
            String written = i % 3 == 0 ? "+" + phone.substring(0, 2) + " " + phone.substring(2) : phone;
            csv.append(written)
                    .append(",Customer ")
                    .append(i)
                    .append(',')
                    .append(pilot ? "pilot;vip" : "newsletter")
                    .append(",Kuala Lumpur\r\n");
        }
        csv.append("not a phone,Bad,pilot,KL\r\n"); // line 10002
        csv.append(",No phone,pilot,KL\r\n"); // line 10003
        csv.append(prefix + "99999,Bad tag,pilot;no spaces allowed,KL\r\n"); // line 10004

        JsonNode report = importCsv(org, csv.toString());
        assertThat(report.get("rows").asLong()).isEqualTo(10_003);
        assertThat(report.get("created").asLong()).isEqualTo(10_000);
        assertThat(report.get("refused").asLong()).isEqualTo(3);
        assertThat(report.get("errors").get(0).get("line").asLong()).isEqualTo(10_002);
        assertThat(report.get("errors").get(0).get("field").asString()).isEqualTo("phone");
        assertThat(report.get("errors").get(2).get("field").asString()).isEqualTo("tags[1]");
        // the same file again changes nothing
        JsonNode again = importCsv(org, csv.toString());
        assertThat(again.get("created").asLong()).isZero();
        assertThat(again.get("updated").asLong()).isEqualTo(10_000);
        JsonNode tagged =
                api.get("/whatsapp/customers?tag=pilot&limit=500", org.key()).json();
        assertThat(tagged.get("data")).hasSize(25);
        assertThat(tagged.get("data").get(0).get("attributes").get("city").asString())
                .isEqualTo("Kuala Lumpur");

        // a campaign to the tag, a few seconds later, its body from each customer's own name
        Map<String, Object> send = request(org);
        send.put("audience", Map.of("tags", List.of("pilot")));
        send.put("sendAt", OffsetDateTime.now().plusSeconds(3).toString());
        String template = "pilot_news_" + randomDigits(6);
        String definition = """
                {"name": "%s", "language": "en_US",
                 "components": [{"type": "BODY", "text": "Hello {{1}}, the pilot starts today"}]}""".formatted(template);
        api.post("/sandbox/templates", definition);
        assertThat(api.post("/admin/orgs/" + org.orgId() + "/templates", definition, admin())
                        .status())
                .isEqualTo(201);
        send.put("templateName", template);
        send.put(
                "components",
                List.of(Map.of(
                        "type",
                        "body",
                        "parameters",
                        List.of(Map.of("type", "text", "text", "{{customer.name}} in {{customer.attributes.city}}")))));
        Api.Response scheduled = api.post("/whatsapp/template/send", send, org.key());
        assertThat(scheduled.status()).as(scheduled.text()).isEqualTo(202);
        assertThat(scheduled.json().get("total").asLong()).isEqualTo(25);
        String id = scheduled.json().get("id").asString();

        eventually(() -> progress(org, id).get("sent").asLong(), sent -> sent >= 8, Duration.ofSeconds(30));
        assertThat(api.post("/whatsapp/template/broadcasts/" + id + "/pause", Map.of(), org.key())
                        .status())
                .isEqualTo(200);
        Thread.sleep(600);
        long atPause = acceptedTo(pilots);
        Thread.sleep(1500);
        assertThat(acceptedTo(pilots))
                .as("sent while paused")
                .isEqualTo(atPause)
                .isLessThan(25);
        assertThat(api.post("/whatsapp/template/broadcasts/" + id + "/resume", Map.of(), org.key())
                        .status())
                .isEqualTo(200);
        eventually(() -> progress(org, id).get("status").asString(), "completed"::equals, Duration.ofSeconds(30));

        for (String phone : pilots) {
            assertThat(sandboxAcceptedTo(phone)).as(phone).isEqualTo(1);
        }
        assertThat(sandboxAcceptedTo(prefix + "00001")).as("outside the tag").isZero();
        JsonNode first = api.get("/whatsapp/template/broadcasts/" + id + "/messages?limit=1", org.key())
                .json()
                .get("data")
                .get(0);
        JsonNode body = api.get(
                        "/sandbox/ledger?callbackData=" + first.get("id").asString())
                .json()
                .get("bodies")
                .get(0);
        String text = body.at("/template/components/0/parameters/0/text").asString();
        assertThat(text).matches("Customer [0-9]+ in Kuala Lumpur");

        JsonNode outcome = api.get("/whatsapp/template/broadcasts/" + id + "/report", org.key())
                .json()
                .get("outcome");
        assertThat(outcome.get("total").asLong()).isEqualTo(25);
        assertThat(outcome.get("sent").asLong()).isEqualTo(acceptedTo(pilots));
        Api.Response csvReport = api.get("/whatsapp/template/broadcasts/" + id + "/report?format=csv", org.key());
        assertThat(csvReport.status()).isEqualTo(200);
        String[] lines = csvReport.text().split("\r\n");
        assertThat(lines).hasSize(26);
        assertThat(lines[0]).startsWith("messageId,customerId,phone,status");
        assertThat(csvReport.text()).contains(pilots.get(3));
    }

    @Test
    void aRecipientWhoWritesBackCountsAsAReplyInTheReport() throws Exception {
        TestOrg org = anOrgSendingPerSecond(80);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            phones.add(api.post(
                            "/whatsapp/customers",
                            Map.of("phone", "60" + randomDigits(9), "tags", List.of("report")),
                            org.key())
                    .json()
                    .get("phone")
                    .asString());
        }
        Map<String, Object> send = request(org);
        send.put("audience", Map.of("tags", List.of("report")));
        Api.Response sent = api.post("/whatsapp/template/send", send, org.key());
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        writeIn(org, phones.get(0), "thanks!");
        String broadcastId = db.sql("SELECT id FROM broadcasts WHERE org_id = :orgId")
                .param("orgId", org.orgId())
                .query(String.class)
                .single();
        JsonNode outcome = eventually(
                () -> api.get("/whatsapp/template/broadcasts/" + broadcastId + "/report", org.key())
                        .json()
                        .get("outcome"),
                o -> o.get("replied").asLong() == 1,
                Duration.ofSeconds(10));
        assertThat(outcome.get("sent").asLong()).isEqualTo(4);
        assertThat(outcome.get("failed").asLong()).isZero();
    }

    @Test
    void aRecipientWhosePersonalValueMetaWouldRefuseFailsAloneUnsent() throws Exception {
        TestOrg org = anOrgSendingPerSecond(80);
        String prefix = "6017" + randomDigits(4);
        String csv = "phone,name,tags,city\r\n"
                + prefix + "001,Ana,club,Ipoh\r\n"
                + prefix + "002,Bo,club,\r\n" // no city: the parameter would be empty
                + prefix + "003,Cy,club," + "K".repeat(70) + "\r\n" // 70 characters: over the header's 60
                + prefix + "004,\"Dy\r\nLine\",club,Ipoh\r\n"; // a line break in the name: Meta refuses it
        assertThat(importCsv(org, csv).get("created").asLong()).isEqualTo(4);
        String template = "club_news_" + randomDigits(6);
        String definition = """
                {"name": "%s", "language": "en_US",
                 "components": [{"type": "HEADER", "format": "TEXT", "text": "News for {{1}}"},
                                {"type": "BODY", "text": "Hello {{1}}"}]}""".formatted(template);
        api.post("/sandbox/templates", definition);
        assertThat(api.post("/admin/orgs/" + org.orgId() + "/templates", definition, admin())
                        .status())
                .isEqualTo(201);
        Map<String, Object> send = request(org);
        send.put("templateName", template);
        send.put("audience", Map.of("tags", List.of("club")));
        send.put(
                "components",
                List.of(
                        Map.of(
                                "type",
                                "header",
                                "parameters",
                                List.of(Map.of("type", "text", "text", "{{customer.attributes.city}}"))),
                        Map.of(
                                "type",
                                "body",
                                "parameters",
                                List.of(Map.of("type", "text", "text", "Dear {{customer.name}}")))));
        for (String bad : List.of(
                "Dear {{customer.nme}}",
                "Dear {{CUSTOMER.NAME}}",
                "Dear {{customer.name}",
                "Dear {customer.name}",
                "Dear {{contact.name}}",
                "Dear {{{customer.name}}",
                "Dear {{customer.name}}}")) {
            Map<String, Object> misspelt = new HashMap<>(send);
            misspelt.put(
                    "components",
                    List.of(
                            Map.of(
                                    "type",
                                    "header",
                                    "parameters",
                                    List.of(Map.of("type", "text", "text", "{{customer.attributes.city}}"))),
                            Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", bad)))));
            Api.Response refused = api.post("/whatsapp/template/send", misspelt, org.key());
            assertThat(refused.status()).as(bad + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.json().get("message").asString()).contains(bad);
        }
        Api.Response sent =
                api.post("/whatsapp/template/send", send, "X-API-KEY", org.apiKey(), "Prefer", "respond-async");
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        String id = sent.json().get("id").asString();
        JsonNode done = eventually(
                () -> progress(org, id), p -> p.get("status").asString().equals("completed"), Duration.ofSeconds(20));
        assertThat(done.get("sent").asLong()).isEqualTo(1);
        assertThat(done.get("failed").asLong()).isEqualTo(3);
        assertThat(sandboxAcceptedTo(prefix + "001")).isEqualTo(1);
        assertThat(sandboxAcceptedTo(prefix + "002")
                        + sandboxAcceptedTo(prefix + "003")
                        + sandboxAcceptedTo(prefix + "004"))
                .isZero();
        JsonNode messages = api.get("/whatsapp/template/broadcasts/" + id + "/messages", org.key())
                .json()
                .get("data");
        assertThat(messages.toString())
                .contains("personalization_invalid")
                .contains("at most 60")
                .contains("no value for {{customer.attributes.city}}")
                .contains("line break");
    }

    @Test
    void aBadAudienceOrCsvIsRefusedAndNothingIsStored() {
        TestOrg org = anOrgSendingPerSecond(80);
        for (Map<String, Object> audience : List.of(
                Map.<String, Object>of("tags", List.of()),
                Map.<String, Object>of("tags", List.of("not a tag")),
                Map.<String, Object>of("attributes", Map.of("bad name", "x")))) {
            Map<String, Object> send = request(org);
            send.put("audience", audience);
            Api.Response refused = api.post("/whatsapp/template/send", send, org.key());
            assertThat(refused.status()).as(audience.toString()).isEqualTo(400);
            assertThat(refused.json().get("field").asString()).startsWith("audience.");
        }
        // an audience that names nobody, or a misspelt one, would be everyone: refused, nothing is sent
        Map<String, Object> empty = request(org);
        empty.put("audience", Map.of());
        Map<String, Object> misspelt = request(org);
        misspelt.put("audience", Map.of("tag", "vip"));
        Map<String, Object> topLevel = request(org);
        topLevel.put("tags", List.of("vip"));
        Map<Map<String, Object>, String> fields = Map.of(empty, "audience", misspelt, "audience.tag", topLevel, "tags");
        fields.forEach((send, field) -> {
            Api.Response refused = api.post("/whatsapp/template/send", send, org.key());
            assertThat(refused.status()).as(refused.text()).isEqualTo(400);
            assertThat(refused.json().get("field").asString()).isEqualTo(field);
        });
        assertThat(db.sql("SELECT count(*) FROM broadcasts WHERE org_id = ?")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isZero();
        Map<String, Object> both = request(org);
        both.put("customerIds", List.of("x"));
        both.put("audience", Map.of("customerIds", List.of("y")));
        assertThat(api.post("/whatsapp/template/send", both, org.key())
                        .json()
                        .get("field")
                        .asString())
                .isEqualTo("audience.customerIds");

        Api.Response noPhone = postCsv(org, "name,tags\r\nAna,vip\r\n");
        assertThat(noPhone.status()).isEqualTo(400);
        Api.Response broken = postCsv(org, "phone,name\r\n60123456001,\"Ana\r\n60123456002,Bo\"b\"\r\n");
        assertThat(broken.status()).as(broken.text()).isEqualTo(400);
        Api.Response badColumn = postCsv(org, "phone,na me\r\n60123456003,x\r\n");
        assertThat(badColumn.status()).isEqualTo(400);
        assertThat(api.get("/whatsapp/customers", org.key()).json().get("data")).isEmpty();
    }

    private JsonNode importCsv(TestOrg org, String csv) {
        Api.Response imported = postCsv(org, csv);
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        return imported.json();
    }

    private Api.Response postCsv(TestOrg org, String csv) {
        return api.send(api.request("/whatsapp/customers/import", org.key())
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)));
    }

    private long acceptedTo(List<String> phones) {
        return phones.stream().mapToLong(this::sandboxAcceptedTo).sum();
    }

    private JsonNode progress(TestOrg org, String id) {
        return api.get("/whatsapp/template/broadcasts/" + id, org.key()).json();
    }

    private static Map<String, Object> request(TestOrg org) {
        return helloWorldSend(org);
    }
}
