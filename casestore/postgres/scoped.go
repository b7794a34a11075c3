package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// The creditors' reads (casestore.Scoped). The scope is a condition in
// every statement — "c.creditor_id = $n unless the reader sees all" — so
// another creditor's case never leaves the database for a creditor user.

// inScope is the SQL condition on alias c for a scope, with its two
// arguments: (all bool, creditor id). A scope that sees nothing passes
// (false, 0), which no case matches.
const inScope = `(%s::boolean OR c.creditor_id = %s::bigint)`

func scopeArgs(s casestore.Scope) (bool, int64) {
	id, all := s.Creditor()
	return all, id
}

// sqlArgs collects positional arguments and hands out their $n.
type sqlArgs []any

func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

func (a *sqlArgs) scope(s casestore.Scope) string {
	all, id := scopeArgs(s)
	return fmt.Sprintf(inScope, a.add(all), a.add(id))
}

func (t *txn) CasesIn(ctx context.Context, s casestore.Scope, q casestore.CaseQuery) (casestore.CasePage, error) {
	page := casestore.CasePage{Cases: []casestore.CaseSummary{}}
	if err := q.Validate(); err != nil {
		return page, err
	}
	if s.SeesNothing() {
		return page, nil
	}
	var args sqlArgs
	where := []string{args.scope(s)}
	if q.Status != "" {
		where = append(where, `c.status = `+args.add(string(q.Status)))
	}
	if q.Stage != "" {
		where = append(where, `c.stage = `+args.add(string(q.Stage)))
	}
	if q.Search != "" {
		p := args.add("%" + likeEscaper.Replace(q.Search) + "%")
		where = append(where, `(c.ref ILIKE `+p+` OR d.name ILIKE `+p+`)`)
	}
	if q.Disputed {
		where = append(where, `EXISTS (SELECT 1 FROM disputes x WHERE x.case_id = c.id AND x.status = 'open')`)
	}
	cond := ` WHERE ` + strings.Join(where, ` AND `)
	err := t.tx.QueryRow(ctx, `SELECT count(*) FROM cases c JOIN debtors d ON d.id = c.debtor_id`+cond, args...).Scan(&page.Total)
	if err != nil {
		return page, dbError(err, casestore.ErrNotFound, "count cases in scope")
	}
	limit := args.add(q.PageLimit())
	offset := args.add(q.Offset)
	cases, err := t.loadCases(ctx, cond+` ORDER BY c.ref, c.id LIMIT `+limit+` OFFSET `+offset, args...)
	if err != nil {
		return page, err
	}
	if len(cases) == 0 {
		return page, nil
	}
	return page, t.summarise(ctx, cases, &page)
}

// summarise adds each case's open disputes and newest plan, in one query.
func (t *txn) summarise(ctx context.Context, cases []*casestore.Case, page *casestore.CasePage) error {
	ids := make([]int64, len(cases))
	at := make(map[int64]int, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
		at[c.ID] = i
		page.Cases = append(page.Cases, casestore.CaseSummary{Case: c})
	}
	rows, err := t.tx.Query(ctx, `
		SELECT c.id,
			(SELECT count(*) FROM disputes x WHERE x.case_id = c.id AND x.status = 'open'),
			COALESCE((SELECT p.status FROM plans p WHERE p.case_id = c.id ORDER BY p.id DESC LIMIT 1), '')
		FROM cases c WHERE c.id = ANY($1)`, ids)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, "summarise cases")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var open int
		var plan string
		if err := rows.Scan(&id, &open, &plan); err != nil {
			return dbError(err, casestore.ErrNotFound, "summarise cases")
		}
		sum := &page.Cases[at[id]]
		sum.OpenDisputes, sum.Plan = open, casestore.PlanStatus(plan)
	}
	return dbError(rows.Err(), casestore.ErrNotFound, "summarise cases")
}

// caseIDIn is the id of case ref when s sees it, else ErrNotFound.
func (t *txn) caseIDIn(ctx context.Context, s casestore.Scope, ref string) (int64, error) {
	if s.SeesNothing() {
		return 0, casestore.ErrNotFound
	}
	var args sqlArgs
	r := args.add(ref)
	var id int64
	err := t.tx.QueryRow(ctx, `SELECT c.id FROM cases c WHERE lower(c.ref) = lower(`+r+`) AND `+args.scope(s), args...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, casestore.ErrNotFound
	}
	return id, dbError(err, casestore.ErrNotFound, "find case in scope")
}

func (t *txn) CaseIn(ctx context.Context, s casestore.Scope, ref string) (*casestore.CaseFile, error) {
	id, err := t.caseIDIn(ctx, s, ref)
	if err != nil {
		return nil, fmt.Errorf("case %q: %w", ref, err)
	}
	// From here on the id is one the scoped lookup gave, in the same
	// transaction: the ordinary per-case reads cannot stray.
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

// DossierIn joins the dossier to its case, so the scope and the dossier
// number are conditions of the one query that reads the entries. Search
// looks at the string values of the body (jsonb_path_query over every
// level), not its keys: "text" finds a debtor who wrote "text", not every
// message.
func (t *txn) DossierIn(ctx context.Context, s casestore.Scope, ref string, q casestore.DossierQuery) ([]casestore.DossierEntry, error) {
	if err := casestore.ValidateScopedDossier(q); err != nil {
		return nil, err
	}
	id, err := t.caseIDIn(ctx, s, ref)
	if err != nil {
		return nil, fmt.Errorf("dossier of case %q: %w", ref, err)
	}
	var args sqlArgs
	var sb strings.Builder
	r := args.add(ref)
	sb.WriteString(`SELECT e.id, e.case_id, e.kind, e.actor, e.channel, e.body::text, e.at
		FROM dossier e JOIN cases c ON c.id = e.case_id
		WHERE e.case_id = ` + args.add(id) + ` AND lower(c.ref) = lower(` + r + `) AND ` + args.scope(s))
	if q.BeforeID > 0 {
		sb.WriteString(` AND e.id < ` + args.add(q.BeforeID))
	}
	if !s.SeesNotes() {
		sb.WriteString(` AND e.kind <> ` + args.add(string(casestore.EntryNote)))
	}
	if len(q.Kinds) > 0 {
		kinds := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			kinds[i] = string(k)
		}
		sb.WriteString(` AND e.kind = ANY(` + args.add(kinds) + `)`)
	}
	if q.Search != "" {
		sb.WriteString(` AND EXISTS (SELECT 1 FROM jsonb_path_query(e.body, 'strict $.**') v
			WHERE jsonb_typeof(v) = 'string' AND (v #>> '{}') ILIKE ` +
			args.add("%"+likeEscaper.Replace(q.Search)+"%") + `)`)
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	sb.WriteString(` ORDER BY e.id DESC LIMIT ` + args.add(limit))
	rows, err := t.tx.Query(ctx, sb.String(), args...)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("dossier of case %q", ref))
	}
	entries, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("dossier of case %q", ref))
	}
	if entries == nil {
		entries = []casestore.DossierEntry{}
	}
	return entries, nil
}

func (t *txn) MediaIn(ctx context.Context, s casestore.Scope, ref string, id int64) (*casestore.Media, error) {
	if s.SeesNothing() {
		return nil, fmt.Errorf("media file %d: %w", id, casestore.ErrNotFound)
	}
	var args sqlArgs
	var data []byte
	q := `SELECT m.id, m.case_id, m.channel, m.content_type, m.size, m.sha256, m.created_at, m.data
		FROM media m JOIN cases c ON c.id = m.case_id
		WHERE m.id = ` + args.add(id) + ` AND lower(c.ref) = lower(` + args.add(ref) + `) AND ` + args.scope(s)
	m, err := scanMedia(t.tx.QueryRow(ctx, q, args...), &data)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("media file %d of case %q", id, ref))
	}
	m.Data = data
	return m, nil
}

// The Store's scoped reads: each one read-only transaction, so a case
// file's several statements see one moment.

func (s *Store) CasesIn(ctx context.Context, sc casestore.Scope, q casestore.CaseQuery) (casestore.CasePage, error) {
	return get(ctx, s, func(t *txn) (casestore.CasePage, error) { return t.CasesIn(ctx, sc, q) })
}

func (s *Store) CaseIn(ctx context.Context, sc casestore.Scope, ref string) (*casestore.CaseFile, error) {
	return get(ctx, s, func(t *txn) (*casestore.CaseFile, error) { return t.CaseIn(ctx, sc, ref) })
}

func (s *Store) DossierIn(ctx context.Context, sc casestore.Scope, ref string, q casestore.DossierQuery) ([]casestore.DossierEntry, error) {
	return get(ctx, s, func(t *txn) ([]casestore.DossierEntry, error) { return t.DossierIn(ctx, sc, ref, q) })
}

func (s *Store) MediaIn(ctx context.Context, sc casestore.Scope, ref string, id int64) (*casestore.Media, error) {
	return get(ctx, s, func(t *txn) (*casestore.Media, error) { return t.MediaIn(ctx, sc, ref, id) })
}
