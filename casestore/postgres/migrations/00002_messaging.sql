-- The messaging records: the inbox (every message that reached the bot,
-- which also deduplicates provider retries), the outbox (every message to a
-- debtor, delivered by the sender after commit) and opt-outs.

-- +goose Up
CREATE TABLE inbound_messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel     text NOT NULL CHECK (channel <> ''),
    provider_id text NOT NULL DEFAULT '',
    from_addr   text NOT NULL CHECK (from_addr <> ''),
    case_id     bigint REFERENCES cases (id),
    body        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(body) = 'object'),
    received_at timestamptz NOT NULL
);
-- A provider retrying a webhook sends the same id again: the second insert
-- finds this index (ON CONFLICT … DO NOTHING) and writes nothing, without
-- an error that would abort the caller's transaction. Channels without ids
-- never conflict.
CREATE UNIQUE INDEX inbound_messages_provider_id_key ON inbound_messages (channel, provider_id)
    WHERE provider_id <> '';
-- "what did this sender write, newest first" and "when did they last write".
CREATE INDEX inbound_messages_sender_idx ON inbound_messages (channel, from_addr, id DESC);

-- What a debtor wrote stays as it was, like the dossier.
-- +goose StatementBegin
CREATE FUNCTION inbound_messages_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'inbound messages are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER inbound_messages_no_update_delete BEFORE UPDATE OR DELETE ON inbound_messages
    FOR EACH ROW EXECUTE FUNCTION inbound_messages_append_only();
CREATE TRIGGER inbound_messages_no_truncate BEFORE TRUNCATE ON inbound_messages
    FOR EACH STATEMENT EXECUTE FUNCTION inbound_messages_append_only();

CREATE TABLE outbound_messages (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel      text NOT NULL CHECK (channel <> ''),
    to_addr      text NOT NULL CHECK (to_addr <> ''),
    case_id      bigint REFERENCES cases (id),
    text         text NOT NULL CHECK (text <> ''),
    options      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
    ask_phone    boolean NOT NULL DEFAULT false,
    automated    boolean NOT NULL DEFAULT false,
    status       text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed')),
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt timestamptz NOT NULL,
    lease_until  timestamptz,
    provider_id  text NOT NULL DEFAULT '',
    last_error   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz,
    CHECK (status <> 'sending' OR lease_until IS NOT NULL)
);
-- The sender's question, oldest first: what is due (pending) or abandoned
-- (sending). Over unsent messages only, so a claim does not wade through the
-- history of sent ones (measured: 23 ms behind 200,000 sent, 0.3 ms with
-- this index); OutboxDepth counts it too.
CREATE INDEX outbound_messages_unsent_idx ON outbound_messages (id)
    WHERE status IN ('pending', 'sending');
-- One recipient's messages in order: the console lists them newest first.
CREATE INDEX outbound_messages_recipient_idx ON outbound_messages (channel, to_addr, id);
-- Claiming asks "is an older message to this recipient unfinished?" for
-- every candidate; over unfinished messages only, that stays a tiny index
-- however long the history grows.
CREATE INDEX outbound_messages_unfinished_idx ON outbound_messages (channel, to_addr, id)
    WHERE status IN ('pending', 'sending');
-- Status callbacks name the message by the provider's id.
CREATE UNIQUE INDEX outbound_messages_provider_id_key ON outbound_messages (channel, provider_id)
    WHERE provider_id <> '';

-- A sender's address that asked for no automated messages (or asked again
-- for them): the latest word counts.
CREATE TABLE opt_outs (
    channel    text NOT NULL CHECK (channel <> ''),
    address    text NOT NULL CHECK (address <> ''),
    opted_out  boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (channel, address)
);

-- +goose Down
DROP TABLE opt_outs;
DROP TABLE outbound_messages;
DROP TABLE inbound_messages;
DROP FUNCTION inbound_messages_append_only();
