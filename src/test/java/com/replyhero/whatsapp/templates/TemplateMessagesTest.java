package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.replyhero.whatsapp.templates.TemplateSendRequest.Component;
import com.replyhero.whatsapp.templates.TemplateSendRequest.Media;
import com.replyhero.whatsapp.templates.TemplateSendRequest.Parameter;
import com.replyhero.whatsapp.web.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TemplateMessagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aHeaderTextHasAtMost60Characters() {
        assertThat(TemplateMessages.checkComponents(List.of(header(text("x".repeat(60))))))
                .hasSize(1);

        assertThatThrownBy(() -> TemplateMessages.checkComponents(List.of(header(text("x".repeat(61))))))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("at most 60");
    }

    @Test
    void aBodyBesideAHeaderHasAtMost1024Characters() {
        List<Component> ok = List.of(header(text("h")), body(text("x".repeat(1024))));
        List<Component> tooLong = List.of(header(text("h")), body(text("x".repeat(1025))));

        assertThat(TemplateMessages.checkComponents(ok)).hasSize(2);
        assertThatThrownBy(() -> TemplateMessages.checkComponents(tooLong)).hasMessageContaining("at most 1024");
    }

    @Test
    void aBodyAloneHasMetasLimitOf32768NotTheSeeds36768() {
        assertThat(TemplateMessages.checkComponents(List.of(body(text("x".repeat(32768))))))
                .hasSize(1);

        assertThatThrownBy(() -> TemplateMessages.checkComponents(List.of(body(text("x".repeat(32769))))))
                .hasMessageContaining("at most 32768");
    }

    @Test
    void mediaParametersAreOnlyForTheHeader() {
        Parameter image = new Parameter("image", null, new Media("123", null, null, null, null), null, null);

        assertThat(TemplateMessages.checkComponents(List.of(header(image)))).hasSize(1);
        assertThatThrownBy(() -> TemplateMessages.checkComponents(List.of(body(image))))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).field())
                .isEqualTo("components[0].parameters[0].type");
    }

    @Test
    void mediaHasExactlyOneOfIdAndLink() {
        Parameter both = new Parameter(
                "image", null, new Media("123", "https://example.com/a.jpg", null, null, null), null, null);
        Parameter neither = new Parameter("video", null, null, null, new Media(null, null, null, null, null));
        Parameter ftp = new Parameter(
                "document", null, null, new Media(null, "ftp://example.com/a.pdf", null, null, null), null);

        assertThatThrownBy(() -> TemplateMessages.checkComponents(List.of(header(both))))
                .hasMessageContaining("exactly one of id or link");
        assertThatThrownBy(() -> TemplateMessages.checkComponents(List.of(header(neither))))
                .hasMessageContaining("exactly one of id or link");
        assertThatThrownBy(() -> TemplateMessages.checkComponents(List.of(header(ftp))))
                .hasMessageContaining("http or https");
    }

    @Test
    void unknownComponentAndParameterTypesAreRefused() {
        assertThatThrownBy(() -> TemplateMessages.checkComponents(List.of(new Component("footer", List.of()))))
                .hasMessageContaining("header, body or button");
        assertThatThrownBy(() ->
                        TemplateMessages.checkComponents(List.of(body(new Parameter("audio", null, null, null, null)))))
                .hasMessageContaining("one of text, image, document, video");
    }

    @Test
    void theRequestMustMatchTheTemplatesHeaderAndParameterCount() {
        Template template = template("""
                [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "Hi {{1}}, see {{2}} and {{1}}"}]""");
        Parameter image = new Parameter("image", null, new Media("123", null, null, null, null), null, null);

        TemplateMessages.Checked checked =
                TemplateMessages.against(template, List.of(header(image), body(text("a"), text("b"))));

        assertThat(template.bodyParams()).isEqualTo(2);
        assertThat(checked.mediaIds()).containsExactly("123");
        assertThat(checked.template().get("language").get("code").asString()).isEqualTo("en_US");
        assertThat(checked.template().get("components").get(0).get("type").asString())
                .isEqualTo("header");
        assertThatThrownBy(() -> TemplateMessages.against(template, List.of(body(text("a"), text("b")))))
                .hasMessageContaining("needs one image parameter");
        assertThatThrownBy(() -> TemplateMessages.against(template, List.of(header(image), body(text("a")))))
                .hasMessageContaining("takes 2 body parameter(s)");
    }

    private static Template template(String components) {
        return Template.fromDefinition("org", "t", "en_US", null, null, JSON.readTree(components), "registered");
    }

    private static Parameter text(String value) {
        return new Parameter("text", value, null, null, null);
    }

    private static Component header(Parameter... parameters) {
        return new Component("header", List.of(parameters));
    }

    private static Component body(Parameter... parameters) {
        return new Component("body", List.of(parameters));
    }
}
