-- Bank statement lines the import could not book on a case by itself (no
-- reference, an ambiguous one): the console's queue, where a collector
-- assigns each to a case. entry_ref is the bank's reference: a line is
-- queued once however often its statement is imported.

-- +goose Up
CREATE TABLE bank_lines (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_ref         text NOT NULL UNIQUE CHECK (entry_ref <> ''),
    booked_on         date NOT NULL,
    amount            numeric(14,2) NOT NULL CHECK (amount > 0),
    name              text NOT NULL DEFAULT '',
    iban              text NOT NULL DEFAULT '',
    remittance        text NOT NULL DEFAULT '',
    reason            text NOT NULL DEFAULT '',
    suggested_case_id bigint REFERENCES cases (id),
    status            text NOT NULL CHECK (status IN ('open', 'assigned')),
    case_id           bigint REFERENCES cases (id),
    payment_id        bigint REFERENCES payments (id),
    imported_at       timestamptz NOT NULL,
    resolved_at       timestamptz,
    CHECK ((status = 'assigned') = (case_id IS NOT NULL AND resolved_at IS NOT NULL))
);
CREATE INDEX bank_lines_open_idx ON bank_lines (id) WHERE status = 'open';

-- +goose Down
DROP TABLE bank_lines;
