-- The dossier becomes a hash chain per case (casestore/chain.go): every
-- entry carries its number within the case (seq) and the hash over its
-- content and the previous entry's hash. dossier_heads is where each
-- case's chain stands; appending updates it in the same statement, which
-- also serialises concurrent appends to one case (the row lock), so they
-- still form one chain.
--
-- Entries written before this version get their chain here, in the order
-- they were appended (by id), so `incassobot dossier verify` covers them
-- too: it vouches for them from this migration on, not before.

-- +goose Up
-- dossier_entry_hash is casestore.EntryHash, in SQL. Keep them equal: the
-- conformance suite verifies PostgreSQL's chains with the Go function.
-- +goose StatementBegin
CREATE FUNCTION dossier_entry_hash(prev text, case_id bigint, seq bigint, kind text, actor text,
                                   channel text, at timestamptz, body text)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT encode(sha256(convert_to(
        'incassobot-dossier-v1' || E'\n' || prev || E'\n' || case_id || E'\n' || seq || E'\n' ||
        octet_length(kind) || ':' || kind || E'\n' ||
        octet_length(actor) || ':' || actor || E'\n' ||
        octet_length(channel) || ':' || channel || E'\n' ||
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '000Z' || E'\n' ||
        octet_length(body) || ':' || body || E'\n', 'UTF8')), 'hex')
$$;
-- +goose StatementEnd

CREATE TABLE dossier_heads (
    case_id bigint PRIMARY KEY REFERENCES cases (id),
    seq     bigint NOT NULL CHECK (seq > 0),
    hash    text   NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

ALTER TABLE dossier ADD COLUMN seq bigint, ADD COLUMN hash text;

ALTER TABLE dossier DISABLE TRIGGER dossier_no_update_delete;
-- +goose StatementBegin
DO $$
DECLARE
    e record;
    cur bigint := 0;
    n bigint := 0;
    h text := '';
BEGIN
    FOR e IN SELECT id, case_id, kind, actor, channel, body::text AS body, at FROM dossier ORDER BY case_id, id LOOP
        IF e.case_id <> cur THEN
            IF cur <> 0 THEN
                INSERT INTO dossier_heads (case_id, seq, hash) VALUES (cur, n, h);
            END IF;
            cur := e.case_id; n := 0; h := '';
        END IF;
        n := n + 1;
        h := dossier_entry_hash(h, e.case_id, n, e.kind, e.actor, e.channel, e.at, e.body);
        UPDATE dossier SET seq = n, hash = h WHERE id = e.id;
    END LOOP;
    IF cur <> 0 THEN
        INSERT INTO dossier_heads (case_id, seq, hash) VALUES (cur, n, h);
    END IF;
END;
$$;
-- +goose StatementEnd
ALTER TABLE dossier ENABLE TRIGGER dossier_no_update_delete;

ALTER TABLE dossier ALTER COLUMN seq SET NOT NULL, ALTER COLUMN hash SET NOT NULL,
    ADD CONSTRAINT dossier_hash_check CHECK (hash ~ '^[0-9a-f]{64}$');
CREATE UNIQUE INDEX dossier_case_seq_key ON dossier (case_id, seq);

-- +goose Down
DROP INDEX dossier_case_seq_key;
ALTER TABLE dossier DROP CONSTRAINT dossier_hash_check, DROP COLUMN hash, DROP COLUMN seq;
DROP TABLE dossier_heads;
DROP FUNCTION dossier_entry_hash(text, bigint, bigint, text, text, text, timestamptz, text);
