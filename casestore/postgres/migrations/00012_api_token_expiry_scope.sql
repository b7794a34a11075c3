-- API tokens expire and carry a scope (issue 13): "read" (the default)
-- or "console" (also the console's actions). Tokens made before this
-- version become read-only and expire 90 days from the migration: a
-- collector's old token can no longer do every console action.

-- +goose Up
ALTER TABLE api_tokens
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN scope text NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'console'));
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE revoked_at IS NULL;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN scope, DROP COLUMN expires_at;
