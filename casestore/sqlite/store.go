package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

var _ casestore.Store = (*Store)(nil)

// Store is a casestore.Store on one SQLite file.
type Store struct {
	// Now is the clock for CreatedAt, UpdatedAt and dossier At when the
	// caller gives none; time.Now when nil. Set it before first use.
	Now func() time.Time

	path string
	w    *sql.DB // the one writer connection: writers queue here, never on SQLITE_BUSY
	r    *sql.DB // readers; the same pool as w for an in-memory database
}

// busyTimeoutMS bounds how long a connection waits for a lock held by
// another process (a second binary, the migrate command) before failing.
const busyTimeoutMS = 10000

// Open opens (creating if needed) the SQLite database at path. A path of
// ":memory:" (or a file: URI with mode=memory) gives a private in-memory
// database on one connection, for demos; tests use a file. Call Migrate
// before use.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: open: empty path: %w", casestore.ErrInvalid)
	}
	s := &Store{path: path}
	w, err := sql.Open("sqlite", dsn(path,
		"busy_timeout("+fmt.Sprint(busyTimeoutMS)+")", "foreign_keys(1)", "journal_mode(WAL)")+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// One writer connection that is never closed while idle: for a memory
	// database it IS the database, for a file it serialises writers.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s.w, s.r = w, w
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if inMemory(path) {
		return s, nil
	}
	r, err := sql.Open("sqlite", dsn(path,
		"busy_timeout("+fmt.Sprint(busyTimeoutMS)+")", "foreign_keys(1)", "query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	return s, nil
}

func inMemory(path string) bool {
	return path == ":memory:" || strings.Contains(path, "mode=memory")
}

// dsn adds connection pragmas to path (which may already carry a query).
func dsn(path string, pragmas ...string) string {
	var b strings.Builder
	b.WriteString(path)
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	for _, p := range pragmas {
		b.WriteString(sep + "_pragma=" + p)
		sep = "&"
	}
	return b.String()
}

// Migrate brings the schema up to the newest embedded migration.
func (s *Store) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.w, fsys, goose.WithGoMigrations(chainMigration))
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", s.path, err)
	}
	return s.migrateRiver(ctx)
}

// Ping reports whether the database file can be read.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping %s: %w", s.path, err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// write runs fn in one writer transaction: begin, rollback unless
// committed, commit. Every Store write method goes through it.
func (s *Store) write(ctx context.Context, fn func(t *txn) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", translate(err))
	}
	defer tx.Rollback()
	if err := fn(&txn{tx: tx, now: s.now}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", translate(err))
	}
	return nil
}

// read runs fn in one read-only transaction, so a case and its invoices
// are read from the same snapshot.
func (s *Store) read(ctx context.Context, fn func(t *txn) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", translate(err))
	}
	defer tx.Rollback()
	return fn(&txn{tx: tx, now: s.now})
}

// InTx runs fn in one writer transaction: committed when fn returns nil,
// rolled back when it returns an error (returned unchanged) or panics (the
// deferred rollback runs, then the panic goes on up). fn must use only its
// tx argument: a call on the Store itself would wait for the writer
// connection fn is holding.
func (s *Store) InTx(ctx context.Context, fn func(tx casestore.Tx) error) error {
	return s.write(ctx, func(t *txn) error { return fn(t) })
}

// translate turns driver errors into the domain's sentinels, keeping the
// driver's message for the log.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", casestore.ErrNotFound, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			return fmt.Errorf("%w: %w", casestore.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("%w: %w", casestore.ErrInvalid, err)
		}
	}
	return err
}
