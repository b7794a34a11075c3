package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// emptyBody is the body of an entry that carries none.
var emptyBody = json.RawMessage(`{}`)

// jsonObject reports whether b is one JSON object, as the schema requires.
func jsonObject(b []byte) bool {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return false
	}
	_, ok := v.(map[string]any)
	return ok
}

func (t *txn) AppendDossier(ctx context.Context, e *casestore.DossierEntry) error {
	args, err := t.dossierArgs(e)
	if err != nil {
		return err
	}
	var stored string
	err = t.tx.QueryRow(ctx, appendDossier, args...).Scan(&e.ID, &stored, &e.Seq, &e.Hash)
	return appended(e, args, stored, err)
}

// appendDossier inserts one entry as the next link of its case's hash
// chain, in one statement: the upsert of the case's head computes the
// entry's hash from the head's (dossier_entry_hash, migration 00011) and
// holds the head's row lock until commit, so concurrent appends to one
// case queue there and each chains from the one before; in READ COMMITTED
// ON CONFLICT DO UPDATE sees the head as the committed winner left it.
// Inserting from the case row turns an unknown case into "no row" without
// aborting an InTx. The body comes back as jsonb keeps it, so the entry in
// hand reads the same as every later read, and is what the hash covers.
const appendDossier = `
	WITH head AS (
		INSERT INTO dossier_heads AS h (case_id, seq, hash)
		SELECT id, 1, dossier_entry_hash('', id, 1, $2, $3, $4, $6, $5::jsonb::text) FROM cases WHERE id = $1
		ON CONFLICT (case_id) DO UPDATE SET seq = h.seq + 1,
			hash = dossier_entry_hash(h.hash, h.case_id, h.seq + 1, $2, $3, $4, $6, $5::jsonb::text)
		RETURNING case_id, seq, hash)
	INSERT INTO dossier (case_id, seq, hash, kind, actor, channel, body, at)
	SELECT case_id, seq, hash, $2, $3, $4, $5::jsonb, $6 FROM head
	RETURNING id, body::text, seq, hash`

// dossierArgs checks e and returns appendDossier's arguments.
func (t *txn) dossierArgs(e *casestore.DossierEntry) ([]any, error) {
	if e.Kind == "" {
		return nil, invalid("dossier of case %d: entry kind is empty", e.CaseID)
	}
	body := e.Body
	if len(body) == 0 {
		body = emptyBody
	}
	if !jsonObject(body) {
		// The body is the debtor's data: say what is wrong, not what it is.
		return nil, invalid("dossier of case %d: %s entry body is not a JSON object", e.CaseID, e.Kind)
	}
	// PostgreSQL rounds to the microsecond; truncating first keeps the
	// instant in hand equal to the one stored.
	at := e.At.UTC().Truncate(time.Microsecond)
	if e.At.IsZero() {
		at = t.now()
	}
	return []any{e.CaseID, e.Kind, e.Actor, e.Channel, string(body), at}, nil
}

// appended finishes e after appendDossier with args returned stored (the
// body) or err.
func appended(e *casestore.DossierEntry, args []any, stored string, err error) error {
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("dossier of case %d", e.CaseID))
	}
	e.Body, e.At = json.RawMessage(stored), args[5].(time.Time)
	return nil
}

// AppendBatch appends entries to the dossier in order, as AppendDossier
// would one by one, and then puts out in the outbox, as EnqueueOutbound
// would: all in one round trip. A message turn writes three to ten rows,
// and a round trip each was most of its time (docs/BENCHMARKS.md). Meant
// for InTx: after an error, some of the rows may be written, and the
// caller rolls back.
func (t *txn) AppendBatch(ctx context.Context, entries []*casestore.DossierEntry, out []*casestore.OutboundMessage) error {
	batch := &pgx.Batch{}
	for _, e := range entries {
		args, err := t.dossierArgs(e)
		if err != nil {
			return err
		}
		batch.Queue(appendDossier, args...).QueryRow(func(row pgx.Row) error {
			var stored string
			err := row.Scan(&e.ID, &stored, &e.Seq, &e.Hash)
			return appended(e, args, stored, err)
		})
	}
	now := t.now()
	for _, m := range out {
		if err := m.Validate(); err != nil {
			return err
		}
		options := m.Options
		if options == nil {
			options = []string{} // JSON [] rather than null
		}
		next := instant(m.NextAttempt)
		if m.NextAttempt.IsZero() {
			next = now
		}
		batch.Queue(enqueueOutbound,
			m.Channel, m.To, optCaseID(m.CaseID), m.Text, options, m.AskPhone, m.Automated, m.BotReply, next, now,
		).QueryRow(func(row pgx.Row) error {
			if err := row.Scan(&m.ID); err != nil {
				return enqueueError(m, err)
			}
			enqueued(m, next, now)
			return nil
		})
	}
	if batch.Len() == 0 {
		return nil
	}
	return t.tx.SendBatch(ctx, batch).Close()
}

// likeEscaper makes every character of a search literal for ILIKE, whose
// escape character is the backslash.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// dossierQuery builds the SQL for q. Only the filters q uses are in it,
// so every query can walk the (case_id, id DESC) index.
func dossierQuery(caseID int64, q casestore.DossierQuery) (string, []any) {
	var sb strings.Builder
	args := []any{caseID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	sb.WriteString(`SELECT id, case_id, kind, actor, channel, body::text, at FROM dossier WHERE case_id = $1`)
	if q.BeforeID > 0 {
		sb.WriteString(` AND id < ` + arg(q.BeforeID))
	}
	if len(q.Kinds) > 0 {
		kinds := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			kinds[i] = string(k)
		}
		sb.WriteString(` AND kind = ANY(` + arg(kinds) + `)`)
	}
	if q.Search != "" {
		sb.WriteString(` AND body::text ILIKE ` + arg("%"+likeEscaper.Replace(q.Search)+"%"))
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	sb.WriteString(` ORDER BY id DESC LIMIT ` + arg(limit))
	return sb.String(), args
}

// scanEntry reads a dossier row selected as id, case_id, kind, actor,
// channel, body::text, at.
func scanEntry(row pgx.CollectableRow) (casestore.DossierEntry, error) {
	var e casestore.DossierEntry
	var body string
	err := row.Scan(&e.ID, &e.CaseID, &e.Kind, &e.Actor, &e.Channel, &body, &e.At)
	e.Body, e.At = json.RawMessage(body), e.At.UTC()
	return e, err
}

func (t *txn) Dossier(ctx context.Context, caseID int64, q casestore.DossierQuery) ([]casestore.DossierEntry, error) {
	if q.Limit < 0 || q.BeforeID < 0 {
		return nil, invalid("dossier of case %d: negative limit or position", caseID)
	}
	sql, args := dossierQuery(caseID, q)
	rows, err := t.tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("dossier of case %d", caseID))
	}
	entries, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("dossier of case %d", caseID))
	}
	if len(entries) == 0 {
		if err := t.caseExists(ctx, caseID); err != nil {
			return nil, err
		}
	}
	return entries, nil
}
