-- The collection domain: creditors, debtors, cases with invoices, payments,
-- disputes, plans, promises and the append-only dossier.
-- Money is TEXT holding a decimal string; calendar days are TEXT
-- 'YYYY-MM-DD'; instants are TEXT RFC 3339 UTC with nine fraction digits.

-- +goose Up
CREATE TABLE creditors (
    id                INTEGER PRIMARY KEY,
    code              TEXT    NOT NULL UNIQUE CHECK (code <> ''),
    name              TEXT    NOT NULL CHECK (name <> ''),
    vat_on_costs      INTEGER NOT NULL DEFAULT 0,
    contractual_costs TEXT    NOT NULL DEFAULT '0',
    payment_url       TEXT    NOT NULL DEFAULT '',
    created_at        TEXT    NOT NULL
);

CREATE TABLE debtors (
    id         INTEGER PRIMARY KEY,
    ref        TEXT    NOT NULL UNIQUE CHECK (ref <> ''),
    name       TEXT    NOT NULL CHECK (name <> ''),
    is_company INTEGER NOT NULL DEFAULT 0,
    email      TEXT    NOT NULL DEFAULT '',
    postcode   TEXT    NOT NULL DEFAULT '',
    birth_date TEXT,
    language   TEXT    NOT NULL DEFAULT 'nl',
    created_at TEXT    NOT NULL
);

-- A debtor's phone numbers in the order given; looked up by number when a
-- message comes in.
CREATE TABLE debtor_phones (
    debtor_id INTEGER NOT NULL REFERENCES debtors (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    e164      TEXT    NOT NULL,
    PRIMARY KEY (debtor_id, seq)
);
CREATE INDEX debtor_phones_by_number ON debtor_phones (e164);

-- Dossier numbers are unique whatever their letter case (NOCASE), as a
-- debtor types them.
CREATE TABLE cases (
    id                          INTEGER PRIMARY KEY,
    ref                         TEXT    NOT NULL COLLATE NOCASE UNIQUE CHECK (ref <> ''),
    creditor_id                 INTEGER NOT NULL REFERENCES creditors (id),
    debtor_id                   INTEGER NOT NULL REFERENCES debtors (id),
    regime                      TEXT    NOT NULL CHECK (regime IN ('nl-b2c', 'nl-b2b', 'be-b2c', 'be-b2b')),
    stage                       TEXT    NOT NULL CHECK (stage IN ('pre-incasso', 'minnelijk', 'gerechtelijk', 'executie')),
    status                      TEXT    NOT NULL CHECK (status IN ('open', 'on-hold', 'in-plan', 'paid', 'closed')),
    letter_sent_on              TEXT,
    policy_max_terms            INTEGER NOT NULL DEFAULT 0,
    policy_min_installment      TEXT    NOT NULL DEFAULT '0',
    policy_down_payment_pct     TEXT    NOT NULL DEFAULT '0',
    policy_interest_during_plan INTEGER NOT NULL DEFAULT 0,
    policy_max_promise_days     INTEGER NOT NULL DEFAULT 0,
    created_at                  TEXT    NOT NULL,
    updated_at                  TEXT    NOT NULL
);
CREATE INDEX cases_of_creditor ON cases (creditor_id, ref);
CREATE INDEX cases_of_debtor ON cases (debtor_id, created_at DESC);

CREATE TABLE invoices (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    number      TEXT    NOT NULL CHECK (number <> ''),
    description TEXT    NOT NULL DEFAULT '',
    issue_date  TEXT    NOT NULL,
    due_date    TEXT    NOT NULL,
    principal   TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('open', 'disputed', 'paused', 'paid', 'waived')),
    UNIQUE (case_id, number)
);

CREATE TABLE payments (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    invoice_id INTEGER REFERENCES invoices (id),
    amount     TEXT    NOT NULL,
    value_date TEXT    NOT NULL,
    reference  TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);
CREATE INDEX payments_of_case ON payments (case_id, value_date);

CREATE TABLE disputes (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    invoice_id  INTEGER REFERENCES invoices (id),
    reason      TEXT    NOT NULL,
    text        TEXT    NOT NULL DEFAULT '',
    evidence    TEXT    NOT NULL DEFAULT '[]', -- JSON array of media references
    status      TEXT    NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    created_at  TEXT    NOT NULL,
    resolved_at TEXT
);
CREATE INDEX disputes_of_case ON disputes (case_id, id);

CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'completed', 'broken')),
    total        TEXT    NOT NULL,
    down_payment TEXT    NOT NULL DEFAULT '0',
    created_at   TEXT    NOT NULL
);
CREATE INDEX plans_of_case ON plans (case_id, id);

CREATE TABLE installments (
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    seq     INTEGER NOT NULL,
    due     TEXT    NOT NULL,
    amount  TEXT    NOT NULL,
    PRIMARY KEY (plan_id, seq)
);

CREATE TABLE promises (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    amount     TEXT    NOT NULL,
    date       TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('open', 'kept', 'broken')),
    created_at TEXT    NOT NULL
);
CREATE INDEX promises_of_case ON promises (case_id, id);

-- AUTOINCREMENT: an entry's ID is never reused, so IDs increase store-wide.
CREATE TABLE dossier (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    kind    TEXT    NOT NULL CHECK (kind <> ''),
    actor   TEXT    NOT NULL DEFAULT '',
    channel TEXT    NOT NULL DEFAULT '',
    body    TEXT    NOT NULL DEFAULT '{}',
    at      TEXT    NOT NULL
);
CREATE INDEX dossier_of_case_newest_first ON dossier (case_id, id DESC);

-- What the debtor was told must stay as it was: a court relies on it.
-- +goose StatementBegin
CREATE TRIGGER dossier_no_update BEFORE UPDATE ON dossier
BEGIN
    SELECT RAISE(ABORT, 'dossier entries are append-only: no UPDATE');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dossier_no_delete BEFORE DELETE ON dossier
BEGIN
    SELECT RAISE(ABORT, 'dossier entries are append-only: no DELETE');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER dossier_no_delete;
DROP TRIGGER dossier_no_update;
DROP TABLE dossier;
DROP TABLE promises;
DROP TABLE installments;
DROP TABLE plans;
DROP TABLE disputes;
DROP TABLE payments;
DROP TABLE invoices;
DROP TABLE cases;
DROP TABLE debtor_phones;
DROP TABLE debtors;
DROP TABLE creditors;
