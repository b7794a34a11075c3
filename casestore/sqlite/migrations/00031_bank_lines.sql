-- Bank statement lines the import could not book on a case by itself: the
-- console's queue. entry_ref is the bank's reference: queued once.

-- +goose Up
CREATE TABLE bank_lines (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_ref         TEXT    NOT NULL UNIQUE CHECK (entry_ref <> ''),
    booked_on         TEXT    NOT NULL,
    amount            TEXT    NOT NULL,
    name              TEXT    NOT NULL DEFAULT '',
    iban              TEXT    NOT NULL DEFAULT '',
    remittance        TEXT    NOT NULL DEFAULT '',
    reason            TEXT    NOT NULL DEFAULT '',
    suggested_case_id INTEGER REFERENCES cases (id),
    status            TEXT    NOT NULL CHECK (status IN ('open', 'assigned')),
    case_id           INTEGER REFERENCES cases (id),
    payment_id        INTEGER REFERENCES payments (id),
    imported_at       TEXT    NOT NULL,
    resolved_at       TEXT,
    CHECK ((status = 'assigned') = (case_id IS NOT NULL AND resolved_at IS NOT NULL))
);
CREATE INDEX bank_lines_open ON bank_lines (id) WHERE status = 'open';

-- +goose Down
DROP TABLE bank_lines;
