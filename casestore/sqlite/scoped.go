package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// The creditors' reads (casestore.Scoped). The scope is a condition in
// every statement, so another creditor's case never leaves the database
// for a creditor user. Text search is done in Go rather than with SQLite's
// lower(), which folds ASCII letters only: a creditor searching "élise"
// must find "Élise" here as on PostgreSQL. The embedded store holds a demo
// or a small office's cases, so reading a scope's names is cheap.

// inScope is the condition on alias c, with args (all, creditor id). A
// scope that sees nothing passes (0, 0), which no case matches.
const inScope = `(? = 1 OR c.creditor_id = ?)`

func scopeArgs(s casestore.Scope) []any {
	id, all := s.Creditor()
	a := 0
	if all {
		a = 1
	}
	return []any{a, id}
}

// foldContains reports whether s contains sub, ignoring letter case.
func foldContains(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func (t *txn) CasesIn(ctx context.Context, s casestore.Scope, q casestore.CaseQuery) (casestore.CasePage, error) {
	page := casestore.CasePage{Cases: []casestore.CaseSummary{}}
	if err := q.Validate(); err != nil {
		return page, err
	}
	if s.SeesNothing() {
		return page, nil
	}
	where := []string{inScope}
	args := scopeArgs(s)
	if q.Status != "" {
		where, args = append(where, `c.status = ?`), append(args, string(q.Status))
	}
	if q.Stage != "" {
		where, args = append(where, `c.stage = ?`), append(args, string(q.Stage))
	}
	if q.Disputed {
		where = append(where, `EXISTS (SELECT 1 FROM disputes x WHERE x.case_id = c.id AND x.status = 'open')`)
	}
	rows, err := t.tx.QueryContext(ctx, `
		SELECT c.id, c.ref, d.name FROM cases c JOIN debtors d ON d.id = c.debtor_id
		WHERE `+strings.Join(where, ` AND `)+` ORDER BY c.ref, c.id`, args...)
	if err != nil {
		return page, fmt.Errorf("sqlite: cases in scope: %w", translate(err))
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var ref, name string
		if err := rows.Scan(&id, &ref, &name); err != nil {
			rows.Close()
			return page, err
		}
		if q.Search == "" || foldContains(ref, q.Search) || foldContains(name, q.Search) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Total = len(ids)
	from := min(q.Offset, len(ids))
	to := min(from+q.PageLimit(), len(ids))
	for _, id := range ids[from:to] {
		c, err := t.Case(ctx, id)
		if err != nil {
			return page, err
		}
		sum := casestore.CaseSummary{Case: c}
		var plan sql.NullString
		err = t.tx.QueryRowContext(ctx, `
			SELECT (SELECT count(*) FROM disputes WHERE case_id = ? AND status = 'open'),
				(SELECT status FROM plans WHERE case_id = ? ORDER BY id DESC LIMIT 1)`, id, id).Scan(&sum.OpenDisputes, &plan)
		if err != nil {
			return page, fmt.Errorf("sqlite: summarise case %d: %w", id, translate(err))
		}
		sum.Plan = casestore.PlanStatus(plan.String)
		page.Cases = append(page.Cases, sum)
	}
	return page, nil
}

// caseIDIn is the id of case ref (NOCASE) when s sees it, else ErrNotFound.
func (t *txn) caseIDIn(ctx context.Context, s casestore.Scope, ref string) (int64, error) {
	if s.SeesNothing() {
		return 0, casestore.ErrNotFound
	}
	var id int64
	err := t.tx.QueryRowContext(ctx, `SELECT c.id FROM cases c WHERE c.ref = ? AND `+inScope,
		append([]any{ref}, scopeArgs(s)...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, casestore.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: find case in scope: %w", translate(err))
	}
	return id, nil
}

func (t *txn) CaseIn(ctx context.Context, s casestore.Scope, ref string) (*casestore.CaseFile, error) {
	id, err := t.caseIDIn(ctx, s, ref)
	if err != nil {
		return nil, fmt.Errorf("case %q: %w", ref, err)
	}
	// The id comes from the scoped lookup in this transaction: the
	// ordinary per-case reads below cannot stray.
	f := &casestore.CaseFile{}
	if f.Case, err = t.Case(ctx, id); err != nil {
		return nil, err
	}
	if f.Disputes, err = t.Disputes(ctx, id); err != nil {
		return nil, err
	}
	if f.Plans, err = t.Plans(ctx, id); err != nil {
		return nil, err
	}
	if f.Promises, err = t.Promises(ctx, id); err != nil {
		return nil, err
	}
	if f.Media, err = t.MediaOf(ctx, id); err != nil {
		return nil, err
	}
	return f, nil
}

// DossierIn reads the case's entries newest first, joined to the case so
// the scope is a condition of the query, and keeps those whose body has a
// string value containing q.Search (keys do not count), until it has a page.
func (t *txn) DossierIn(ctx context.Context, s casestore.Scope, ref string, q casestore.DossierQuery) ([]casestore.DossierEntry, error) {
	if err := casestore.ValidateScopedDossier(q); err != nil {
		return nil, err
	}
	id, err := t.caseIDIn(ctx, s, ref)
	if err != nil {
		return nil, fmt.Errorf("dossier of case %q: %w", ref, err)
	}
	where := `e.case_id = ? AND c.ref = ? AND ` + inScope
	args := append([]any{id, ref}, scopeArgs(s)...)
	if q.BeforeID > 0 {
		where, args = where+` AND e.id < ?`, append(args, q.BeforeID)
	}
	if !s.SeesNotes() {
		where, args = where+` AND e.kind <> ?`, append(args, string(casestore.EntryNote))
	}
	if len(q.Kinds) > 0 {
		where += ` AND e.kind IN (?` + strings.Repeat(`, ?`, len(q.Kinds)-1) + `)`
		for _, k := range q.Kinds {
			args = append(args, string(k))
		}
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	query := `SELECT e.id, e.kind, e.actor, e.channel, e.body, e.at
		FROM dossier e JOIN cases c ON c.id = e.case_id WHERE ` + where + ` ORDER BY e.id DESC`
	if q.Search == "" {
		query, args = query+` LIMIT ?`, append(args, limit)
	}
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: dossier of case %q: %w", ref, translate(err))
	}
	defer rows.Close()
	out := []casestore.DossierEntry{}
	for len(out) < limit && rows.Next() {
		e := casestore.DossierEntry{CaseID: id}
		var body, at string
		if err := rows.Scan(&e.ID, &e.Kind, &e.Actor, &e.Channel, &body, &at); err != nil {
			return nil, err
		}
		if q.Search != "" && !bodyMentions([]byte(body), q.Search) {
			continue
		}
		e.Body = json.RawMessage(body)
		if e.At, err = decInstant(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// bodyMentions reports whether a string value anywhere in the JSON body
// contains text, ignoring letter case. Decoding first makes an escaped
// "\u003cscript\u003e" match "<script>", as jsonb does on PostgreSQL.
func bodyMentions(body []byte, text string) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case string:
			return foldContains(x, text)
		case map[string]any:
			for _, y := range x {
				if walk(y) {
					return true
				}
			}
		case []any:
			for _, y := range x {
				if walk(y) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

func (t *txn) MediaIn(ctx context.Context, s casestore.Scope, ref string, id int64) (*casestore.Media, error) {
	if s.SeesNothing() {
		return nil, fmt.Errorf("media file %d: %w", id, casestore.ErrNotFound)
	}
	var data []byte
	row := t.tx.QueryRowContext(ctx, `
		SELECT m.id, m.case_id, m.channel, m.content_type, m.size, m.sha256, m.created_at, m.data
		FROM media m JOIN cases c ON c.id = m.case_id
		WHERE m.id = ? AND c.ref = ? AND `+inScope, append([]any{id, ref}, scopeArgs(s)...)...)
	m, err := scanMedia(row, &data)
	if err != nil {
		return nil, fmt.Errorf("media file %d of case %q: %w", id, ref, translate(err))
	}
	m.Data = data
	return m, nil
}

// The Store's scoped reads: each one read transaction.

func (s *Store) CasesIn(ctx context.Context, sc casestore.Scope, q casestore.CaseQuery) (p casestore.CasePage, err error) {
	err = s.read(ctx, func(t *txn) error { p, err = t.CasesIn(ctx, sc, q); return err })
	return p, err
}

func (s *Store) CaseIn(ctx context.Context, sc casestore.Scope, ref string) (f *casestore.CaseFile, err error) {
	err = s.read(ctx, func(t *txn) error { f, err = t.CaseIn(ctx, sc, ref); return err })
	return f, err
}

func (s *Store) DossierIn(ctx context.Context, sc casestore.Scope, ref string, q casestore.DossierQuery) (es []casestore.DossierEntry, err error) {
	err = s.read(ctx, func(t *txn) error { es, err = t.DossierIn(ctx, sc, ref, q); return err })
	return es, err
}

func (s *Store) MediaIn(ctx context.Context, sc casestore.Scope, ref string, id int64) (m *casestore.Media, err error) {
	err = s.read(ctx, func(t *txn) error { m, err = t.MediaIn(ctx, sc, ref, id); return err })
	return m, err
}
