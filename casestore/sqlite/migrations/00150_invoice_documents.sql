-- The creditor's copy of an invoice (a PDF or scan), delivered with the
-- case import and kept as evidence is kept: a row of media. The invoice
-- names it; a re-import with a new copy points to the new row.

-- +goose Up
ALTER TABLE invoices ADD COLUMN document_media_id INTEGER REFERENCES media (id);

-- +goose Down
ALTER TABLE invoices DROP COLUMN document_media_id;
