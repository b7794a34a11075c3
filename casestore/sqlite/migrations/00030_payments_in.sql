-- Payments come in from several sources (the console, Stripe, bank
-- statements), each naming the payment by its own id: recorded once per
-- (source, external_id). A reversal marks the payment, never deletes it.
-- Tasks are the collectors' to-do list. Instants are TEXT RFC 3339 UTC
-- with nine fraction digits, as in 00001.

-- +goose Up
ALTER TABLE payments ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN reversed_at TEXT;
ALTER TABLE payments ADD COLUMN reversal_reason TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX payments_external_id ON payments (source, external_id)
    WHERE external_id <> '';

CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    kind       TEXT    NOT NULL CHECK (kind <> ''),
    text       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    done_at    TEXT
);
CREATE INDEX tasks_open ON tasks (id) WHERE done_at IS NULL;

-- "the debtor's own channel": the newest message filed with a case.
CREATE INDEX inbound_messages_of_case ON inbound_messages (case_id, id DESC) WHERE case_id IS NOT NULL;

-- +goose Down
DROP INDEX inbound_messages_of_case;
DROP TABLE tasks;
DROP INDEX payments_external_id;
ALTER TABLE payments DROP COLUMN reversal_reason;
ALTER TABLE payments DROP COLUMN reversed_at;
ALTER TABLE payments DROP COLUMN external_id;
ALTER TABLE payments DROP COLUMN source;
