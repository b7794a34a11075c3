package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var _ casestore.Store = (*Store)(nil)

// Store is casestore.Store on a pgx connection pool. It is safe for
// concurrent use by any number of goroutines (and instances).
type Store struct {
	pool *pgxpool.Pool

	// Now is the store's clock for the instants it sets itself (CreatedAt,
	// a dossier entry's At). Nil means time.Now.
	Now func() time.Time
}

// Open connects to the database at url (a postgres:// URL or a key=value
// DSN) and checks that it answers. It does not migrate: call Migrate.
// The pool's size comes from the URL's pool_max_conns (pgxpool's default
// is the greater of 4 and the number of CPUs).
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse database url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s: %w", cfg.ConnConfig.Host, err)
	}
	return &Store{pool: pool}, nil
}

// Close waits for connections in use to be returned and closes them all.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// now is the store's clock at the precision PostgreSQL keeps, so that what
// a caller holds after a write equals what it reads back later.
func (s *Store) now() time.Time {
	clock := s.Now
	if clock == nil {
		clock = time.Now
	}
	return clock().UTC().Truncate(time.Microsecond)
}

var (
	// readWrite is PostgreSQL's default, READ COMMITTED: concurrent appends
	// to one dossier or payments on one case do not fail one another.
	readWrite = pgx.TxOptions{}
	// readOnly loads a case and its invoices and payments in several
	// statements that must all see the same moment.
	readOnly = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
)

// maxAttempts bounds the re-runs of a transaction PostgreSQL aborted for a
// deadlock or serialization failure.
const maxAttempts = 5

// InTx runs fn in one transaction: committed when fn returns nil, rolled
// back when it returns an error (returned unchanged) or panics (re-panicked).
func (s *Store) InTx(ctx context.Context, fn func(tx casestore.Tx) error) error {
	return s.run(ctx, readWrite, func(t *txn) error { return fn(t) })
}

// run is the shape of every method: begin, defer rollback, work, commit,
// re-run when PostgreSQL says the transaction lost a race and wrote nothing.
func (s *Store) run(ctx context.Context, opts pgx.TxOptions, fn func(t *txn) error) error {
	for attempt := 1; ; attempt++ {
		err := s.once(ctx, opts, fn)
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		// A short, growing pause lets the transaction that won finish.
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt*attempt) * time.Millisecond):
		}
	}
}

func (s *Store) once(ctx context.Context, opts pgx.TxOptions, fn func(t *txn) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	// Released after the rollback below; a connection left inside a
	// transaction (a failed rollback) is closed by the pool, not reused.
	defer conn.Release()
	tx := &lazyTx{conn: conn, begin: beginSQL(opts)}
	// Also runs when fn panics, so a panicking fn writes nothing; a no-op
	// after Commit. WithoutCancel: a cancelled ctx must still roll back.
	defer tx.rollback(context.WithoutCancel(ctx))
	if err := fn(&txn{tx: tx, now: s.now, inTx: true}); err != nil {
		return err
	}
	if err := tx.commit(ctx); err != nil {
		return dbError(err, casestore.ErrInvalid, "commit")
	}
	return nil
}

// single runs fn, a method that is one SQL statement (or, on a rare path,
// a second one that only tells two errors apart), straight on the pool
// with no BEGIN and COMMIT around it: PostgreSQL runs a lone statement
// atomically on its own, and the two round trips a transaction adds were
// most of what a hot read or an outbox update cost (docs/BENCHMARKS.md).
// Re-run like run when PostgreSQL aborted it for a lost race.
func (s *Store) single(ctx context.Context, fn func(t *txn) error) error {
	for attempt := 1; ; attempt++ {
		err := fn(&txn{tx: s.pool, now: s.now})
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt*attempt) * time.Millisecond):
		}
	}
}

// getSingle is get for a read of one statement (see single).
func getSingle[T any](ctx context.Context, s *Store, fn func(t *txn) (T, error)) (T, error) {
	var out T
	err := s.single(ctx, func(t *txn) error {
		var err error
		out, err = fn(t)
		return err
	})
	return out, err
}

// get runs a read that returns a value in its own read-only transaction.
func get[T any](ctx context.Context, s *Store, fn func(t *txn) (T, error)) (T, error) {
	var out T
	err := s.run(ctx, readOnly, func(t *txn) error {
		var err error
		out, err = fn(t)
		return err
	})
	return out, err
}
