-- The log of automated contacts (follow-ups) per debtor and address: the
-- weekly contact cap counts it with one indexed read per batch, instead of
-- reading the dossiers of every case on the debtor's phones per message.
-- A row is written in the transaction that puts the message in the outbox.
-- Instants are TEXT RFC 3339 UTC with nine fraction digits, as in 00001.

-- +goose Up
CREATE TABLE automated_contacts (
    id        INTEGER PRIMARY KEY,
    debtor_id INTEGER NOT NULL REFERENCES debtors (id),
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    channel   TEXT    NOT NULL CHECK (channel <> ''),
    address   TEXT    NOT NULL CHECK (address <> ''),
    at        TEXT    NOT NULL
);
CREATE INDEX automated_contacts_debtor_idx ON automated_contacts (debtor_id, at);
CREATE INDEX automated_contacts_address_idx ON automated_contacts (address, at);
CREATE INDEX automated_contacts_case_idx ON automated_contacts (case_id);

-- The follow-ups sent before this log existed still count.
INSERT INTO automated_contacts (debtor_id, case_id, channel, address, at)
SELECT c.debtor_id, d.case_id, o.channel, o.to_addr, d.at
FROM dossier d
JOIN cases c ON c.id = d.case_id
JOIN outbound_messages o ON o.id = json_extract(d.body, '$.outbound_id')
WHERE d.kind = 'followup.sent' AND json_extract(d.body, '$.outbound_id') IS NOT NULL;

-- +goose Down
DROP TABLE automated_contacts;
