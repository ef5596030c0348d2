package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.customers.Customer;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.messages.history.ConversationMessages;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** What the inbox's pages show, ready for the templates (they hold no logic of their own). */
public final class InboxView {

    private InboxView() {}

    static final Set<String> MEDIA_KINDS = Set.of("image", "document", "video", "audio", "sticker");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

    /** The customer-service window as the inbox shows it. */
    public record Window(String state, String label) {

        static Window of(Customer customer, Instant now) {
            if (!customer.windowOpen() || customer.windowClosesAt() == null) {
                return new Window("closed", "Window closed: templates only");
            }
            Duration left = Duration.between(now, customer.windowClosesAt());
            if (left.compareTo(Duration.ofHours(1)) < 0) {
                long minutes = Math.max(1, left.toMinutes());
                return new Window("closing", "Window closes in " + minutes + " min");
            }
            return new Window("open", "Window open for " + left.toHours() + " h");
        }

        public boolean closed() {
            return state.equals("closed");
        }
    }

    /** A row of the conversation list. */
    public record Row(
            String customerId,
            String name,
            String phone,
            String preview,
            String time,
            int unread,
            Window window,
            String assignee,
            boolean current) {

        public String unreadLabel() {
            return unread >= ConversationMessages.MAX_UNREAD
                    ? (ConversationMessages.MAX_UNREAD - 1) + "+"
                    : "" + unread;
        }
    }

    /** A message of the open conversation. */
    public record Item(
            String id,
            boolean inbound,
            String kind,
            String text,
            String status,
            String ticks,
            String statusText,
            String mediaUrl,
            boolean image,
            String fileName,
            String time,
            String author) {}

    static String title(Customer customer) {
        return customer.name() == null || customer.name().isBlank() ? "+" + customer.phone() : customer.name();
    }

    static String time(Instant at, ZoneId zone) {
        return at == null ? "" : TIME.format(at.atZone(zone));
    }

    /** A message's one-line preview for the list. */
    static String preview(Message m, ZoneId zone) {
        if (m == null) {
            return "";
        }
        String text = MessageRecord.of(m, zone).message();
        String shown = text == null || text.isBlank() ? "[" + m.kind() + "]" : text;
        return (m.messageType().equals("user") ? "" : "You: ")
                + (shown.length() > 80 ? shown.substring(0, 79) + "…" : shown);
    }

    static Item item(Message m, ZoneId zone, String author) {
        MessageRecord record = MessageRecord.of(m, zone);
        boolean inbound = m.messageType().equals("user");
        String mediaUrl = null;
        String fileName = record.file();
        if (MEDIA_KINDS.contains(m.kind())) {
            JsonNode medium = m.content().path(m.kind());
            String mediaId = medium.path("id").asString(null);
            if (inbound && mediaId != null) {
                mediaUrl = "/console/media/" + mediaId;
            }
            if (fileName == null) {
                fileName = medium.path("filename").asString(null);
            }
            if (fileName == null) {
                fileName = m.kind();
            }
        }
        return new Item(
                m.id(),
                inbound,
                m.kind(),
                record.message(),
                m.status().value(),
                ticks(m.status()),
                statusText(m),
                mediaUrl,
                mediaUrl != null && (m.kind().equals("image") || m.kind().equals("sticker")),
                fileName,
                time(m.createdAt(), zone),
                inbound ? null : author);
    }

    /** The ticks a messenger shows: one when Meta took it or sent it, two when delivered, two marked read. */
    static String ticks(MessageStatus status) {
        return switch (status) {
            case SENDING, QUEUED -> "…";
            case UNKNOWN -> "?";
            case ACCEPTED, SENT -> "✓";
            case DELIVERED, READ -> "✓✓";
            case FAILED, CANCELLED -> "!";
            case RECEIVED -> "";
        };
    }

    /** The status in words, with Meta's reason for a failure and what an unknown outcome means. */
    static String statusText(Message m) {
        return switch (m.status()) {
            case SENDING -> "Sending";
            case QUEUED -> "Queued: WhatsApp was unavailable, the gateway retries";
            case UNKNOWN ->
                "Outcome unknown: the gateway could not tell whether WhatsApp took this message; WhatsApp's status"
                        + " settles it, do not send it again";
            case ACCEPTED -> "Accepted by WhatsApp";
            case SENT -> "Sent";
            case DELIVERED -> "Delivered";
            case READ -> "Read";
            case FAILED -> "Failed: " + failure(m);
            case CANCELLED -> "Cancelled with its broadcast";
            case RECEIVED -> "Received";
        };
    }

    private static String failure(Message m) {
        if ("outcome_unknown".equals(m.errorCode())) {
            return "presumed failed: WhatsApp never confirmed it (" + nonNull(m.errorMessage()) + ")";
        }
        String reason = m.errorMessage() == null ? nonNull(m.errorCode()) : m.errorMessage();
        return m.upstreamCode() == null ? reason : reason + " (WhatsApp error " + m.upstreamCode() + ")";
    }

    private static String nonNull(String text) {
        return text == null ? "no reason given" : text;
    }
}
