package com.replyhero.whatsapp.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;

/**
 * The committed {@code openapi.json}, from which the Java and TypeScript clients under {@code clients/} are
 * generated, is the document the gateway serves: a change of the API shows up as a failure here until the file is
 * refreshed and committed with it.
 */
class OpenApiDocumentTest extends GatewayTest {

    static final Path COMMITTED = Path.of("openapi.json");
    static final String REFRESH = "./mvnw test -Dtest=OpenApiDocumentTest -Dopenapi.refresh=true";
    static final int SHOWN_DIFFERENCES = 20;

    @Test
    void theCommittedDocumentIsTheOneTheGatewayServes() throws IOException {
        JsonNode served = api.get("/v3/api-docs").json();

        if (Boolean.getBoolean("openapi.refresh")) {
            Files.writeString(
                    COMMITTED,
                    Api.json().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(served) + "\n");
        }

        JsonNode committed = Api.json().readTree(Files.readString(COMMITTED));
        assertThat(differences("", committed, served))
                .as(
                        "openapi.json is not the document the gateway serves at /v3/api-docs; run `%s`, check the"
                                + " generated clients (docs/api.md#generated-clients) and commit openapi.json",
                        REFRESH)
                .isEmpty();
    }

    @Test
    void theDocumentNamesNoHostAndEachOperationByItsMethodAndPath() {
        JsonNode doc = api.get("/v3/api-docs").json();

        assertThat(doc.get("servers").get(0).get("url").asString()).isEqualTo("/");
        assertThat(doc.get("paths")
                        .get("/whatsapp/messages/send")
                        .get("post")
                        .get("operationId")
                        .asString())
                .isEqualTo("postMessagesSend");
        assertThat(doc.get("paths")
                        .get("/whatsapp/messages/{id}")
                        .get("get")
                        .get("operationId")
                        .asString())
                .isEqualTo("getMessagesById");
        assertThat(doc.get("paths")
                        .get("/whatsapp/uploads/media_upload")
                        .get("post")
                        .get("operationId")
                        .asString())
                .isEqualTo("postUploadsMediaUpload");
        List<String> ids = new ArrayList<>();
        doc.get("paths")
                .forEach(item -> item.forEach(
                        operation -> ids.add(operation.get("operationId").asString())));
        assertThat(ids).as("operation ids").doesNotHaveDuplicates().noneMatch(id -> id.contains("_"));
    }

    @Test
    void theMediaUploadIsTheSeedsMultipartFormAndTheCallerNoParameter() {
        JsonNode upload = api.get("/v3/api-docs")
                .json()
                .get("paths")
                .get("/whatsapp/uploads/media_upload")
                .get("post");
        JsonNode history = api.get("/v3/api-docs")
                .json()
                .get("paths")
                .get("/whatsapp/messages")
                .get("get");

        List<String> formFields = new ArrayList<>();
        upload.get("requestBody")
                .get("content")
                .get("multipart/form-data")
                .get("schema")
                .get("properties")
                .propertyNames()
                .forEach(formFields::add);

        assertThat(formFields).contains("orgId", "type", "file");
        assertThat(names(upload.get("parameters"))).containsExactly("Idempotency-Key");
        assertThat(names(history.get("parameters"))).doesNotContain("caller");
    }

    private static List<String> names(JsonNode parameters) {
        List<String> names = new ArrayList<>();
        parameters.forEach(parameter -> names.add(parameter.get("name").asString()));
        return names;
    }

    /** JSON pointers where the two documents differ, at most {@link #SHOWN_DIFFERENCES}. */
    static List<String> differences(String pointer, JsonNode committed, JsonNode served) {
        List<String> found = new ArrayList<>();
        collect(pointer, committed, served, found);
        return found;
    }

    private static void collect(String pointer, JsonNode committed, JsonNode served, List<String> found) {
        if (found.size() >= SHOWN_DIFFERENCES) {
            return;
        }
        if (committed == null || served == null) {
            found.add((committed == null ? "only served: " : "only committed: ") + pointer);
        } else if (committed.isObject() && served.isObject()) {
            TreeSet<String> names = new TreeSet<>(committed.propertyNames());
            names.addAll(served.propertyNames());
            for (String name : names) {
                collect(
                        pointer + "/" + name.replace("~", "~0").replace("/", "~1"),
                        committed.get(name),
                        served.get(name),
                        found);
            }
        } else if (committed.isArray() && served.isArray() && committed.size() == served.size()) {
            for (int i = 0; i < committed.size(); i++) {
                collect(pointer + "/" + i, committed.get(i), served.get(i), found);
            }
        } else if (!committed.equals(served)) {
            found.add("differs: " + pointer);
        }
    }
}
