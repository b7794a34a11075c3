-- Accounts (collectors, supervisors, creditors; their API tokens and
-- browser sessions) and handoffs (conversations in the collectors' hands,
-- with an append-only log of every change of owner).
-- Instants are TEXT RFC 3339 UTC with nine fraction digits, as in 00001.

-- +goose Up
-- Users are never deleted (only disabled): the handoff log names them.
-- The e-mail address is stored lower-cased by the store, so the plain
-- UNIQUE is case-insensitive in effect; the CHECK keeps it so.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE CHECK (email LIKE '_%@_%' AND email NOT GLOB '*[A-Z]*'),
    name          TEXT    NOT NULL CHECK (name <> ''),
    role          TEXT    NOT NULL CHECK (role IN ('collector', 'supervisor', 'creditor')),
    creditor_id   INTEGER REFERENCES creditors (id),
    -- a bcrypt or argon2id hash, never a password (casestore.PasswordHashValid)
    password_hash TEXT    NOT NULL CHECK (password_hash GLOB '$2[aby]$[0-3][0-9]$*' OR password_hash GLOB '$argon2id$v=*'),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    -- a creditor user sees one creditor's cases; nobody else is bound to one
    CHECK ((role = 'creditor') = (creditor_id IS NOT NULL))
);

-- hash is the hex SHA-256 of the token's secret; the secret is never kept.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL CHECK (name <> ''),
    hash         TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_of_user ON api_tokens (user_id, id);

-- hash is the hex SHA-256 of the cookie's session id, which is never kept.
CREATE TABLE sessions (
    hash       TEXT    PRIMARY KEY CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT    NOT NULL CHECK (csrf_token <> ''),
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL CHECK (expires_at > created_at)
) WITHOUT ROWID;
CREATE INDEX sessions_of_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- A conversation (channel, address) passed to the collectors. Rows are
-- never deleted: the log refers to them.
CREATE TABLE handoffs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    channel       TEXT    NOT NULL CHECK (channel <> ''),
    address       TEXT    NOT NULL CHECK (address <> ''),
    case_id       INTEGER REFERENCES cases (id),
    reason        TEXT    NOT NULL CHECK (reason <> ''),
    priority      INTEGER NOT NULL CHECK (priority >= 0),
    status        TEXT    NOT NULL CHECK (status IN ('queued', 'claimed', 'resolved')),
    collector_id  INTEGER REFERENCES users (id),
    claimed_at    TEXT,
    lease_until   TEXT,
    times_expired INTEGER NOT NULL DEFAULT 0 CHECK (times_expired >= 0),
    requested_at  TEXT    NOT NULL,
    resolved_at   TEXT,
    -- one owner at a time: a claim names its collector and its lease, a
    -- queued handoff names nobody, a resolved one when it was handed back
    CHECK ((status = 'claimed') = (lease_until IS NOT NULL AND claimed_at IS NOT NULL)),
    CHECK ((status = 'queued') = (collector_id IS NULL)),
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
-- At most one open handoff per conversation, whatever the code does; and
-- the router's question on every inbound message ("is a person in
-- charge here?") is one lookup in this small index.
CREATE UNIQUE INDEX handoffs_open_conversation ON handoffs (channel, address)
    WHERE status IN ('queued', 'claimed');
-- The queue, in its order, over open handoffs only. A query uses it only
-- when its WHERE repeats status IN ('queued', 'claimed') word for word.
CREATE INDEX handoffs_queue ON handoffs (priority DESC, requested_at, id)
    WHERE status IN ('queued', 'claimed');
-- ExpireHandoffs: claims whose lease ran out.
CREATE INDEX handoffs_claim_leases ON handoffs (lease_until) WHERE status = 'claimed';

CREATE TABLE handoff_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    handoff_id   INTEGER NOT NULL REFERENCES handoffs (id),
    action       TEXT    NOT NULL CHECK (action IN ('requested', 'reprioritised', 'claimed', 'touched',
                                                    'released', 'expired', 'resolved')),
    collector_id INTEGER REFERENCES users (id),
    reason       TEXT    NOT NULL,
    priority     INTEGER NOT NULL,
    at           TEXT    NOT NULL
);
CREATE INDEX handoff_log_of_handoff ON handoff_log (handoff_id, id);

-- Who held a debtor's conversation, and when, stays as it was written.
-- +goose StatementBegin
CREATE TRIGGER handoff_log_no_update BEFORE UPDATE ON handoff_log
BEGIN
    SELECT RAISE(ABORT, 'the handoff log is append-only: no UPDATE');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER handoff_log_no_delete BEFORE DELETE ON handoff_log
BEGIN
    SELECT RAISE(ABORT, 'the handoff log is append-only: no DELETE');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER handoff_log_no_delete;
DROP TRIGGER handoff_log_no_update;
DROP TABLE handoff_log;
DROP TABLE handoffs;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
