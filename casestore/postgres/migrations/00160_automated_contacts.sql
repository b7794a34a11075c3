-- The log of automated contacts (follow-ups) per debtor and address: the
-- weekly contact cap counts it with one indexed read per batch, instead of
-- reading the dossiers of every case on the debtor's phones per message.
-- A row is written in the transaction that puts the message in the outbox.

-- +goose Up
CREATE TABLE automated_contacts (
    id        bigserial PRIMARY KEY,
    debtor_id bigint NOT NULL REFERENCES debtors (id),
    case_id   bigint NOT NULL REFERENCES cases (id),
    channel   text NOT NULL CHECK (channel <> ''),
    address   text NOT NULL CHECK (address <> ''),
    at        timestamptz NOT NULL
);
CREATE INDEX automated_contacts_debtor_idx ON automated_contacts (debtor_id, at);
CREATE INDEX automated_contacts_address_idx ON automated_contacts (address, at);
CREATE INDEX automated_contacts_case_idx ON automated_contacts (case_id);

-- The follow-ups sent before this log existed still count.
INSERT INTO automated_contacts (debtor_id, case_id, channel, address, at)
SELECT c.debtor_id, d.case_id, o.channel, o.to_addr, d.at
FROM dossier d
JOIN cases c ON c.id = d.case_id
JOIN outbound_messages o ON o.id = (d.body->>'outbound_id')::bigint
WHERE d.kind = 'followup.sent' AND d.body ? 'outbound_id';

-- +goose Down
DROP TABLE automated_contacts;
