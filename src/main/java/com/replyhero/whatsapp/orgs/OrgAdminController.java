package com.replyhero.whatsapp.orgs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Idempotent;
import com.replyhero.whatsapp.web.Page;
import com.replyhero.whatsapp.web.Require;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator's API for organizations, their WhatsApp channels (numbers) and their users. */
@RestController
@RequestMapping("/admin/orgs")
@Tag(name = "Admin: organizations", description = "Operator API, Authorization: Bearer <admin token>")
@SecurityRequirement(name = "adminToken")
class OrgAdminController {

    static final String DEFAULT_TIME_ZONE = Orgs.DEFAULT_TIME_ZONE;
    static final String DEFAULT_LANGUAGE = Orgs.DEFAULT_LANGUAGE;

    private final Orgs orgs;
    private final UserInvitations invitations;

    OrgAdminController(Orgs orgs, UserInvitations invitations) {
        this.orgs = orgs;
        this.invitations = invitations;
    }

    record CreateOrgRequest(String name, String timeZone, String defaultLanguage) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OrgView(
            String id,
            String name,
            String timeZone,
            String defaultLanguage,
            Instant createdAt,
            ChannelView channel,
            boolean autoMarkRead) {}

    /** The org's settings; a field left out is left as it is. */
    record UpdateOrgRequest(Boolean autoMarkRead) {}

    /** A channel as set by the operator; {@code default}: make it the org's default channel. */
    record ChannelRequest(
            String phoneNumberId,
            String wabaId,
            String accessToken,
            Integer throughputPerSecond,
            String name,
            @JsonProperty("default") Boolean makeDefault) {}

    /** A channel as shown back to the operator: never the token itself, only its last characters. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChannelView(
            String id,
            String name,
            String phoneNumberId,
            String wabaId,
            String accessTokenHint,
            int throughputPerSecond,
            @JsonProperty("default") boolean isDefault,
            ChannelHealth health) {
        static ChannelView of(Channel c, ChannelHealth health) {
            return new ChannelView(
                    c.id(),
                    c.name(),
                    c.phoneNumberId(),
                    c.wabaId(),
                    c.accessTokenHint(),
                    c.throughputPerSecond(),
                    c.isDefault(),
                    health);
        }
    }

    record CreateUserRequest(
            @Schema(example = "Ada") String name,

            @Schema(
                    description = "Optional. With an email the user is invited to the console: the answer's inviteUrl"
                            + " is their one-time link (a path on the gateway's base URL), where they set a password",
                    example = "ada@example.com")
            String email,

            @Schema(description = "agent (default) or admin: the user's role in the org's console", example = "agent")
            String role) {}

    /** A new user; {@code role} and {@code inviteUrl} when they were invited (an email was given). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreatedUser(
            String orgId,
            String id,
            String name,
            String email,
            Instant createdAt,
            String role,

            @Schema(description = "The one-time link's path (/console/invite?token=...), shown only in this answer")
            String inviteUrl) {}

    @Idempotent
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an organization")
    OrgView create(@RequestBody CreateOrgRequest request) {
        String name = Require.text(request.name(), "name", 200);
        String zone = request.timeZone() == null ? DEFAULT_TIME_ZONE : request.timeZone();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw ApiException.invalid("timeZone", "timeZone must be an IANA time zone such as Asia/Kuala_Lumpur");
        }
        String language = request.defaultLanguage() == null
                ? DEFAULT_LANGUAGE
                : Require.text(request.defaultLanguage(), "defaultLanguage", 20);
        return view(orgs.create(name, zone, language));
    }

    @GetMapping
    @Operation(summary = "List organizations")
    Page<OrgView> list(@RequestParam(required = false) Integer limit) {
        return Page.of(
                orgs.list(Page.limit(limit, 100, 1000)).stream().map(this::view).toList());
    }

    @GetMapping("/{orgId}")
    @Operation(summary = "One organization")
    OrgView get(@PathVariable String orgId) {
        return view(existing(orgId));
    }

    @PatchMapping("/{orgId}")
    @Operation(
            summary = "Change an organization's settings",
            description = "autoMarkRead: true marks every customer's message read on WhatsApp (two blue ticks) as soon"
                    + " as the gateway stores it, asynchronously and never holding up Meta's webhook; false (the"
                    + " default) leaves it to POST /whatsapp/messages/{id}/read.")
    OrgView update(@PathVariable String orgId, @RequestBody(required = false) UpdateOrgRequest request) {
        if (request == null || request.autoMarkRead() == null) {
            throw ApiException.missing("autoMarkRead");
        }
        return view(orgs.setAutoMarkRead(orgId, request.autoMarkRead())
                .orElseThrow(() -> ApiException.notFound("org", "orgId")));
    }

    @PutMapping("/{orgId}/channel")
    @Operation(
            summary = "Set the org's default WhatsApp channel (Cloud API phone number id, WABA id, token, throughput)",
            description =
                    "Creates the org's default channel when it has none. More numbers: POST /admin/orgs/{orgId}/channels")
    ChannelView setChannel(@PathVariable String orgId, @RequestBody ChannelRequest request) {
        existing(orgId);
        Channel channel = checked(orgId, null, request, true);
        return channelView(unique(() -> orgs.saveDefaultChannel(channel)));
    }

    @Idempotent
    @PostMapping("/{orgId}/channels")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Add a WhatsApp number to the org",
            description =
                    "The org's first channel becomes its default; \"default\": true makes a later one the default."
                            + " Sends name a channel by channelId; without it they go out from the default.")
    ChannelView addChannel(@PathVariable String orgId, @RequestBody ChannelRequest request) {
        existing(orgId);
        Channel added = checked(orgId, null, request, false);
        return channelView(unique(() -> orgs.addChannel(added, Boolean.TRUE.equals(request.makeDefault()))));
    }

    @GetMapping("/{orgId}/channels")
    @Operation(summary = "The org's WhatsApp numbers, the default first")
    Page<ChannelView> channels(@PathVariable String orgId) {
        existing(orgId);
        Map<String, ChannelHealth> health = orgs.health(orgId);
        return Page.of(orgs.channels(orgId).stream()
                .map(c -> ChannelView.of(c, health.getOrDefault(c.id(), ChannelHealth.UNKNOWN)))
                .toList());
    }

    @GetMapping("/{orgId}/channels/{channelId}")
    @Operation(summary = "One of the org's WhatsApp numbers")
    ChannelView channel(@PathVariable String orgId, @PathVariable String channelId) {
        existing(orgId);
        return orgs.channel(orgId, channelId).map(this::channelView).orElseThrow(() -> Channel.notFound("channelId"));
    }

    @PutMapping("/{orgId}/channels/{channelId}")
    @Operation(
            summary = "Change one of the org's WhatsApp numbers (WABA, token, throughput, name)",
            description = "\"default\": true makes it the org's default channel (the one before it no longer is)."
                    + " The phoneNumberId must be the channel's own (409 phone_number_immutable): a new number is a"
                    + " new channel.")
    ChannelView updateChannel(
            @PathVariable String orgId, @PathVariable String channelId, @RequestBody ChannelRequest request) {
        existing(orgId);
        Channel changed = checked(orgId, channelId, request, false);
        return channelView(
                orgs.updateChannel(changed, request.makeDefault()).orElseThrow(() -> Channel.notFound("channelId")));
    }

    /** The channel the request describes, every field checked (400 naming the first bad one). */
    private static Channel checked(String orgId, String channelId, ChannelRequest request, boolean isDefault) {
        String phoneNumberId = metaId(Require.text(request.phoneNumberId(), "phoneNumberId", 64), "phoneNumberId");
        String wabaId = request.wabaId() == null ? null : metaId(request.wabaId(), "wabaId");
        String token = Require.text(request.accessToken(), "accessToken", 4096);
        if (!Channel.isSendableAccessToken(token)) {
            throw ApiException.invalid(
                    "accessToken",
                    "accessToken must be visible ASCII characters only (no spaces, line breaks, control or"
                            + " non-ASCII characters)");
        }
        int throughput = request.throughputPerSecond() == null ? 80 : request.throughputPerSecond();
        if (throughput < 1 || throughput > 1000) {
            throw ApiException.invalid("throughputPerSecond", "throughputPerSecond must be between 1 and 1000");
        }
        String name = Require.optional(request.name(), "name", 200);
        return new Channel(orgId, channelId, phoneNumberId, wabaId, token, throughput, name, isDefault);
    }

    /** A phone number id belongs to one channel of one org: Meta's webhooks name the number, and it names the org. */
    private static <T> T unique(java.util.function.Supplier<T> save) {
        try {
            return save.get();
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "phone_number_in_use",
                    "another channel (of this or another organization) already uses this phoneNumberId",
                    "phoneNumberId");
        }
    }

    /**
     * Meta's phone number and WhatsApp Business Account ids are numbers; they go into the Cloud API's URL paths
     * (with the channel's token), so nothing else may: no '/', '..', '?' or space can point that call elsewhere.
     */
    private static String metaId(String value, String field) {
        if (!value.matches("[0-9]{1,32}")) {
            throw ApiException.invalid(field, field + " must be Meta's numeric id (1 to 32 digits)");
        }
        return value;
    }

    @GetMapping("/{orgId}/channel")
    @Operation(summary = "The org's default WhatsApp channel")
    ChannelView defaultChannel(@PathVariable String orgId) {
        existing(orgId);
        return orgs.defaultChannel(orgId)
                .map(this::channelView)
                .orElseThrow(() -> ApiException.notFound("channel", null));
    }

    @Idempotent
    @PostMapping("/{orgId}/users")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Create a user (an admin or agent of the org); with an email, invite them to the console",
            description = "With an email the user is invited: inviteUrl is their one-time link to the console"
                    + " (a path on the gateway's base URL; no mail is sent), valid for rh.console.invite-validity."
                    + " role: agent (default) or admin. An email that belongs to a user already is 409 email_in_use.")
    CreatedUser createUser(@PathVariable String orgId, @RequestBody CreateUserRequest request) {
        existing(orgId);
        String name = Require.text(request.name(), "name", 200);
        String email = Require.optional(request.email(), "email", 320);
        UserAccounts.Role role = request.role() == null
                ? UserAccounts.Role.AGENT
                : UserAccounts.Role.of(request.role())
                        .orElseThrow(() -> ApiException.invalid("role", "role must be agent or admin"));
        if (email == null) {
            if (request.role() != null) {
                throw ApiException.invalid("role", "a role is given to an invited user: give their email too");
            }
            User user = orgs.createUser(orgId, name, null);
            return new CreatedUser(user.orgId(), user.id(), user.name(), user.email(), user.createdAt(), null, null);
        }
        if (!email.contains("@")) {
            throw ApiException.invalid("email", "email must be an email address");
        }
        UserInvitations.InvitedUser invited = invitations
                .inviteUser(orgId, name, email, role)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.CONFLICT, "email_in_use", "a user with this email exists already", "email"));
        UserAccounts.Account account = invited.account();
        return new CreatedUser(
                orgId,
                account.userId(),
                account.name(),
                account.email(),
                orgs.userCreatedAt(orgId, account.userId()),
                account.role().value(),
                invited.path());
    }

    @GetMapping("/{orgId}/users")
    @Operation(summary = "List the org's users")
    Page<User> users(@PathVariable String orgId, @RequestParam(required = false) Integer limit) {
        existing(orgId);
        return Page.of(orgs.users(orgId, Page.limit(limit, 100, 1000)));
    }

    /** The channel with its health as Meta last reported it. */
    private ChannelView channelView(Channel channel) {
        return ChannelView.of(channel, orgs.health(channel.orgId(), channel.id()));
    }

    private Org existing(String orgId) {
        return orgs.get(orgId);
    }

    private OrgView view(Org org) {
        return new OrgView(
                org.id(),
                org.name(),
                org.timeZone(),
                org.defaultLanguage(),
                org.createdAt(),
                orgs.defaultChannel(org.id()).map(this::channelView).orElse(null),
                org.autoMarkRead());
    }
}
