package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.cloudapi.CloudApi;
import com.replyhero.whatsapp.orgs.Channel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** Copies the org's templates from the Cloud API ({@code GET /{waba-id}/message_templates}, all pages). */
@Component
class TemplateSync {

    private static final int MAX_PAGES = 50;

    private final CloudApi cloudApi;
    private final Templates templates;

    TemplateSync(CloudApi cloudApi, Templates templates) {
        this.cloudApi = cloudApi;
        this.templates = templates;
    }

    /** Answers how many templates were stored; a channel without a WABA id has none to sync. */
    int sync(Channel channel) {
        if (channel.wabaId() == null || channel.wabaId().isBlank()) {
            return 0;
        }
        int stored = 0;
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String path = "/" + channel.wabaId() + "/message_templates?limit=100"
                    + "&fields=id,name,language,status,category,components,quality_score"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            JsonNode answer = cloudApi.get(channel, path);
            for (JsonNode t : answer.path("data")) {
                String name = t.path("name").asString(null);
                String language = t.path("language").asString(null);
                if (name == null || language == null || !t.path("components").isArray()) {
                    continue;
                }
                templates.saveSynced(
                        Template.fromDefinition(
                                channel.orgId(),
                                name,
                                language,
                                t.path("status").asString("APPROVED"),
                                t.path("category").asString(null),
                                t.path("components"),
                                "synced"),
                        t.path("id").asString(null),
                        t.path("quality_score").path("score").asString(null));
                stored++;
            }
            after = answer.path("paging").path("cursors").path("after").asString(null);
            if (after == null || !answer.path("paging").hasNonNull("next")) {
                break;
            }
        }
        return stored;
    }
}
