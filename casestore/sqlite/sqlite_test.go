package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/shopspring/decimal"
)

// openFile opens and migrates a store on a new file in t's temp dir.
func openFile(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate %s: %v", path, err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) casestore.Store {
		return openFile(t, filepath.Join(t.TempDir(), "incassobot.db"))
	})
}

func TestConformanceInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) casestore.Store {
		return openFile(t, ":memory:")
	})
}

func decimalOf(t testing.TB, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
