package com.replyhero.whatsapp.console;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The web console ({@code rh.console.*}).
 *
 * @param idleTimeout a session unused this long is signed out
 * @param absoluteTimeout a session this old is signed out however busy
 * @param maxFailedSignIns failed sign-ins in a row that lock an account
 * @param lockout how long a locked account stays locked
 * @param signInsPerMinute sign-in attempts one address may make in a minute (per node)
 * @param inviteValidity how long a one-time invitation link works
 * @param publicUrl the console's address as users reach it ({@code https://chat.example.com}), for the links in
 *     invitation emails; without it (or without {@code spring.mail.host}) links are only shown to the inviter
 * @param mailFrom the sender of invitation emails
 * @param maxEventStreams open inbox pages one node streams live updates to at once
 * @param eventStreamTimeout how long one inbox page's live-update stream lasts before the browser opens it again
 *     (and the session is checked again: a signed-out session's stream ends within this time)
 * @param maxEventStreamsPerUser open inbox pages of one user one node streams to at once (tabs): one user cannot take
 *     the node's streams from everyone else
 * @param listenUrl the JDBC URL of the one connection per node that listens for the inbox's live updates (same user
 *     and password as the pool); empty: the pool's URL. Set it to reach PostgreSQL directly when the pool goes through
 *     a pooler in transaction mode (LISTEN needs a session of its own)
 */
@Validated
@ConfigurationProperties("rh.console")
public record ConsoleSettings(
        @DefaultValue("30m") Duration idleTimeout,
        @DefaultValue("12h") Duration absoluteTimeout,
        @DefaultValue("5") @Min(1) int maxFailedSignIns,
        @DefaultValue("15m") Duration lockout,
        @DefaultValue("20") @Min(1) int signInsPerMinute,
        @DefaultValue("72h") Duration inviteValidity,
        @DefaultValue("") String publicUrl,
        @DefaultValue("RH WhatsApp <no-reply@localhost>") String mailFrom,
        @DefaultValue("1000") @Min(1) int maxEventStreams,
        @DefaultValue("1m") Duration eventStreamTimeout,
        @DefaultValue("10") @Min(1) int maxEventStreamsPerUser,
        @DefaultValue("") String listenUrl) {}
