-- Payments come in from several sources (the console, Stripe, bank
-- statements), each naming the payment by its own id: recorded once per
-- (source, external_id), so a provider's retry or a re-imported statement
-- adds nothing. A reversal (refund, chargeback, returned transfer) marks
-- the payment, never deletes it. Tasks are the collectors' to-do list:
-- what a person must look at on a case (a reversed payment, a broken plan).

-- +goose Up
ALTER TABLE payments ADD COLUMN source text NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN external_id text NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN reversed_at timestamptz;
ALTER TABLE payments ADD COLUMN reversal_reason text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX payments_external_id_key ON payments (source, external_id)
    WHERE external_id <> '';

CREATE TABLE tasks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    kind       text NOT NULL CHECK (kind <> ''),
    text       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    done_at    timestamptz
);
CREATE INDEX tasks_open_idx ON tasks (id) WHERE done_at IS NULL;

-- "the debtor's own channel": the newest message filed with a case.
CREATE INDEX inbound_messages_case_idx ON inbound_messages (case_id, id DESC) WHERE case_id IS NOT NULL;

-- +goose Down
DROP INDEX inbound_messages_case_idx;
DROP TABLE tasks;
DROP INDEX payments_external_id_key;
ALTER TABLE payments DROP COLUMN reversal_reason;
ALTER TABLE payments DROP COLUMN reversed_at;
ALTER TABLE payments DROP COLUMN external_id;
ALTER TABLE payments DROP COLUMN source;
