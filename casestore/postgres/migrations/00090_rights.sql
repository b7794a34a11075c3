-- How a debtor wants to be contacted, and the flags that stop a case's
-- automated collection (bewindvoering, debt settlement). Own tables, one
-- row per debtor or case, so the case and debtor rows stay as they were.

-- +goose Up
CREATE TABLE debtor_contact (
    debtor_id    bigint PRIMARY KEY REFERENCES debtors (id),
    channel      text NOT NULL DEFAULT '' CHECK (channel IN ('', 'whatsapp', 'sms', 'telegram', 'email', 'post')),
    written_only boolean NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL
);
CREATE TABLE case_flags (
    case_id         bigint PRIMARY KEY REFERENCES cases (id),
    bewindvoering   boolean NOT NULL DEFAULT false,
    debt_settlement text NOT NULL DEFAULT '' CHECK (debt_settlement IN ('', 'wsnp', 'msnp', 'csr')),
    updated_at      timestamptz NOT NULL
);

-- +goose Down
DROP TABLE case_flags;
DROP TABLE debtor_contact;
