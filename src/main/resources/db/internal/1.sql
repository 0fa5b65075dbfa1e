-- Users, sessions, setup tokens, sign-in failure counters and installation facts.
-- Written once for both dialects: {{AUTO_ID}} and {{ID}} become the dialect's identity column and id type.
CREATE TABLE rowan_meta (
    meta_key   VARCHAR(100) PRIMARY KEY,
    meta_value TEXT NOT NULL
);

CREATE TABLE rowan_user (
    id                  {{AUTO_ID}},
    username            VARCHAR(64) NOT NULL,
    password_hash       TEXT NOT NULL,
    is_admin            BOOLEAN NOT NULL,
    created_at          BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX rowan_user_username ON rowan_user (lower(username));

CREATE TABLE rowan_session (
    token_hash   VARCHAR(64) PRIMARY KEY,
    user_id      {{ID}} NOT NULL REFERENCES rowan_user (id) ON DELETE CASCADE,
    csrf_token   VARCHAR(64) NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX rowan_session_user ON rowan_session (user_id);

CREATE TABLE rowan_setup_token (
    token_hash VARCHAR(64) PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE rowan_login_failure (
    attempt_key  VARCHAR(400) PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures     INTEGER NOT NULL
);
