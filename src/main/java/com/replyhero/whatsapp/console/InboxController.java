package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.cloudapi.MediaTypes;
import com.replyhero.whatsapp.customers.Customer;
import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.idempotency.IdempotentRequests;
import com.replyhero.whatsapp.media.InboundMediaFiles;
import com.replyhero.whatsapp.media.MediaFile;
import com.replyhero.whatsapp.media.MediaSpool;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.history.ConversationMessages;
import com.replyhero.whatsapp.messages.send.MessageSender;
import com.replyhero.whatsapp.messages.send.SendMessageRequest;
import com.replyhero.whatsapp.messages.send.SendOutcome;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.templates.Template;
import com.replyhero.whatsapp.templates.TemplateSendRequest;
import com.replyhero.whatsapp.templates.TemplateSender;
import com.replyhero.whatsapp.templates.Templates;
import com.replyhero.whatsapp.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agents' inbox: the org's conversations by last activity, one conversation at a time, and the reply box. Every
 * send goes through the API's own services ({@link MessageSender}, {@link TemplateSender}) as the signed-in user's
 * caller, stored as {@code human} with the user's id: the API's scopes, tenant checks, window rule and idempotency.
 */
@Controller
class InboxController {

    /** Conversations a list shows; messages a conversation shows (its latest). */
    static final int LIST_SIZE = 100;

    static final int HISTORY_SIZE = 500;
    private static final int SEARCH_MATCHES = 500;

    private final Conversations conversations;
    private final ConversationMessages messages;
    private final Customers customers;
    private final Orgs orgs;
    private final UserAccounts accounts;
    private final Templates templates;
    private final MessageSender sender;
    private final TemplateSender templateSender;
    private final IdempotentRequests idempotency;
    private final MediaSpool spool;
    private final InboundMediaFiles media;
    private final InboxStreams streams;
    private final InboxChanges changes;

    InboxController(
            Conversations conversations,
            ConversationMessages messages,
            Customers customers,
            Orgs orgs,
            UserAccounts accounts,
            Templates templates,
            MessageSender sender,
            TemplateSender templateSender,
            IdempotentRequests idempotency,
            MediaSpool spool,
            InboundMediaFiles media,
            InboxStreams streams,
            InboxChanges changes) {
        this.conversations = conversations;
        this.messages = messages;
        this.customers = customers;
        this.orgs = orgs;
        this.accounts = accounts;
        this.templates = templates;
        this.sender = sender;
        this.templateSender = templateSender;
        this.idempotency = idempotency;
        this.spool = spool;
        this.media = media;
        this.streams = streams;
        this.changes = changes;
    }

    @GetMapping("/console/inbox")
    String inbox(
            ConsoleUser user,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String mine,
            Model model) {
        list(user, q, mine, null, model);
        return "console/inbox";
    }

    /** The list alone: what the page re-reads when a conversation changes. */
    @GetMapping("/console/inbox/list")
    String listFragment(
            ConsoleUser user,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String mine,
            @RequestParam(required = false) String open,
            Model model) {
        list(user, q, mine, open, model);
        return "console/inbox :: conversations";
    }

    @GetMapping("/console/inbox/{customerId}")
    String conversation(
            ConsoleUser user,
            @PathVariable String customerId,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String mine,
            Model model) {
        Customer customer = customerOf(user, customerId);
        list(user, q, mine, customerId, model);
        open(user, customer, model);
        return "console/inbox";
    }

    /**
     * The open conversation's messages alone: what the page re-reads when they change (marking them read), with the
     * window's badge and, when the window opened or closed since the page's {@code window} state, the reply box.
     */
    @GetMapping("/console/inbox/{customerId}/messages")
    String messagesFragment(
            ConsoleUser user,
            @PathVariable String customerId,
            @RequestParam(required = false) String window,
            Model model) {
        Customer customer = customerOf(user, customerId);
        open(user, customer, model);
        String now = ((InboxView.Window) model.getAttribute("window")).closed() ? "closed" : "open";
        model.addAttribute("replyChanged", window != null && !window.equals(now));
        return "console/inbox-messages";
    }

    @PostMapping("/console/inbox/{customerId}/reply")
    Object reply(
            ConsoleUser user,
            @PathVariable String customerId,
            @RequestParam(required = false) String text,
            @RequestParam(required = false) MultipartFile file,
            @RequestParam(required = false) String key,
            HttpServletResponse response,
            Model model) {
        Customer customer = customerOf(user, customerId);
        try {
            boolean withFile = file != null && !file.isEmpty();
            if (!withFile && (text == null || text.isBlank())) {
                throw ApiException.invalid("text", "write a reply or choose a file");
            }
            SendOutcome outcome;
            if (withFile) {
                try (MediaFile attachment = spool(file)) {
                    outcome = sender.send(
                            user.caller(),
                            request(user, customer, mediaMessage(file, text)),
                            idempotency.of(user.caller(), key, response),
                            attachment);
                }
            } else {
                SendMessageRequest.MessageContent message = new SendMessageRequest.MessageContent(
                        "text",
                        new SendMessageRequest.Text(text, null),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
                outcome = sender.send(
                        user.caller(),
                        request(user, customer, message),
                        idempotency.of(user.caller(), key, response),
                        null);
            }
            changes.changed(user.orgId(), customer.id(), Instant.now());
            if (outcome instanceof SendOutcome.Failed failed) {
                return refused(
                        user,
                        customer,
                        model,
                        response,
                        failed.error().status(),
                        failed.error().message());
            }
            return "redirect:/console/inbox/" + customer.id();
        } catch (ApiException e) {
            return refused(user, customer, model, response, e.status().value(), e.getMessage());
        }
    }

    @PostMapping("/console/inbox/{customerId}/template")
    Object sendTemplate(
            ConsoleUser user,
            @PathVariable String customerId,
            @RequestParam String template,
            @RequestParam(required = false) String key,
            @RequestParam Map<String, String> form,
            HttpServletResponse response,
            Model model) {
        Customer customer = customerOf(user, customerId);
        try {
            int bar = template.lastIndexOf('|');
            if (bar <= 0) {
                throw ApiException.invalid("template", "choose a template");
            }
            String name = template.substring(0, bar);
            String language = template.substring(bar + 1);
            Template chosen = templates
                    .find(user.orgId(), name, language)
                    .orElseThrow(() -> ApiException.notFound("template", "template"));
            List<TemplateSendRequest.Parameter> parameters = new ArrayList<>();
            for (int i = 1; i <= chosen.bodyParams(); i++) {
                parameters.add(new TemplateSendRequest.Parameter("text", form.get("param" + i), null, null, null));
            }
            List<TemplateSendRequest.Component> components =
                    parameters.isEmpty() ? List.of() : List.of(new TemplateSendRequest.Component("body", parameters));
            TemplateSendRequest request = new TemplateSendRequest(
                    name,
                    sessionOf(customer, user),
                    user.orgId(),
                    user.userId(),
                    language,
                    List.of(customer.id()),
                    components,
                    null,
                    null,
                    null,
                    null,
                    Map.of());
            TemplateSender.Outcome outcome =
                    templateSender.send(user.caller(), request, false, idempotency.of(user.caller(), key, response));
            changes.changed(user.orgId(), customer.id(), Instant.now());
            if (outcome instanceof TemplateSender.Outcome.Records records
                    && !records.records().isEmpty()
                    && records.records().getFirst().error() != null) {
                var error = records.records().getFirst().error();
                return refused(user, customer, model, response, 502, "The template was not sent: " + error.message());
            }
            return "redirect:/console/inbox/" + customer.id();
        } catch (ApiException e) {
            return refused(user, customer, model, response, e.status().value(), e.getMessage());
        }
    }

    @PostMapping("/console/inbox/{customerId}/assign")
    String assign(ConsoleUser user, @PathVariable String customerId, @RequestParam(required = false) String assignee) {
        Customer customer = customerOf(user, customerId);
        String userId = assignee == null || assignee.isBlank() ? null : assignee;
        if (userId != null
                && accounts.find(user.orgId(), userId)
                        .filter(a -> !a.disabled())
                        .isEmpty()) {
            throw ApiException.notFound("user", "assignee");
        }
        conversations.assign(user.orgId(), customer.id(), userId);
        changes.announce(user.orgId(), customer.id());
        return "redirect:/console/inbox/" + customer.id();
    }

    /** Live updates of the org's inbox: {@code conversation} and {@code customer-<id>} events, no polling. */
    @GetMapping(value = "/console/inbox/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(ConsoleUser user) {
        user.callerWith(Scope.READ);
        return streams.open(user.orgId(), user.userId());
    }

    /** A medium a customer sent, for the conversation's preview: the API's download, for the user's org only. */
    @GetMapping("/console/media/{id}")
    ResponseEntity<Resource> medium(ConsoleUser user, @PathVariable String id) {
        user.callerWith(Scope.READ);
        return media.serve(user.orgId(), id);
    }

    private void list(ConsoleUser user, String q, String mine, String openCustomerId, Model model) {
        String search = q == null || q.isBlank() ? null : q.strip();
        boolean onlyMine = mine != null && !mine.isBlank();
        List<String> matching = search == null ? null : customers.search(user.orgId(), search, SEARCH_MATCHES);
        List<Conversations.Conversation> page = matching != null && matching.isEmpty()
                ? List.of()
                : conversations.list(user.orgId(), onlyMine ? user.userId() : null, matching, LIST_SIZE);
        Map<String, Instant> marks = new LinkedHashMap<>();
        page.forEach(c -> marks.put(c.customerId(), c.readUpTo()));
        Map<String, ConversationMessages.Summary> summaries = messages.summaries(user.orgId(), marks);
        Map<String, Customer> byId = customers.byIds(user.orgId(), marks.keySet());
        Map<String, String> names = userNames(user);
        ZoneId zone = orgs.get(user.orgId()).zone();
        Instant now = Instant.now();
        List<InboxView.Row> rows = new ArrayList<>();
        for (Conversations.Conversation c : page) {
            Customer customer = byId.get(c.customerId());
            ConversationMessages.Summary summary = summaries.get(c.customerId());
            if (customer == null || summary == null || summary.latest() == null) {
                continue; // a conversation shows once its customer has a message
            }
            rows.add(new InboxView.Row(
                    customer.id(),
                    InboxView.title(customer),
                    "+" + customer.phone(),
                    InboxView.preview(summary.latest(), zone),
                    InboxView.time(summary.latest().createdAt(), zone),
                    summary.unread(),
                    InboxView.Window.of(customer, now),
                    c.assignedTo() == null ? null : names.getOrDefault(c.assignedTo(), c.assignedTo()),
                    customer.id().equals(openCustomerId)));
        }
        model.addAttribute("rows", rows);
        model.addAttribute("q", search == null ? "" : search);
        model.addAttribute("mine", onlyMine);
        model.addAttribute("openCustomerId", openCustomerId);
    }

    private void open(ConsoleUser user, Customer customer, Model model) {
        ZoneId zone = orgs.get(user.orgId()).zone();
        List<Message> history = messages.latest(user.orgId(), customer.id(), HISTORY_SIZE);
        Map<String, String> names = userNames(user);
        List<InboxView.Item> items = history.stream()
                .map(m -> InboxView.item(m, zone, m.userId() == null ? null : names.get(m.userId())))
                .toList();
        history.stream()
                .filter(m -> m.messageType().equals("user"))
                .map(Message::createdAt)
                .max(Comparator.naturalOrder())
                .filter(newest -> conversations.markRead(user.orgId(), customer.id(), newest))
                .ifPresent(moved -> changes.announce(user.orgId(), customer.id())); // other agents' unread counts
        Optional<Conversations.Conversation> conversation = conversations.find(user.orgId(), customer.id());
        InboxView.Window window = InboxView.Window.of(customer, Instant.now());
        model.addAttribute("customer", customer);
        model.addAttribute("title", InboxView.title(customer));
        model.addAttribute("items", items);
        model.addAttribute("window", window);
        model.addAttribute(
                "assignedTo",
                conversation.map(Conversations.Conversation::assignedTo).orElse(null));
        model.addAttribute(
                "agents",
                accounts.list(user.orgId(), 500).stream()
                        .filter(a -> !a.disabled())
                        .toList());
        model.addAttribute("templates", window.closed() ? sendableTemplates(user.orgId()) : List.of());
        model.addAttribute("key", UUID.randomUUID().toString());
        model.addAttribute("templateKey", UUID.randomUUID().toString());
    }

    private Object refused(
            ConsoleUser user, Customer customer, Model model, HttpServletResponse response, int status, String why) {
        list(user, null, null, customer.id(), model);
        open(user, customer, model);
        model.addAttribute("replyError", why);
        response.setStatus(status >= 400 && status < 600 ? status : HttpStatus.BAD_REQUEST.value());
        return "console/inbox";
    }

    /** The org's customer, or the console's 404 page: another org's customer looks like no customer at all. */
    private Customer customerOf(ConsoleUser user, String customerId) {
        return customers.find(user.orgId(), customerId).orElseThrow(() -> ApiException.notFound("customer", null));
    }

    private Map<String, String> userNames(ConsoleUser user) {
        return accounts.list(user.orgId(), 500).stream()
                .collect(Collectors.toMap(
                        UserAccounts.Account::userId, a -> a.name() == null ? a.email() : a.name(), (a, b) -> a));
    }

    /**
     * The org's approved templates that a reply can fill in: parameters in the body only (a media header or a button
     * with a parameter is sent from the API).
     */
    List<TemplateChoice> sendableTemplates(String orgId) {
        return templates.list(orgId, 500).stream()
                .filter(t -> "APPROVED".equals(t.status()))
                .filter(t -> t.headerParams() == 0
                        && (t.headerFormat() == null || t.headerFormat().equalsIgnoreCase("TEXT")))
                .filter(t -> t.buttons() == null
                        || t.buttons().stream()
                                .noneMatch(b -> b.type().equals("COPY_CODE")
                                        || b.type().equals("OTP")
                                        || (b.type().equals("URL")
                                                && b.url() != null
                                                && b.url().contains("{{"))))
                .map(TemplateChoice::of)
                .toList();
    }

    /** A template the reply box offers: its value ({@code name|language}), body text and parameter count. */
    public record TemplateChoice(String value, String label, String body, int bodyParams) {

        static TemplateChoice of(Template t) {
            String body = "";
            for (JsonNode component : t.components()) {
                if (component.path("type").asString("").equalsIgnoreCase("BODY")) {
                    body = component.path("text").asString("");
                }
            }
            return new TemplateChoice(
                    t.name() + "|" + t.language(), t.name() + " (" + t.language() + ")", body, t.bodyParams());
        }

        public List<Integer> params() {
            List<Integer> numbers = new ArrayList<>();
            for (int i = 1; i <= bodyParams; i++) {
                numbers.add(i);
            }
            return numbers;
        }
    }

    private SendMessageRequest request(ConsoleUser user, Customer customer, SendMessageRequest.MessageContent message) {
        return new SendMessageRequest(
                message, sessionOf(customer, user), customer.id(), user.userId(), user.orgId(), "human", null, null);
    }

    /** The conversation's session: its latest message's, else one of its own. */
    private String sessionOf(Customer customer, ConsoleUser user) {
        List<Message> latest = messages.latest(user.orgId(), customer.id(), 1);
        return latest.isEmpty() || latest.getFirst().sessionId() == null
                ? "console-" + customer.id()
                : latest.getFirst().sessionId();
    }

    private MediaFile spool(MultipartFile file) {
        try (InputStream in = file.getInputStream()) {
            return spool.copy(in, 100L * 1024 * 1024, "file", "the file is larger than WhatsApp allows (100 MB)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A media message of the file's kind (by its type, else its name), with the text as its caption. */
    private static SendMessageRequest.MessageContent mediaMessage(MultipartFile file, String text) {
        String name =
                file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                        ? "file"
                        : file.getOriginalFilename().replaceAll("[\\\\/]", "_");
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        MediaTypes.MediaType type = Optional.ofNullable(file.getContentType())
                .flatMap(MediaTypes::of)
                .or(() -> MediaTypes.ofExtension(extension))
                .orElseThrow(() -> ApiException.invalid(
                        "file",
                        "WhatsApp cannot send this kind of file; supported: "
                                + String.join(", ", MediaTypes.supported())));
        String kind = type.kind().messageType();
        ObjectNode medium = JsonNodeFactory.instance.objectNode();
        ObjectNode described = medium.putObject("file");
        described.put("name", name);
        described.put("type", type.mime());
        described.put("displayType", type.kind().displayType());
        described.put("extension", type.extensions().contains(extension) ? extension : first(type));
        if (text != null && !text.isBlank() && !kind.equals("audio") && !kind.equals("sticker")) {
            medium.put("caption", text.strip());
        }
        Function<String, JsonNode> of = k -> k.equals(kind) ? medium : null;
        return new SendMessageRequest.MessageContent(
                kind,
                null,
                of.apply("image"),
                of.apply("document"),
                of.apply("video"),
                null,
                null,
                null,
                null,
                null,
                of.apply("audio"),
                of.apply("sticker"));
    }

    private static String first(MediaTypes.MediaType type) {
        return type.extensions().stream().sorted().findFirst().orElse("bin");
    }
}
