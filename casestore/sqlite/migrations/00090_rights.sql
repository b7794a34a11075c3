-- How a debtor wants to be contacted, and the flags that stop a case's
-- automated collection (bewindvoering, debt settlement). Own tables, one
-- row per debtor or case, so the case and debtor rows stay as they were.
-- Instants are TEXT RFC 3339 UTC with nine fraction digits, as in 00001.

-- +goose Up
CREATE TABLE debtor_contact (
    debtor_id    INTEGER PRIMARY KEY REFERENCES debtors (id),
    channel      TEXT    NOT NULL DEFAULT '' CHECK (channel IN ('', 'whatsapp', 'sms', 'telegram', 'email', 'post')),
    written_only INTEGER NOT NULL DEFAULT 0 CHECK (written_only IN (0, 1)),
    updated_at   TEXT    NOT NULL
);
CREATE TABLE case_flags (
    case_id         INTEGER PRIMARY KEY REFERENCES cases (id),
    bewindvoering   INTEGER NOT NULL DEFAULT 0 CHECK (bewindvoering IN (0, 1)),
    debt_settlement TEXT    NOT NULL DEFAULT '' CHECK (debt_settlement IN ('', 'wsnp', 'msnp', 'csr')),
    updated_at      TEXT    NOT NULL
);

-- +goose Down
DROP TABLE case_flags;
DROP TABLE debtor_contact;
