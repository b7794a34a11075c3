-- A debtor belongs to one creditor: its reference is the creditor's own
-- customer number, so creditor A's "K-1001" and creditor B's "K-1001" are
-- two people, and nothing A imports can touch B's debtor (issue 13). As in
-- the PostgreSQL store: existing debtors take the creditor of their first
-- case; a debtor with cases of several creditors is split into a copy per
-- other creditor; a debtor without a case keeps no creditor.
--
-- SQLite cannot drop the old UNIQUE (ref), so the table is rebuilt, the
-- documented way: foreign keys off (only possible outside a transaction),
-- the work in one transaction, foreign_key_check, foreign keys back on.

-- +goose NO TRANSACTION
-- +goose Up
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE debtors_new (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER REFERENCES creditors (id),
    ref         TEXT    NOT NULL CHECK (ref <> ''),
    name        TEXT    NOT NULL CHECK (name <> ''),
    is_company  INTEGER NOT NULL DEFAULT 0,
    email       TEXT    NOT NULL DEFAULT '',
    postcode    TEXT    NOT NULL DEFAULT '',
    birth_date  TEXT,
    language    TEXT    NOT NULL DEFAULT 'nl',
    created_at  TEXT    NOT NULL,
    UNIQUE (creditor_id, ref)
);

INSERT INTO debtors_new (id, creditor_id, ref, name, is_company, email, postcode, birth_date, language, created_at)
SELECT d.id, (SELECT c.creditor_id FROM cases c WHERE c.debtor_id = d.id ORDER BY c.id LIMIT 1),
    d.ref, d.name, d.is_company, d.email, d.postcode, d.birth_date, d.language, d.created_at
FROM debtors d;

INSERT INTO debtors_new (creditor_id, ref, name, is_company, email, postcode, birth_date, language, created_at)
SELECT DISTINCT c.creditor_id, d.ref, d.name, d.is_company, d.email, d.postcode, d.birth_date, d.language, d.created_at
FROM cases c JOIN debtors_new d ON d.id = c.debtor_id
WHERE c.creditor_id <> d.creditor_id;

INSERT INTO debtor_phones (debtor_id, seq, e164)
SELECT copy.id, p.seq, p.e164
FROM debtors_new copy
JOIN debtors orig ON orig.ref = copy.ref AND orig.id <> copy.id
JOIN debtor_phones p ON p.debtor_id = orig.id
WHERE copy.id NOT IN (SELECT id FROM debtors);

UPDATE cases SET debtor_id = (
    SELECT copy.id FROM debtors_new orig JOIN debtors_new copy ON copy.ref = orig.ref
    WHERE orig.id = cases.debtor_id AND copy.creditor_id = cases.creditor_id)
WHERE creditor_id <> (SELECT creditor_id FROM debtors_new WHERE id = cases.debtor_id);

DROP TABLE debtors;
ALTER TABLE debtors_new RENAME TO debtors;

-- A case's debtor is a debtor of the case's creditor, whatever the code does.
-- +goose StatementBegin
CREATE TRIGGER cases_debtor_of_creditor_insert BEFORE INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM debtors WHERE id = NEW.debtor_id AND creditor_id = NEW.creditor_id)
BEGIN
    SELECT RAISE(ABORT, 'a case''s debtor must be a debtor of the case''s creditor');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_debtor_of_creditor_update BEFORE UPDATE OF creditor_id, debtor_id ON cases
WHEN NOT EXISTS (SELECT 1 FROM debtors WHERE id = NEW.debtor_id AND creditor_id = NEW.creditor_id)
BEGIN
    SELECT RAISE(ABORT, 'a case''s debtor must be a debtor of the case''s creditor');
END;
-- +goose StatementEnd

COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TRIGGER cases_debtor_of_creditor_update;
DROP TRIGGER cases_debtor_of_creditor_insert;
CREATE TABLE debtors_old (
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
INSERT INTO debtors_old (id, ref, name, is_company, email, postcode, birth_date, language, created_at)
SELECT id, ref, name, is_company, email, postcode, birth_date, language, created_at FROM debtors;
DROP TABLE debtors;
ALTER TABLE debtors_old RENAME TO debtors;
COMMIT;
PRAGMA foreign_keys = ON;
