package com.replyhero.whatsapp.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Every command in the docs is run here or checked, so the docs cannot rot: each {@code curl} of a {@code bash}
 * block in the repository's Markdown runs against the running gateway (the sandbox as its upstream) with the demo
 * organization's ids in place of the placeholders; every other command ({@code ./mvnw}, {@code bash <script>},
 * {@code java -jar}), which cannot run inside the build, must name what exists; every {@code sql} block runs on the
 * database; every relative link resolves.
 */
class DocsCommandsTest extends GatewayTest {

    /** The demo customer's number: the docs' sandbox commands write in from it. */
    private static final String DEMO_PHONE = "60123456789";

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Autowired
    private SandboxAccount sandbox;

    @Autowired
    private ApplicationContext context;

    private DemoOrg demo;

    private String lastMessageId;

    /** The demo org of the first start (demo.json): on the sandbox's own number, with its customer written in. */
    private record DemoOrg(String orgId, String userId, String customerId, String apiKey) {}

    @TestFactory
    Stream<DynamicTest> everyCurlInTheDocsAnswersTheRunningGateway() {
        demo = theDemoOrg();
        List<DynamicTest> tests = new ArrayList<>();
        for (ShellCommand command : commands()) {
            if (command.program().equals("curl")) {
                CurlRequest request = CurlRequest.from(command);
                tests.add(DynamicTest.dynamicTest(
                        command.where() + " curl " + request.describe(), () -> run(command, request)));
            }
        }
        assertThat(tests).as("curl commands in the docs").isNotEmpty();
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyOtherCommandInTheDocsNamesWhatExists() {
        Project project = new Project(ROOT, SettingsCatalog.defaults().keySet());
        List<DynamicTest> tests = new ArrayList<>();
        for (ShellCommand command : commands()) {
            if (!command.program().equals("curl")) {
                tests.add(DynamicTest.dynamicTest(
                        command.where() + " " + String.join(" ", command.words()),
                        () -> assertThat(project.problemsOf(command))
                                .as("%s: %s", command.where(), command.text())
                                .isEmpty()));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everySqlBlockInTheDocsRunsOnTheDatabase() {
        List<DynamicTest> tests = new ArrayList<>();
        for (MarkdownFile doc : MarkdownFile.all(ROOT)) {
            for (MarkdownFile.CodeBlock block : doc.blocks("sql")) {
                String sql = String.join("\n", block.lines()).strip();
                String where = doc.name() + ":" + block.firstLine();
                tests.add(DynamicTest.dynamicTest(where + " sql", () -> {
                    assertThat(sql.toUpperCase())
                            .as("%s: the docs test runs queries only", where)
                            .startsWith("SELECT");
                    db.sql(sql).query().listOfRows();
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void everyRelativeLinkBetweenTheDocsResolves() {
        List<String> broken = new ArrayList<>();

        for (MarkdownFile doc : MarkdownFile.all(ROOT)) {
            for (MarkdownFile.Link link : doc.links()) {
                String problem = problemOf(doc, link.target());
                if (problem != null) {
                    broken.add(doc.name() + ":" + link.line() + ": (" + link.target() + ") " + problem);
                }
            }
        }

        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void theReadmeIsReadInFiveMinutes() {
        MarkdownFile readme = MarkdownFile.read(ROOT, ROOT.resolve("README.md"));

        int lines = readme.lines().size();

        assertThat(lines)
                .as("README.md has %d lines: move details under docs/ and link them", lines)
                .isLessThanOrEqualTo(160);
    }

    @Test
    void noDocNamesOneMachinesPathsOrAFileOutsideTheRepository() {
        List<String> machinePaths = new ArrayList<>();

        for (MarkdownFile doc : MarkdownFile.all(ROOT)) {
            for (int i = 0; i < doc.lines().size(); i++) {
                String line = doc.lines().get(i);
                if (line.contains("/usr/lib/jvm/") || line.contains("../shared") || line.contains("/home/")) {
                    machinePaths.add(doc.name() + ":" + (i + 1) + ": " + line.strip());
                }
            }
        }

        assertThat(machinePaths)
                .as("paths of one machine, or outside the repository")
                .isEmpty();
    }

    @AfterEach
    void leaveTheSandboxAndTheDemoOrgAsTheyWere() {
        api.delete("/sandbox/faults");
        if (demo != null) {
            api.delete("/whatsapp/webhook", "X-API-KEY", demo.apiKey());
        }
    }

    private void run(ShellCommand command, CurlRequest documented) {
        CurlRequest request = documented.with(this::fillIn);
        HttpRequest.Builder http = api.request(
                        request.pathAndQuery(),
                        request.headers().stream().flatMap(Stream::of).toArray(String[]::new))
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(request.body()));

        Api.Response answer = api.send(http);

        String what = command.where() + ": curl " + documented.describe() + " answered " + answer.status() + ": "
                + answer.text();
        int expected = command.expectedStatus();
        assertThat(answer.status()).as(what).isNotEqualTo(401).isLessThan(500);
        if (expected == 0) {
            assertThat(answer.status()).as(what + " (the doc shows success)").isBetween(200, 299);
        } else {
            assertThat(answer.status())
                    .as(what + " (the doc shows " + expected + ")")
                    .isEqualTo(expected);
        }
        if (request.pathAndQuery().equals("/whatsapp/messages/send") && answer.json() != null) {
            lastMessageId = answer.json().path("id").asString(null);
        }
    }

    /** The placeholders of the docs, as {@code demo.json} fills them in for a reader. */
    private String fillIn(String text) {
        String filled = text.replace("REPLYHERO_API_KEY", demo.apiKey())
                .replace("ORG_ID", demo.orgId())
                .replace("USER_ID", demo.userId())
                .replace("CUSTOMER_ID", demo.customerId());
        if (filled.contains("MESSAGE_ID")) {
            assertThat(lastMessageId)
                    .as("MESSAGE_ID is the id of a send shown earlier in the docs")
                    .isNotNull();
            filled = filled.replace("MESSAGE_ID", lastMessageId);
        }
        return filled;
    }

    private static List<ShellCommand> commands() {
        List<ShellCommand> commands = new ArrayList<>();
        for (MarkdownFile doc : MarkdownFile.all(ROOT)) {
            for (MarkdownFile.CodeBlock block : doc.blocks("bash")) {
                commands.addAll(ShellCommand.parse(doc.name(), block));
            }
        }
        return commands;
    }

    /**
     * The demo org as the first start makes it (see {@code DemoSetup}): on the sandbox's own number, so that the
     * docs' sandbox commands (which name no number) reach it; a user, the customer {@value #DEMO_PHONE} who has
     * written in, and a key with every scope. Made once per database: the number belongs to one org.
     */
    private DemoOrg theDemoOrg() {
        String orgId = db.sql("SELECT org_id FROM channels WHERE phone_number_id = :number")
                .param("number", sandbox.phoneNumberId())
                .query(String.class)
                .optional()
                .orElseGet(() -> {
                    String created = api.post("/admin/orgs", Map.of("name", "Demo"), admin())
                            .json()
                            .get("id")
                            .asString();
                    Api.Response channel = api.put(
                            "/admin/orgs/" + created + "/channel",
                            Map.of(
                                    "phoneNumberId", sandbox.phoneNumberId(),
                                    "wabaId", sandbox.wabaId(),
                                    "accessToken", sandbox.accessToken()),
                            admin());
                    assertThat(channel.status()).as(channel.text()).isEqualTo(200);
                    return created;
                });
        String userId = api.post("/admin/orgs/" + orgId + "/users", Map.of("name", "Demo Agent"), admin())
                .json()
                .get("id")
                .asString();
        String apiKey = api.post("/admin/orgs/" + orgId + "/api-keys", Map.of("name", "docs"), admin())
                .json()
                .get("key")
                .asString();
        JsonNode found = api.get("/whatsapp/customers?phone=" + DEMO_PHONE, "X-API-KEY", apiKey)
                .json()
                .get("data");
        String customerId = found.isEmpty()
                ? api.post(
                                "/whatsapp/customers",
                                Map.of("phone", DEMO_PHONE, "name", "Demo Customer"),
                                "X-API-KEY",
                                apiKey)
                        .json()
                        .get("id")
                        .asString()
                : found.get(0).get("id").asString();
        Api.Response wroteIn = api.post("/sandbox/customers/" + DEMO_PHONE + "/messages", Map.of("text", "Hi!"));
        assertThat(wroteIn.status()).as(wroteIn.text()).isEqualTo(200);
        return new DemoOrg(orgId, userId, customerId, apiKey);
    }

    private static String problemOf(MarkdownFile doc, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: ... : not a file of the repository
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty()
                ? doc.path()
                : doc.path().getParent().resolve(file).normalize();
        if (!resolved.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor != null && resolved.toString().endsWith(".md")) {
            Set<String> anchors = MarkdownFile.read(ROOT, resolved).anchors();
            if (!anchors.contains(anchor)) {
                return "no heading with the anchor #" + anchor + " (there are " + anchors + ")";
            }
        }
        return null;
    }
}
