-- A debtor belongs to one creditor: its reference is the creditor's own
-- customer number, so creditor A's "K-1001" and creditor B's "K-1001" are
-- two people, and nothing A imports can touch B's debtor (issue 13).
--
-- Existing debtors take the creditor of their first case. A debtor whose
-- cases belong to several creditors (an import crossed creditors before
-- this version) is split: every other creditor gets its own copy, as the
-- debtor stands now, and its cases point at that copy. A debtor without a
-- case keeps no creditor (creditor_id NULL); no case can use it, and an
-- import of its reference makes a new debtor of the importing creditor.

-- +goose Up
ALTER TABLE debtors ADD COLUMN creditor_id bigint REFERENCES creditors (id);

UPDATE debtors d SET creditor_id = first.creditor_id
FROM (SELECT DISTINCT ON (debtor_id) debtor_id, creditor_id FROM cases ORDER BY debtor_id, id) first
WHERE first.debtor_id = d.id;

ALTER TABLE debtors DROP CONSTRAINT debtors_ref_key;

INSERT INTO debtors (ref, name, is_company, phones, email, postcode, birth_date, language, created_at, creditor_id)
SELECT DISTINCT ON (d.id, c.creditor_id)
    d.ref, d.name, d.is_company, d.phones, d.email, d.postcode, d.birth_date, d.language, d.created_at, c.creditor_id
FROM cases c JOIN debtors d ON d.id = c.debtor_id
WHERE c.creditor_id <> d.creditor_id
ORDER BY d.id, c.creditor_id;

UPDATE cases c SET debtor_id = copy.id
FROM debtors d, debtors copy
WHERE c.debtor_id = d.id AND c.creditor_id <> d.creditor_id
  AND copy.ref = d.ref AND copy.creditor_id = c.creditor_id;

-- One debtor per (creditor, reference): the key of PutDebtor's upsert.
CREATE UNIQUE INDEX debtors_creditor_ref_key ON debtors (creditor_id, ref);
-- A case's debtor is a debtor of the case's creditor, whatever the code does.
ALTER TABLE debtors ADD CONSTRAINT debtors_id_creditor_key UNIQUE (id, creditor_id);
ALTER TABLE cases ADD CONSTRAINT cases_debtor_of_creditor_fkey
    FOREIGN KEY (debtor_id, creditor_id) REFERENCES debtors (id, creditor_id);

-- +goose Down
ALTER TABLE cases DROP CONSTRAINT cases_debtor_of_creditor_fkey;
ALTER TABLE debtors DROP CONSTRAINT debtors_id_creditor_key;
DROP INDEX debtors_creditor_ref_key;
ALTER TABLE debtors DROP COLUMN creditor_id;
ALTER TABLE debtors ADD CONSTRAINT debtors_ref_key UNIQUE (ref);
