-- Documents an outbound message carries where its channel can (e-mail
-- attachments): names of a case's documents ("specification",
-- "invoice:<id>"), never the bytes; the sender makes or reads each when it
-- sends, so a retried message attaches what the case holds then.

-- +goose Up
ALTER TABLE outbound_messages
    ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attachments) = 'array');

-- +goose Down
ALTER TABLE outbound_messages DROP COLUMN attachments;
