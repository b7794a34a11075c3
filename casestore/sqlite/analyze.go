package sqlite

import (
	"context"
	"fmt"
	"strings"
)

// Analyze refreshes SQLite's statistics (sqlite_stat1) of the named
// tables after a bulk load, so its planner picks indexes by what the
// tables hold now. A name that is no table here is passed over; skipped
// is always empty (the file's owner may analyze every table).
func (s *Store) Analyze(ctx context.Context, tables ...string) (skipped []string, err error) {
	err = s.write(ctx, func(t *txn) error {
		for _, name := range tables {
			var n int
			if err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n); err != nil {
				return fmt.Errorf("sqlite: analyze: %w", translate(err))
			}
			if n == 0 {
				continue
			}
			if _, err := t.tx.ExecContext(ctx, `ANALYZE "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
				return fmt.Errorf("sqlite: analyze %s: %w", name, translate(err))
			}
		}
		return nil
	})
	return skipped, err
}
