package com.replyhero.whatsapp.messages.send.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.replyhero.whatsapp.web.ApiException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

class KindRulesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aReactionIsOneEmojiHoweverManyCodePointsItTakesOrEmpty() {
        for (String emoji : new String[] {"👍", "👍🏽", "❤️", "🇲🇾", "1️⃣", "👨‍👩‍👧", "😀", ""}) {
            assertThat(Reaction.emoji(JsonNodeFactory.instance.stringNode(emoji), "e"))
                    .isEqualTo(emoji);
        }
        for (String notOne : new String[] {"ab", "a", "👍👍", ":)", " ", "👍 "}) {
            assertThatThrownBy(() -> Reaction.emoji(JsonNodeFactory.instance.stringNode(notOne), "e"))
                    .as(notOne)
                    .isInstanceOf(ApiException.class);
        }
    }

    @Test
    void lengthsCountCharactersAsMetaDoesNotUtf16Units() {
        String twentyEmojis = "👍".repeat(20);

        var buttons = Interactive.of(JSON.readTree("""
                {"type": "button", "body": {"text": "b"},
                 "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "%s"}}]}}""".formatted(twentyEmojis)));

        assertThat(buttons.get("action")
                        .get("buttons")
                        .get(0)
                        .get("reply")
                        .get("title")
                        .asString())
                .isEqualTo(twentyEmojis);
        assertThatThrownBy(() -> Interactive.of(JSON.readTree("""
                        {"type": "button", "body": {"text": "b"},
                         "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "%s"}}]}}""".formatted(twentyEmojis + "👍"))))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).field())
                .isEqualTo("message.interactive.action.buttons[0].reply.title");
    }

    @Test
    void coordinatesAreNumbersOrNumericStringsWithinTheirRange() {
        assertThat(Location.of(JSON.readTree("{\"latitude\": -90, \"longitude\": 180}"))
                        .get("longitude")
                        .asInt())
                .isEqualTo(180);
        assertThat(Location.of(JSON.readTree("{\"latitude\": \"3.139\", \"longitude\": \"101.6869\"}"))
                        .get("latitude")
                        .asString())
                .isEqualTo("3.139");
        for (String bad : new String[] {
            "{\"latitude\": 90.0001, \"longitude\": 0}",
            "{\"latitude\": \"NaN\", \"longitude\": 0}",
            "{\"latitude\": \"1e2\", \"longitude\": 0}",
            "{\"latitude\": true, \"longitude\": 0}",
            "{\"longitude\": 0}"
        }) {
            assertThatThrownBy(() -> Location.of(JSON.readTree(bad)))
                    .as(bad)
                    .isInstanceOf(ApiException.class)
                    .extracting(e -> ((ApiException) e).field())
                    .isEqualTo("message.location.latitude");
        }
    }

    @Test
    void anUnknownFieldIsNamedRatherThanDropped() {
        assertThatThrownBy(() -> Interactive.of(JSON.readTree("""
                        {"type": "button", "body": {"text": "b"}, "foter": {"text": "f"},
                         "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]}}""")))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).field())
                .isEqualTo("message.interactive.foter");
    }
}
