package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// The durable job queue of the follow-ups (bot/followup) is River
// (github.com/riverqueue/river) in this database: its tables are migrated
// with the store's own, and a job is inserted in the transaction of the
// fact that causes it, through RiverTx.

// RiverDriver is River's driver on the store's pool.
func (s *Store) RiverDriver() *riverpgxv5.Driver { return riverpgxv5.New(s.pool) }

// migrateRiver brings River's tables up to date; Migrate calls it under
// the migration lock, as the role that migrates.
func (s *Store) migrateRiver(ctx context.Context) error {
	m, err := rivermigrate.New(s.RiverDriver(), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("postgres: migrate river: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("postgres: migrate river: %w", err)
	}
	for _, v := range res.Versions {
		slog.InfoContext(ctx, "postgres: river schema migrated", "version", v.Version, "name", v.Name)
	}
	return nil
}

// errNotInTx: a job can only be inserted inside Store.InTx, where the fact
// that causes it is written.
var errNotInTx = errors.New("postgres: river: not inside InTx")

// RiverTx is the pgx.Tx River inserts through for tx, a casestore.Tx that
// Store.InTx handed out: the job commits or rolls back with everything
// else fn wrote.
func RiverTx(tx casestore.Tx) (pgx.Tx, error) {
	t, ok := tx.(*txn)
	if !ok || !t.inTx {
		return nil, errNotInTx
	}
	l, ok := t.tx.(*lazyTx)
	if !ok {
		return nil, errNotInTx
	}
	return &riverTx{l: l}, nil
}

// riverTx shows the store's lazy transaction to River as a pgx.Tx. River
// only runs statements on it; committing and rolling back stay the
// store's (Commit and Rollback refuse), and a nested transaction is a
// savepoint.
type riverTx struct {
	l     *lazyTx
	depth int // 0: the store's transaction; >0: a savepoint
	done  bool
}

var _ pgx.Tx = (*riverTx)(nil)

func (r *riverTx) begin(ctx context.Context) error {
	if r.l.begun {
		return nil
	}
	_, err := r.l.Exec(ctx, "SELECT 1")
	return err
}

func (r *riverTx) savepoint() string { return fmt.Sprintf("river_sp_%d", r.depth) }

func (r *riverTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := r.begin(ctx); err != nil {
		return nil, err
	}
	n := &riverTx{l: r.l, depth: r.depth + 1}
	if _, err := r.l.conn.Exec(ctx, "SAVEPOINT "+n.savepoint()); err != nil {
		return nil, err
	}
	return n, nil
}

func (r *riverTx) Commit(ctx context.Context) error {
	if r.depth == 0 {
		return errors.New("postgres: river: the store commits its own transaction")
	}
	if r.done {
		return pgx.ErrTxClosed
	}
	r.done = true
	_, err := r.l.conn.Exec(ctx, "RELEASE SAVEPOINT "+r.savepoint())
	return err
}

func (r *riverTx) Rollback(ctx context.Context) error {
	if r.depth == 0 {
		return errors.New("postgres: river: the store rolls back its own transaction")
	}
	if r.done {
		return pgx.ErrTxClosed
	}
	r.done = true
	_, err := r.l.conn.Exec(ctx, "ROLLBACK TO SAVEPOINT "+r.savepoint())
	return err
}

func (r *riverTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	if err := r.begin(ctx); err != nil {
		return 0, err
	}
	return r.l.conn.CopyFrom(ctx, table, cols, src)
}

func (r *riverTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return r.l.SendBatch(ctx, b)
}

func (r *riverTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

func (r *riverTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := r.begin(ctx); err != nil {
		return nil, err
	}
	return r.l.conn.Conn().Prepare(ctx, name, sql)
}

func (r *riverTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return r.l.Exec(ctx, sql, args...)
}

func (r *riverTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return r.l.Query(ctx, sql, args...)
}

func (r *riverTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return r.l.QueryRow(ctx, sql, args...)
}

func (r *riverTx) Conn() *pgx.Conn { return r.l.conn.Conn() }
