package com.replyhero.whatsapp.orgs;

import java.time.Instant;

/** An admin or agent of one org: the sender of {@code human} messages. */
public record User(String orgId, String id, String name, String email, Instant createdAt) {}
