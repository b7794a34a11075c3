package sqlitetest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// Each test gets a file of its own with the whole schema: what one test
// writes, another never sees, and Migrate has nothing left to do.
func TestCopiesAreMigratedAndOwn(t *testing.T) {
	ctx := context.Background()
	a := sqlitetest.Open(t)
	b := sqlitetest.OpenAt(t, filepath.Join(t.TempDir(), "b.db"))
	c := storetest.NewCase(t, a, "IB-OWN")
	if _, err := b.Case(ctx, c.ID); err == nil {
		t.Errorf("a case stored in one test's file is visible in another's")
	}
	if _, err := a.Case(ctx, c.ID); err != nil {
		t.Errorf("case not found where it was stored: %v", err)
	}
	for _, s := range []interface{ Migrate(context.Context) error }{a, b} {
		if err := s.Migrate(ctx); err != nil {
			t.Errorf("Migrate on a copy: %v", err)
		}
	}
	m := sqlitetest.OpenAt(t, ":memory:")
	if _, err := m.Case(ctx, c.ID); err == nil {
		t.Errorf("the in-memory store sees another store's case")
	}
	storetest.NewCase(t, m, "IB-MEM")
}
