package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.messages.BroadcastRecipients;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import java.time.ZoneId;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * An org's broadcasts as the org sees and controls them: progress, records, pause, resume and cancel. The JSON API's
 * {@code /whatsapp/template/broadcasts/**} and the console's broadcasts page both come here; another org's broadcast
 * is 404.
 */
@Service
public class OrgBroadcasts {

    private final TemplateSender sender;
    private final BroadcastControls controls;
    private final Broadcasts broadcasts;
    private final BroadcastRecipients recipients;
    private final Orgs orgs;
    private final TemplateLifecycle lifecycle;

    OrgBroadcasts(
            TemplateSender sender,
            BroadcastControls controls,
            Broadcasts broadcasts,
            BroadcastRecipients recipients,
            Orgs orgs,
            TemplateLifecycle lifecycle) {
        this.sender = sender;
        this.controls = controls;
        this.broadcasts = broadcasts;
        this.recipients = recipients;
        this.orgs = orgs;
        this.lifecycle = lifecycle;
    }

    /** A page of records, and the cursor of the next (null at the end). */
    public record Records(List<MessageRecord> records, String nextCursor) {}

    /** The org's broadcasts, newest first, each with its progress. */
    public List<BroadcastProgress> list(String orgId, int limit) {
        return broadcasts.list(orgId, limit).stream().map(sender::progress).toList();
    }

    public BroadcastProgress progress(String orgId, String id) {
        return sender.progress(existing(orgId, id));
    }

    /** The broadcast's records (one per recipient), after {@code cursor}. */
    public Records records(String orgId, String id, String cursor, int size) {
        Broadcast broadcast = existing(orgId, id);
        ZoneId zone = orgs.get(orgId).zone();
        List<Message> rows = recipients.ofBroadcast(orgId, broadcast.id(), cursor, size + 1);
        List<MessageRecord> page =
                rows.stream().limit(size).map(m -> MessageRecord.of(m, zone)).toList();
        return new Records(page, rows.size() > size ? page.getLast().id() : null);
    }

    public BroadcastProgress pause(String orgId, String id) {
        existing(orgId, id);
        return sender.progress(controls.pause(orgId, id));
    }

    public BroadcastProgress resume(String orgId, String id) {
        existing(orgId, id);
        return sender.progress(controls.resume(orgId, id));
    }

    public BroadcastProgress cancel(String orgId, String id) {
        existing(orgId, id);
        return sender.progress(controls.cancel(orgId, id));
    }

    /** The org's templates with their status at Meta (as {@code GET /whatsapp/templates}). */
    public List<TemplateRecord> templates(String orgId, int limit) {
        return lifecycle.list(orgId, null, null, limit);
    }

    private Broadcast existing(String orgId, String id) {
        return broadcasts.find(orgId, id).orElseThrow(() -> ApiException.notFound("broadcast", "id"));
    }
}
