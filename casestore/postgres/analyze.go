package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Analyze refreshes the planner's statistics of the named tables, as a
// bulk load must: after 100,000 imported cases the planner still believed
// the tables nearly empty and chose plans that made webhooks 13 times
// slower until autovacuum's ANALYZE came round (issue #16). PostgreSQL lets
// only a table's owner analyze it: tables the connected role does not own
// are left alone and returned in skipped (the production split, where the
// schema's owner is MIGRATE_DATABASE_URL's role). A name that is no table
// here is passed over.
func (s *Store) Analyze(ctx context.Context, tables ...string) (skipped []string, err error) {
	rows, err := s.pool.Query(ctx, `
		SELECT c.relname, pg_has_role(c.relowner, 'USAGE') FROM pg_class c
		WHERE c.relname = ANY($1) AND c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid)`, tables)
	if err != nil {
		return nil, fmt.Errorf("postgres: analyze: %w", err)
	}
	var owned []string
	for rows.Next() {
		var name string
		var own bool
		if err := rows.Scan(&name, &own); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: analyze: %w", err)
		}
		if own {
			owned = append(owned, pgx.Identifier{name}.Sanitize())
		} else {
			skipped = append(skipped, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: analyze: %w", err)
	}
	for _, t := range owned {
		if _, err := s.pool.Exec(ctx, "ANALYZE "+t); err != nil {
			return skipped, fmt.Errorf("postgres: analyze %s: %w", t, err)
		}
	}
	return skipped, nil
}
