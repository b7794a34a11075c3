-- The dossier becomes a hash chain per case (casestore/chain.go), as in
-- the PostgreSQL store: every entry carries its number within the case
-- (seq) and the hash over its content and the previous entry's hash;
-- dossier_heads is where each case's chain stands. SQLite has no SHA-256
-- in SQL, so the entries written before this version get their chain from
-- the Go migration 00012 (chain.go in this package); the update trigger
-- is dropped for it here and put back, unchanged, by 00013.

-- +goose Up
CREATE TABLE dossier_heads (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id),
    seq     INTEGER NOT NULL CHECK (seq > 0),
    hash    TEXT    NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*')
);
ALTER TABLE dossier ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN hash TEXT NOT NULL DEFAULT '';
DROP TRIGGER dossier_no_update;

-- +goose Down
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS dossier_no_update BEFORE UPDATE ON dossier
BEGIN
    SELECT RAISE(ABORT, 'dossier entries are append-only: no UPDATE');
END;
-- +goose StatementEnd
ALTER TABLE dossier DROP COLUMN hash;
ALTER TABLE dossier DROP COLUMN seq;
DROP TABLE dossier_heads;
