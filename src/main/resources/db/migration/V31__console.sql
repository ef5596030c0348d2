-- The web console (/console): an org's users sign in. A user is invited (the one-time link's SHA-256 is kept,
-- never the link), sets a password (Argon2id hash) and has a role in the org. Failed sign-ins lock the account
-- for a while. Emails are unique across orgs: an email names one user, so it names the org to sign in to.
ALTER TABLE users
    ADD COLUMN role              text        NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'admin')),
    ADD COLUMN password_hash     text,
    ADD COLUMN invite_hash       text,
    ADD COLUMN invite_expires_at timestamptz,
    ADD COLUMN failed_sign_ins   integer     NOT NULL DEFAULT 0,
    ADD COLUMN locked_until      timestamptz,
    ADD COLUMN last_sign_in_at   timestamptz,
    ADD COLUMN disabled_at       timestamptz;

CREATE UNIQUE INDEX users_by_email ON users (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_by_invite ON users (invite_hash) WHERE invite_hash IS NOT NULL;

-- The inbox: who a conversation (an org's customer) is assigned to, and up to when the team has read it.
CREATE TABLE conversations (
    org_id          text        NOT NULL,
    customer_id     text        NOT NULL,
    assigned_to     text,
    read_up_to      timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, customer_id),
    FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
    FOREIGN KEY (org_id, assigned_to) REFERENCES users (org_id, id)
);

-- Console sessions, stored by Spring Session JDBC so that any node serves them (its PostgreSQL schema).
CREATE TABLE spring_session (
    primary_id            char(36)     NOT NULL,
    session_id            char(36)     NOT NULL,
    creation_time         bigint       NOT NULL,
    last_access_time      bigint       NOT NULL,
    max_inactive_interval integer      NOT NULL,
    expiry_time           bigint       NOT NULL,
    principal_name        varchar(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);

CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id char(36)     NOT NULL,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);
