// Package pgstoretest gives a test a PostgreSQL store of its own with the
// newest schema already in place: its database is a copy (CREATE DATABASE
// ... TEMPLATE) of a template migrated once per schema and server, instead
// of a fresh database migrated for every test. Tests of migrating itself
// use pgtest.NewDatabase and Migrate.
package pgstoretest

import (
	"context"
	"testing"

	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
)

// template is the migrated schema of this binary's migrations.
var template = pgtest.Template{
	Key: "schema_" + postgres.MigrationsDigest(),
	Build: func(ctx context.Context, url string) error {
		s, err := postgres.Open(ctx, url)
		if err != nil {
			return err
		}
		defer s.Close()
		return s.Migrate(ctx)
	},
}

// URL returns the URL of a migrated database of t's own, dropped when t
// ends. A missing server skips t, or fails it under CI=true (pgtest).
func URL(t testing.TB) string {
	t.Helper()
	return pgtest.NewDatabaseFrom(t, template)
}

// Open opens a store on URL(t), closed when t ends.
func Open(t testing.TB) *postgres.Store {
	t.Helper()
	s, _ := OpenAt(t)
	return s
}

// OpenAt is Open that also returns the database's URL, for tests that go
// around the store.
func OpenAt(t testing.TB) (*postgres.Store, string) {
	t.Helper()
	url := URL(t)
	if url == "" {
		return nil, "" // skipped (only reached when t does not stop)
	}
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("pgstoretest: open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, url
}
