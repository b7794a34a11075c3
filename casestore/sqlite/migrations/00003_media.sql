-- The files debtors send as evidence (photos, PDFs), bytes and all: the
-- provider's copy expires, the dossier's must not.
-- Instants are TEXT RFC 3339 UTC with nine fraction digits, as in 00001.

-- +goose Up
-- data is the last column on purpose: SQLite keeps a large BLOB on overflow
-- pages at the end of the row, so listing a case's files (every column but
-- data) never reads the files themselves.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER REFERENCES cases (id),
    channel      TEXT    NOT NULL DEFAULT '',
    content_type TEXT    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size         INTEGER NOT NULL CHECK (size > 0 AND size <= 16777216), -- casestore.MaxMediaBytes
    sha256       TEXT    NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    created_at   TEXT    NOT NULL,
    -- a BLOB, never TEXT: the bytes must come back exactly as received.
    data         BLOB    NOT NULL CHECK (typeof(data) = 'blob' AND length(data) = size)
);
-- "the files of this case, oldest first".
CREATE INDEX media_of_case ON media (case_id, id) WHERE case_id IS NOT NULL;

-- Evidence stays as it was received, like the dossier.
-- +goose StatementBegin
CREATE TRIGGER media_no_update BEFORE UPDATE ON media
BEGIN
    SELECT RAISE(ABORT, 'media are append-only: no UPDATE');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER media_no_delete BEFORE DELETE ON media
BEGIN
    SELECT RAISE(ABORT, 'media are append-only: no DELETE');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER media_no_delete;
DROP TRIGGER media_no_update;
DROP TABLE media;
