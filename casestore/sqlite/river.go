package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/incassobot/incassobot/casestore"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// The durable job queue of the follow-ups (bot/followup) is River in this
// file, through its SQLite driver on the store's one writer connection
// (River's advice for SQLite, and the store's own rule: writers queue,
// never SQLITE_BUSY). Its tables are migrated with the store's own.

// RiverDriver is River's driver on the store's writer pool.
func (s *Store) RiverDriver() *riversqlite.Driver { return riversqlite.New(s.w) }

func (s *Store) migrateRiver(ctx context.Context) error {
	m, err := rivermigrate.New(s.RiverDriver(), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("sqlite: migrate river: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("sqlite: migrate river %s: %w", s.path, err)
	}
	return nil
}

// RiverTx is the *sql.Tx River inserts through for tx, a casestore.Tx
// handed out by Store.InTx: the job commits or rolls back with the rest.
func RiverTx(tx casestore.Tx) (*sql.Tx, error) {
	t, ok := tx.(*txn)
	if !ok || t.tx == nil {
		return nil, errors.New("sqlite: river: not inside InTx")
	}
	return t.tx, nil
}
