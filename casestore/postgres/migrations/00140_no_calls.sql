-- A debtor may ask not to be phoned ("bel me niet"), whatever channel
-- they prefer for messages (issue #19).

-- +goose Up
ALTER TABLE debtor_contact ADD COLUMN no_calls boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE debtor_contact DROP COLUMN no_calls;
