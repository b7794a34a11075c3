-- API tokens expire and carry a scope (issue 13), as in the PostgreSQL
-- store: "read" (the default) or "console". Tokens made before this
-- version become read-only and expire 90 days from the migration.

-- +goose Up
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'console'));
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '+90 days') WHERE revoked_at IS NULL;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN scope;
ALTER TABLE api_tokens DROP COLUMN expires_at;
