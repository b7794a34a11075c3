-- The dossier's chain is complete (00012): entries are append-only again,
-- as 00001 made them, and one case's entries have distinct numbers.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER dossier_no_update BEFORE UPDATE ON dossier
BEGIN
    SELECT RAISE(ABORT, 'dossier entries are append-only: no UPDATE');
END;
-- +goose StatementEnd
CREATE UNIQUE INDEX dossier_case_seq ON dossier (case_id, seq);

-- +goose Down
DROP INDEX dossier_case_seq;
DROP TRIGGER dossier_no_update;
