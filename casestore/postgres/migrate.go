package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// migrations are the schema's versions, applied in order by Migrate. A
// released migration is never edited: a change is a new file.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrateLockID names the advisory lock that lets one instance at a time
// migrate a database; the others wait for it and then find nothing to do.
// Advisory locks are per database, so databases on one server do not wait
// for each other. The number is "incasso" in ASCII.
const migrateLockID int64 = 0x696e6361_73736f

// Migrate brings the schema to the newest version embedded in the binary.
// It is safe to call on every start and from several instances at once:
// they take turns, and each migration is applied once.
func (s *Store) Migrate(ctx context.Context) error {
	// The lock is held around the whole of goose's run, not through goose's
	// SessionLocker: that one covers applying migrations but not goose's
	// first look (HasPending), where instances starting together race to
	// create goose_db_version and the losers sleep a second and retry.
	unlock, err := s.lockMigrations(ctx)
	if err != nil {
		return err
	}
	defer unlock()

	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	// database/sql over the store's own pool: goose needs one.
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	provider, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for _, r := range results {
		slog.InfoContext(ctx, "postgres: schema migrated", "version", r.Source.Version,
			"file", r.Source.Path, "duration", r.Duration)
	}
	return s.migrateRiver(ctx)
}

// lockMigrations waits for the migration lock (or ctx) on a connection of
// its own and returns the function that releases it.
func (s *Store) lockMigrations(ctx context.Context) (unlock func(), err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	// pg_advisory_lock waits in the server and returns the moment the
	// instance holding it is done.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockID); err != nil {
		conn.Release()
		return nil, fmt.Errorf("postgres: migrate: take lock: %w", err)
	}
	return func() {
		bg := context.WithoutCancel(ctx)
		if _, err := conn.Exec(bg, `SELECT pg_advisory_unlock($1)`, migrateLockID); err != nil {
			// Closing the session releases its locks; the pool drops it.
			_ = conn.Conn().Close(bg)
		}
		conn.Release()
	}, nil
}

// MigrationsDigest identifies the schema Migrate builds: a digest of the
// embedded migrations, in lower-case hex. Tests name the template database
// they copy for each test by it (see package pgstoretest).
func MigrationsDigest() string {
	h := sha256.New()
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		panic(err) // embedded at build time: cannot fail
	}
	for _, e := range entries { // ReadDir sorts by name
		b, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(h, "%s %d\n", e.Name(), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}
