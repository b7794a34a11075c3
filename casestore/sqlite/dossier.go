package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// jsonObject reports whether b is one well-formed JSON object.
func jsonObject(b []byte) bool {
	trimmed := bytes.TrimSpace(b)
	return json.Valid(trimmed) && len(trimmed) > 0 && trimmed[0] == '{'
}

// AppendDossier stores the entry's body bytes as given, so what was
// recorded reads back exactly; there is no statement that changes them.
func (t *txn) AppendDossier(ctx context.Context, e *casestore.DossierEntry) error {
	if len(bytes.TrimSpace(e.Body)) == 0 {
		e.Body = json.RawMessage(`{}`)
	}
	switch {
	case e.Kind == "":
		return fmt.Errorf("dossier entry on case %d: kind is empty: %w", e.CaseID, casestore.ErrInvalid)
	case !jsonObject(e.Body):
		return fmt.Errorf("dossier entry %s on case %d: body is not a JSON object: %w", e.Kind, e.CaseID, casestore.ErrInvalid)
	}
	// The head is the one extra read, and stands for the case's existence
	// check; SQLite has one writer, so no other append can come between.
	head, err := t.dossierHead(ctx, e.CaseID)
	if err != nil {
		return fmt.Errorf("dossier entry: %w", err)
	}
	if e.At.IsZero() {
		e.At = t.now()
	}
	e.At = e.At.UTC()
	e.Seq = head.Seq + 1
	e.Hash = casestore.EntryHash(head.Hash, e.CaseID, e.Seq, e.Kind, e.Actor, e.Channel, e.At, e.Body)
	err = t.tx.QueryRowContext(ctx, `
		INSERT INTO dossier (case_id, seq, hash, kind, actor, channel, body, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.CaseID, e.Seq, e.Hash, string(e.Kind), string(e.Actor), e.Channel, string(e.Body), encInstant(e.At)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("sqlite: append dossier entry: %w", translate(err))
	}
	_, err = t.exec(ctx, "advance the dossier head", `
		INSERT INTO dossier_heads (case_id, seq, hash) VALUES (?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, e.CaseID, e.Seq, e.Hash)
	return err
}

// Dossier pages newest first on the (case_id, id DESC) index. Search uses
// instr over lower(): case-insensitive for ASCII, and '%' or '_' in the
// search text are plain characters.
func (t *txn) Dossier(ctx context.Context, caseID int64, q casestore.DossierQuery) ([]casestore.DossierEntry, error) {
	if err := t.caseExists(ctx, caseID); err != nil {
		return nil, fmt.Errorf("dossier: %w", err)
	}
	var where strings.Builder
	args := []any{caseID}
	where.WriteString(`case_id = ?`)
	if q.BeforeID > 0 {
		where.WriteString(` AND id < ?`)
		args = append(args, q.BeforeID)
	}
	if len(q.Kinds) > 0 {
		where.WriteString(` AND kind IN (?` + strings.Repeat(`, ?`, len(q.Kinds)-1) + `)`)
		for _, k := range q.Kinds {
			args = append(args, string(k))
		}
	}
	if q.Search != "" {
		where.WriteString(` AND instr(lower(body), lower(?)) > 0`)
		args = append(args, q.Search)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit)
	rows, err := t.tx.QueryContext(ctx, `
		SELECT id, kind, actor, channel, body, at FROM dossier
		WHERE `+where.String()+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: dossier of case %d: %w", caseID, err)
	}
	defer rows.Close()
	out := []casestore.DossierEntry{}
	for rows.Next() {
		e := casestore.DossierEntry{CaseID: caseID}
		var body, at string
		if err := rows.Scan(&e.ID, &e.Kind, &e.Actor, &e.Channel, &body, &at); err != nil {
			return nil, err
		}
		e.Body = json.RawMessage(body)
		if e.At, err = decInstant(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
