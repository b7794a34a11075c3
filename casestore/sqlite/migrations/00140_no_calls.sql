-- A debtor may ask not to be phoned ("bel me niet"), whatever channel
-- they prefer for messages (issue #19).

-- +goose Up
ALTER TABLE debtor_contact ADD COLUMN no_calls INTEGER NOT NULL DEFAULT 0 CHECK (no_calls IN (0, 1));

-- +goose Down
ALTER TABLE debtor_contact DROP COLUMN no_calls;
