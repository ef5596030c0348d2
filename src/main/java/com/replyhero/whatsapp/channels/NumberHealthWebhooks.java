package com.replyhero.whatsapp.channels;

import com.replyhero.whatsapp.events.OrgEvents;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.templates.BroadcastControls;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's webhooks about the health of an org's numbers and account. {@code phone_number_quality_update} names the
 * WhatsApp Business Account ({@code entry[].id}) and the number's display phone number: it sets the channel's
 * quality rating (FLAGGED: RED, UNFLAGGED: GREEN) and messaging limit tier, sends {@code number.quality} to the org
 * on every change, and pauses the number's scheduled and running broadcasts when its quality turns RED.
 * {@code account_update} and {@code account_alerts} are stored for each org with a channel on the account. A webhook
 * for a number or account no org has changes nothing. Idempotent: a change already applied sends no event.
 */
@Component
public class NumberHealthWebhooks {

    public static final String QUALITY_UPDATE = "phone_number_quality_update";
    public static final String ACCOUNT_UPDATE = "account_update";
    public static final String ACCOUNT_ALERTS = "account_alerts";
    public static final Set<String> FIELDS = Set.of(QUALITY_UPDATE, ACCOUNT_UPDATE, ACCOUNT_ALERTS);

    /** The reason a broadcast paused for its number's quality starts with. */
    static final String QUALITY_RED = "number_quality_red";

    private static final Logger log = LoggerFactory.getLogger(NumberHealthWebhooks.class);

    private final Orgs orgs;
    private final AccountEvents accountEvents;
    private final OrgEvents events;
    private final BroadcastControls controls;
    private final JsonMapper json;
    // phone number id -> the display number (digits) the database holds for it: looked up once per number and
    // node, not once per webhook
    private final Map<String, String> displayNumbers = new ConcurrentHashMap<>();

    NumberHealthWebhooks(
            Orgs orgs, AccountEvents accountEvents, OrgEvents events, BroadcastControls controls, JsonMapper json) {
        this.orgs = orgs;
        this.accountEvents = accountEvents;
        this.events = events;
        this.controls = controls;
        this.json = json;
    }

    /**
     * The metadata of a messages webhook for a number the gateway knows: its display phone number, by which Meta's
     * quality webhooks name it.
     */
    public void seen(String phoneNumberId, String displayPhoneNumber) {
        String digits = digits(displayPhoneNumber);
        if (phoneNumberId.isEmpty() || digits.isEmpty() || digits.equals(displayNumbers.get(phoneNumberId))) {
            return;
        }
        // remembered once the database had it already: a write of this webhook's may still be rolled back
        if (!orgs.recordDisplayPhoneNumber(phoneNumberId, digits)) {
            displayNumbers.put(phoneNumberId, digits);
        }
    }

    /**
     * Applies one change of a WhatsApp Business Account webhook of Meta's {@code time} ({@code entry[].time}: a
     * quality webhook older than the one applied last changes nothing), in the caller's transaction; answers a note
     * when it was for no org's number or account, else null.
     */
    public String apply(String wabaId, String field, JsonNode value, java.time.Instant time) {
        return field.equals(QUALITY_UPDATE) ? quality(wabaId, value, time) : account(wabaId, field, value);
    }

    private String quality(String wabaId, JsonNode value, java.time.Instant time) {
        String display = value.path("display_phone_number").asString("");
        List<Channel> channels = orgs.channelsByDisplayPhoneNumber(wabaId, digits(display));
        if (channels.isEmpty()) {
            return "no org has the number " + display + " on waba_id " + wabaId;
        }
        String event = upper(value.path("event").asString(null));
        // current_limit is the number's; Meta replaces it with the portfolio's max_daily_conversations_per_business
        String limit = upper(value.path("current_limit")
                .asString(value.path("max_daily_conversations_per_business").asString(null)));
        String quality = switch (event == null ? "" : event) {
            case "FLAGGED" -> "RED";
            case "UNFLAGGED" -> "GREEN";
            default -> null;
        };
        for (Channel channel : channels) {
            accountEvents.record(channel.orgId(), wabaId, channel.id(), QUALITY_UPDATE, event, value);
            orgs.changeHealth(channel.orgId(), channel.id(), quality, event, limit, time)
                    .ifPresent(change -> changed(wabaId, change));
        }
        return null;
    }

    private void changed(String wabaId, Orgs.HealthChange change) {
        Channel channel = change.channel();
        var was = change.previous();
        var now = change.current();
        log.info(
                "Number {} (channel {} of org {}): quality {} -> {}, limit {} -> {} ({})",
                now.displayPhoneNumber(),
                channel.id(),
                channel.orgId(),
                was.qualityRating(),
                now.qualityRating(),
                was.messagingLimit(),
                now.messagingLimit(),
                now.qualityEvent());
        ObjectNode data = json.createObjectNode();
        data.put("channelId", channel.id());
        data.put("phoneNumberId", channel.phoneNumberId());
        data.put("displayPhoneNumber", now.displayPhoneNumber());
        data.put("wabaId", wabaId);
        data.put("event", now.qualityEvent());
        data.put("qualityRating", now.qualityRating());
        data.put("previousQualityRating", was.qualityRating());
        data.put("messagingLimit", now.messagingLimit());
        data.put("previousMessagingLimit", was.messagingLimit());
        events.publish(channel.orgId(), OrgEvents.NUMBER_QUALITY, "channel:" + channel.id(), data);
        if (now.isRed() && !was.isRed()) {
            // each further send risks more of the number's quality, and Meta lowers a flagged number's limit
            int paused = controls.pauseChannel(
                    channel,
                    QUALITY_RED + ": Meta rated the quality of number " + now.displayPhoneNumber() + " RED ("
                            + now.qualityEvent() + "); resume once it is better");
            if (paused > 0) {
                log.info("Paused {} broadcast(s) from channel {} of org {}", paused, channel.id(), channel.orgId());
            }
        }
    }

    /** {@code account_update} and {@code account_alerts}: stored for every org with a channel on the account. */
    private String account(String wabaId, String field, JsonNode value) {
        List<Channel> channels = orgs.channelsByWabaId(wabaId);
        if (channels.isEmpty()) {
            return "no org has waba_id " + wabaId;
        }
        String event = field.equals(ACCOUNT_ALERTS)
                ? value.path("alert_info").path("alert_type").asString(null)
                : value.path("event").asString(null);
        // an alert may name one of the numbers (entity_type PHONE_NUMBER, entity_id its phone number id)
        String entityId = value.path("entity_id").asString("");
        Set<String> orgIds = new LinkedHashSet<>();
        for (Channel channel : channels) {
            orgIds.add(channel.orgId());
        }
        for (String orgId : orgIds) {
            String channelId = channels.stream()
                    .filter(c -> c.orgId().equals(orgId) && c.phoneNumberId().equals(entityId))
                    .map(Channel::id)
                    .findFirst()
                    .orElse(null);
            accountEvents.record(orgId, wabaId, channelId, field, event, value);
            log.info("{} {} for org {} (waba {})", field, event, orgId, wabaId);
        }
        return null;
    }

    private static String digits(String phone) {
        return phone == null ? "" : phone.replaceAll("\\D", "");
    }

    private static String upper(String value) {
        return value == null || value.isBlank() ? null : value.toUpperCase(Locale.ROOT);
    }
}
