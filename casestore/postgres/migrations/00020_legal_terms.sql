-- Legal terms a balance rests on (issue #14): the Belgian consumer contract's
-- late-payment clause (Book XIX WER) and the creditor's choice to claim the
-- B2B €40 per invoice (CJEU C-585/20).

-- +goose Up
-- casestore.EncodeDamagesClause: JSON text, '' when the contract has none.
ALTER TABLE cases ADD COLUMN damages_clause text NOT NULL DEFAULT '';
ALTER TABLE creditors ADD COLUMN minimum_per_invoice boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE creditors DROP COLUMN minimum_per_invoice;
ALTER TABLE cases DROP COLUMN damages_clause;
