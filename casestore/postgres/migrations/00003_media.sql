-- The files debtors send as evidence (photos, PDFs), bytes and all: the
-- provider's copy expires, the dossier's must not.

-- +goose Up
CREATE TABLE media (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      bigint REFERENCES cases (id),
    channel      text NOT NULL DEFAULT '',
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size         bigint NOT NULL CHECK (size > 0 AND size <= 16777216), -- casestore.MaxMediaBytes
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    data         bytea NOT NULL CHECK (octet_length(data) = size),
    created_at   timestamptz NOT NULL
);
-- JPEG, PNG and PDF are compressed already: EXTERNAL keeps the bytes out of
-- line (so listing a case's files never reads them) without spending CPU
-- on a second compression that would gain nothing.
ALTER TABLE media ALTER COLUMN data SET STORAGE EXTERNAL;
-- "the files of this case, oldest first".
CREATE INDEX media_case_idx ON media (case_id, id) WHERE case_id IS NOT NULL;

-- Evidence stays as it was received, like the dossier: not even a careless
-- UPDATE in psql changes or removes a file.
-- +goose StatementBegin
CREATE FUNCTION media_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'media are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER media_no_update_delete BEFORE UPDATE OR DELETE ON media
    FOR EACH ROW EXECUTE FUNCTION media_append_only();
CREATE TRIGGER media_no_truncate BEFORE TRUNCATE ON media
    FOR EACH STATEMENT EXECUTE FUNCTION media_append_only();

-- +goose Down
DROP TABLE media;
DROP FUNCTION media_append_only();
