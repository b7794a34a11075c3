package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// lazyTx is a transaction whose BEGIN travels with its first statement,
// in one round trip, instead of costing a round trip of its own as
// pgx.Tx's does: a message's transaction is four round trips, and BEGIN
// was one of five (docs/BENCHMARKS.md). A transaction that runs no
// statement sends nothing at all.
type lazyTx struct {
	conn     *pgxpool.Conn
	begin    string // the BEGIN statement, with isolation and access mode
	begun    bool   // BEGIN has been sent
	finished bool   // COMMIT or ROLLBACK has been sent
}

// beginSQL is the BEGIN statement for opts.
func beginSQL(opts pgx.TxOptions) string {
	var sb strings.Builder
	sb.WriteString("BEGIN")
	if opts.IsoLevel != "" {
		sb.WriteString(" ISOLATION LEVEL " + string(opts.IsoLevel))
	}
	if opts.AccessMode != "" {
		sb.WriteString(" " + string(opts.AccessMode))
	}
	return sb.String()
}

// withBegin returns a batch that runs BEGIN and then b's statements.
func (l *lazyTx) withBegin(b *pgx.Batch) *pgx.Batch {
	nb := &pgx.Batch{}
	nb.Queue(l.begin)
	nb.QueuedQueries = append(nb.QueuedQueries, b.QueuedQueries...)
	return nb
}

func (l *lazyTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if l.begun {
		return l.conn.Exec(ctx, sql, args...)
	}
	l.begun = true
	b := &pgx.Batch{}
	var tag pgconn.CommandTag
	b.Queue(sql, args...).Exec(func(ct pgconn.CommandTag) error { tag = ct; return nil })
	err := l.conn.SendBatch(ctx, l.withBegin(b)).Close()
	return tag, err
}

// Query sends BEGIN on its own when it comes first: rows are read after
// Query returns, which a batch cannot wait for. No method starts with one.
func (l *lazyTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if !l.begun {
		l.begun = true
		if _, err := l.conn.Exec(ctx, l.begin); err != nil {
			return nil, err
		}
	}
	return l.conn.Query(ctx, sql, args...)
}

func (l *lazyTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if l.begun {
		return l.conn.QueryRow(ctx, sql, args...)
	}
	return lazyRow{l: l, ctx: ctx, sql: sql, args: args}
}

// lazyRow sends BEGIN and its statement when scanned, as pgx sends a
// QueryRow's statement when scanned too.
type lazyRow struct {
	l    *lazyTx
	ctx  context.Context
	sql  string
	args []any
}

func (r lazyRow) Scan(dest ...any) error {
	if r.l.begun { // another statement went first
		return r.l.conn.QueryRow(r.ctx, r.sql, r.args...).Scan(dest...)
	}
	r.l.begun = true
	b := &pgx.Batch{}
	b.Queue(r.sql, r.args...).QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
	return r.l.conn.SendBatch(r.ctx, r.l.withBegin(b)).Close()
}

func (l *lazyTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if l.begun {
		return l.conn.SendBatch(ctx, b)
	}
	l.begun = true
	br := l.conn.SendBatch(ctx, l.withBegin(b))
	// BEGIN's result first, so the caller reads its own statements' results
	// in its own order; a failed BEGIN shows in every later read.
	_, _ = br.Exec()
	return br
}

// commit commits. Like pgx.Tx.Commit, it fails when PostgreSQL answers
// COMMIT with ROLLBACK: a statement failed and the transaction was
// aborted, even if fn did not pass that error on.
func (l *lazyTx) commit(ctx context.Context) error {
	l.finished = true
	if !l.begun {
		return nil
	}
	// Spelled as pgx.Tx spells them, so that what watches the wire for
	// pgx's commits (the e2e outage test's proxy) sees these too.
	tag, err := l.conn.Exec(ctx, "commit")
	if err != nil {
		return err
	}
	if tag.String() == "ROLLBACK" {
		return pgx.ErrTxCommitRollback
	}
	return nil
}

// rollback ends a transaction commit did not. When it fails, the
// connection is closed, so the pool never hands out one still inside a
// transaction.
func (l *lazyTx) rollback(ctx context.Context) {
	if l.finished || !l.begun {
		return
	}
	l.finished = true
	if _, err := l.conn.Exec(ctx, "rollback"); err != nil {
		_ = l.conn.Conn().Close(ctx)
	}
}
