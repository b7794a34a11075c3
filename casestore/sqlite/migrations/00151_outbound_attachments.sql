-- Documents an outbound message carries where its channel can (e-mail
-- attachments): names of a case's documents, never the bytes.

-- +goose Up
ALTER TABLE outbound_messages ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]'; -- JSON array of document names

-- +goose Down
ALTER TABLE outbound_messages DROP COLUMN attachments;
