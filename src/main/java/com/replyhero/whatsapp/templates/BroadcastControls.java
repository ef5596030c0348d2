package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.events.OrgEvents;
import com.replyhero.whatsapp.messages.BroadcastRecipients;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pauses, resumes and cancels broadcasts: the broadcast's status and its recipients change in one transaction, with
 * a {@code broadcast.status} event to the org. A pause holds the unsent recipients (no node marks one sending after
 * the pause commits); a resume makes them due again; a cancel makes them {@code cancelled}. Sends already under way
 * settle as they would.
 */
@Service
public class BroadcastControls {

    private static final Logger log = LoggerFactory.getLogger(BroadcastControls.class);

    private final Broadcasts broadcasts;
    private final BroadcastRecipients recipients;
    private final BroadcastDispatcher dispatcher;
    private final OrgEvents events;
    private final Orgs orgs;
    private final Templates templates;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    BroadcastControls(
            Broadcasts broadcasts,
            BroadcastRecipients recipients,
            BroadcastDispatcher dispatcher,
            OrgEvents events,
            Orgs orgs,
            Templates templates,
            TransactionTemplate transaction,
            JsonMapper json) {
        this.templates = templates;
        this.broadcasts = broadcasts;
        this.recipients = recipients;
        this.dispatcher = dispatcher;
        this.events = events;
        this.orgs = orgs;
        this.transaction = transaction;
        this.json = json;
    }

    /** How often a control is tried again when a concurrent one changed the broadcast between its update and its read. */
    private static final int RACES = 10;

    /** The org pauses its broadcast: 409 when it has ended; a paused one answers as it is. */
    Broadcast pause(String orgId, String id) {
        return control(
                orgId, id, () -> pause(orgId, id, "paused by the org"), List.of("scheduled", "running"), "paused");
    }

    /**
     * One control of the org's: {@code change} until it changes the broadcast, or the broadcast is already in one of
     * {@code fine} ({@link #unchanged}); a concurrent control that moves it back into {@code changeable} between the
     * two makes it try again.
     */
    private Broadcast control(
            String orgId,
            String id,
            java.util.function.Supplier<Optional<Broadcast>> change,
            List<String> changeable,
            String... fine) {
        for (int attempt = 1; ; attempt++) {
            Optional<Broadcast> changed = change.get();
            if (changed.isPresent()) {
                return changed.get();
            }
            Optional<Broadcast> settled = unchanged(orgId, id, attempt, changeable, fine);
            if (settled.isPresent()) {
                return settled.get();
            }
        }
    }

    /**
     * Pauses a scheduled or running broadcast with a reason (the org's, or the gateway's: the template was paused by
     * Meta, ...); empty when it was not scheduled or running.
     */
    public Optional<Broadcast> pause(String orgId, String id, String reason) {
        Optional<Broadcast> paused =
                transaction.execute(tx -> broadcasts.pause(orgId, id, reason).map(b -> {
                    int held = recipients.hold(orgId, id);
                    publish(b, held);
                    return b;
                }));
        paused.ifPresent(b -> log.info("Broadcast {} of org {} paused: {}", id, orgId, reason));
        return paused;
    }

    /**
     * Pauses the org's scheduled and running broadcasts of a template (in a language, or all when null), with the
     * gateway's reason; answers how many.
     */
    public int pauseTemplate(String orgId, String templateName, String language, String reason) {
        List<String> ids = broadcasts.runningOfTemplate(orgId, templateName, language);
        return (int)
                ids.stream().filter(id -> pause(orgId, id, reason).isPresent()).count();
    }

    /**
     * Pauses the org's scheduled and running broadcasts from this number (Meta rated its quality red: every further
     * send risks its messaging limit), with the gateway's reason; answers how many.
     */
    public int pauseChannel(Channel channel, String reason) {
        String orgId = channel.orgId();
        List<String> ids = broadcasts.runningOfChannel(orgId, channel.id(), channel.isDefault());
        return (int)
                ids.stream().filter(id -> pause(orgId, id, reason).isPresent()).count();
    }

    /**
     * The org resumes its paused broadcast: 409 when it has ended, or when its template cannot be sent (not APPROVED at
     * Meta, or deleted); a running one answers as it is.
     */
    Broadcast resume(String orgId, String id) {
        return control(orgId, id, () -> resumeOnce(orgId, id), List.of("paused"), "running", "scheduled");
    }

    private Optional<Broadcast> resumeOnce(String orgId, String id) {
        Optional<Broadcast> resumed = transaction.execute(tx -> {
            Broadcast current = broadcasts.find(orgId, id).orElseThrow(() -> ApiException.notFound("broadcast", "id"));
            if (current.status().equals("paused")) {
                requireSendable(current); // the template's row held until this commits
            }
            return broadcasts.resume(orgId, id).map(b -> {
                recipients.release(orgId, id, b.sendAt() == null ? Instant.now() : b.sendAt());
                publish(b, 0);
                return b;
            });
        });
        resumed.ifPresent(b -> {
            dispatcher.wake(orgs.channelOrDefault(orgId, b.channelId())
                    .map(channel -> new Broadcasts.Sender(orgId, channel.id(), channel.isDefault()))
                    .orElse(new Broadcasts.Sender(orgId, null, true)));
            log.info("Broadcast {} of org {} resumed", id, orgId);
        });
        return resumed;
    }

    /** A broadcast resumes only when Meta would take its template: 409 {@code template_not_approved} otherwise. */
    private void requireSendable(Broadcast b) {
        String status = templates
                .lockedStatus(b.orgId(), b.templateName(), b.language())
                .orElse("DELETED");
        if (!status.equals("APPROVED")) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "template_not_approved",
                    "template " + b.templateName() + " (" + b.language() + ") is " + status
                            + "; the broadcast can resume once it is APPROVED at Meta",
                    "id");
        }
    }

    /**
     * Cancels the org's broadcasts of a template that is gone (deleted here or at Meta), paused ones included: none
     * of them can ever be sent. Answers how many.
     */
    public int cancelTemplate(String orgId, String templateName, String language, String reason) {
        return (int) broadcasts.unendedOfTemplate(orgId, templateName, language).stream()
                .filter(id -> cancelOnce(orgId, id, reason).isPresent())
                .count();
    }

    /** The org cancels its broadcast: its unsent recipients are never sent. 409 when it has completed. */
    Broadcast cancel(String orgId, String id) {
        return control(
                orgId, id, () -> cancelOnce(orgId, id, null), List.of("scheduled", "running", "paused"), "cancelled");
    }

    /** Cancels it with the gateway's reason (or the org's: null); empty when it had ended. */
    private Optional<Broadcast> cancelOnce(String orgId, String id, String reason) {
        Optional<Broadcast> cancelled =
                transaction.execute(tx -> broadcasts.cancel(orgId, id, reason).map(b -> {
                    publish(b, recipients.cancelUnsent(orgId, id));
                    return b;
                }));
        cancelled.ifPresent(
                b -> log.info("Broadcast {} of org {} cancelled{}", id, orgId, reason == null ? "" : ": " + reason));
        return cancelled;
    }

    /**
     * After a control changed nothing: the broadcast as it is when it already is in one of {@code fine}; empty when
     * it is (again) in one of {@code changeable}, a concurrent control having moved it between the update and this
     * read: the caller tries again (a few times); 404 when there is none, 409 when it cannot change.
     */
    private Optional<Broadcast> unchanged(
            String orgId, String id, int attempt, List<String> changeable, String... fine) {
        Broadcast b = broadcasts.find(orgId, id).orElseThrow(() -> ApiException.notFound("broadcast", "id"));
        if (List.of(fine).contains(b.status())) {
            return Optional.of(b);
        }
        if (changeable.contains(b.status()) && attempt < RACES) {
            return Optional.empty();
        }
        throw new ApiException(
                HttpStatus.CONFLICT,
                "broadcast_" + b.status(),
                "the broadcast is " + b.status() + (b.ended() ? ": it sends nothing more" : ""),
                "id");
    }

    /** {@code broadcast.status}: the broadcast's new status, why (when paused), and how many recipients it touched. */
    private void publish(Broadcast b, int recipientsChanged) {
        ObjectNode data = json.createObjectNode();
        data.put("broadcastId", b.id());
        data.put("orgId", b.orgId());
        data.put("templateName", b.templateName());
        data.put("language", b.language());
        data.put("status", b.status());
        if (b.pausedReason() != null) {
            data.put("reason", b.pausedReason());
        }
        if (b.status().equals("paused")) {
            data.put("held", recipientsChanged);
        } else if (b.status().equals("cancelled")) {
            data.put("cancelled", recipientsChanged);
        }
        events.publish(b.orgId(), OrgEvents.BROADCAST_STATUS, b.id(), data);
    }
}
