-- Accounts (collectors, supervisors, creditors; their API tokens and
-- browser sessions) and handoffs (conversations in the collectors' hands,
-- with an append-only log of every change of owner).

-- +goose Up
-- Users are never deleted (only disabled): the handoff log names them.
-- The e-mail address is stored lower-cased by the store (Go's ToLower, not
-- the database's, so both stores agree), so the plain UNIQUE is
-- case-insensitive in effect; the CHECK keeps ASCII capitals out.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (email LIKE '_%@_%' AND email !~ '[A-Z]'),
    name          text NOT NULL CHECK (name <> ''),
    role          text NOT NULL CHECK (role IN ('collector', 'supervisor', 'creditor')),
    creditor_id   bigint REFERENCES creditors (id),
    -- a bcrypt or argon2id hash, never a password (casestore.PasswordHashValid)
    password_hash text NOT NULL CHECK (password_hash ~ '^\$2[aby]\$[0-3][0-9]\$' OR password_hash ~ '^\$argon2id\$v='),
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    -- a creditor user sees one creditor's cases; nobody else is bound to one
    CHECK ((role = 'creditor') = (creditor_id IS NOT NULL))
);

-- hash is the hex SHA-256 of the token's secret; the secret is never kept.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    name         text NOT NULL CHECK (name <> ''),
    hash         text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, id);

-- hash is the hex SHA-256 of the cookie's session id, which is never kept.
CREATE TABLE sessions (
    hash       text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    user_id    bigint NOT NULL REFERENCES users (id),
    csrf_token text NOT NULL CHECK (csrf_token <> ''),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

-- A conversation (channel, address) passed to the collectors. Rows are
-- never deleted: the log refers to them.
CREATE TABLE handoffs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel       text NOT NULL CHECK (channel <> ''),
    address       text NOT NULL CHECK (address <> ''),
    case_id       bigint REFERENCES cases (id),
    reason        text NOT NULL CHECK (reason <> ''),
    priority      integer NOT NULL CHECK (priority >= 0),
    status        text NOT NULL CHECK (status IN ('queued', 'claimed', 'resolved')),
    collector_id  bigint REFERENCES users (id),
    claimed_at    timestamptz,
    lease_until   timestamptz,
    times_expired integer NOT NULL DEFAULT 0 CHECK (times_expired >= 0),
    requested_at  timestamptz NOT NULL,
    resolved_at   timestamptz,
    -- one owner at a time: a claim names its collector and its lease, a
    -- queued handoff names nobody, a resolved one when it was handed back
    CHECK ((status = 'claimed') = (lease_until IS NOT NULL AND claimed_at IS NOT NULL)),
    CHECK ((status = 'queued') = (collector_id IS NULL)),
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
-- At most one open handoff per conversation, whatever the code does (two
-- instances asking at once included); and the router's question on every
-- inbound message ("is a person in charge here?") is one lookup in this
-- small index.
CREATE UNIQUE INDEX handoffs_open_conversation_key ON handoffs (channel, address)
    WHERE status IN ('queued', 'claimed');
-- The queue, in its order, over open handoffs only.
CREATE INDEX handoffs_queue_idx ON handoffs (priority DESC, requested_at, id)
    WHERE status IN ('queued', 'claimed');
-- ExpireHandoffs: claims whose lease ran out.
CREATE INDEX handoffs_claim_lease_idx ON handoffs (lease_until) WHERE status = 'claimed';

CREATE TABLE handoff_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handoff_id   bigint NOT NULL REFERENCES handoffs (id),
    action       text NOT NULL CHECK (action IN ('requested', 'reprioritised', 'claimed', 'touched',
                                                 'released', 'expired', 'resolved')),
    collector_id bigint REFERENCES users (id),
    reason       text NOT NULL,
    priority     integer NOT NULL,
    at           timestamptz NOT NULL
);
CREATE INDEX handoff_log_handoff_idx ON handoff_log (handoff_id, id);

-- Who held a debtor's conversation, and when, stays as it was written.
-- +goose StatementBegin
CREATE FUNCTION handoff_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the handoff log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER handoff_log_no_update_delete BEFORE UPDATE OR DELETE ON handoff_log
    FOR EACH ROW EXECUTE FUNCTION handoff_log_append_only();
CREATE TRIGGER handoff_log_no_truncate BEFORE TRUNCATE ON handoff_log
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_log_append_only();

-- +goose Down
DROP TABLE handoff_log;
DROP FUNCTION handoff_log_append_only();
DROP TABLE handoffs;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
