-- The message type of an automated follow-up (bot/followup), so that on
-- WhatsApp outside the 24-hour window the sender picks that type's
-- approved template (a content SID per type). '' for every other message.

-- +goose Up
ALTER TABLE outbound_messages ADD COLUMN template_type TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbound_messages DROP COLUMN template_type;
