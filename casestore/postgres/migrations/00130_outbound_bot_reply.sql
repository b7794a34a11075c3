-- bot_reply marks a reply the bot wrote in a conversation (not a
-- collector's message, not a notice or reminder): the outbox withholds it
-- when a collector has claimed the conversation since it was committed
-- (issue #18: after a claim commits no bot reply is sent).

-- +goose Up
ALTER TABLE outbound_messages ADD COLUMN bot_reply BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE outbound_messages DROP COLUMN bot_reply;
