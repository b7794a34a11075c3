package pgstoretest_test

import (
	"context"
	"testing"

	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/jackc/pgx/v5"
)

// Each test gets a database of its own with the whole schema: what one
// test writes, another never sees, and Migrate has nothing left to do.
func TestCopiesAreMigratedAndOwn(t *testing.T) {
	ctx := context.Background()
	a, urlA := pgstoretest.OpenAt(t)
	b, urlB := pgstoretest.OpenAt(t)
	if urlA == urlB {
		t.Fatalf("two stores on the same database %s", urlA)
	}
	version := func(url string) int64 {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var v int64
		if err := conn.QueryRow(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version(urlA)
	if before == 0 {
		t.Fatalf("copy has no migrations applied")
	}
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if after := version(urlA); after != before {
		t.Errorf("Migrate on a copy went from version %d to %d: the template is not up to date", before, after)
	}
	c := storetest.NewCase(t, a, "IB-OWN")
	if _, err := b.Case(ctx, c.ID); err == nil {
		t.Errorf("a case stored in one test's database is visible in another's")
	}
	if _, err := a.Case(ctx, c.ID); err != nil {
		t.Errorf("case not found where it was stored: %v", err)
	}
}
