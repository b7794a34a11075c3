package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/shopspring/decimal"
)

// openFile opens and migrates a store on the file at path: a new file is
// a copy of one migrated once (sqlitetest), an existing one is migrated
// again.
func openFile(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	if _, err := os.Stat(path); path != ":memory:" && errors.Is(err, fs.ErrNotExist) {
		return sqlitetest.OpenAt(t, path)
	}
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
		return openMemory(t)
	})
}

// openMemory opens a private in-memory store holding a migrated database
// (loaded from sqlitetest's image: migrating in memory is tested by
// TestMigrateInMemory).
func openMemory(t testing.TB) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.LoadImage(ctx, sqlitetest.Image(t)); err != nil {
		t.Fatalf("LoadImage: %v", err)
	}
	return s
}

// Migrating a database in memory (the demo's): the schema is there after.
func TestMigrateInMemory(t *testing.T) {
	s := openFile(t, ":memory:")
	storetest.Note(t, s, storetest.NewCase(t, s, "IB-MEM").ID, `{"text":"in het geheugen"}`)
}

func decimalOf(t testing.TB, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestVerifyFindsAnEntryChangedInTheFile: whoever can write the file can
// drop the append-only triggers; the hash chain still tells.
func TestVerifyFindsAnEntryChangedInTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tamper.db")
	s := openFile(t, path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.Exec(query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	storetest.VerifyFindsTampering(t, s, func(id int64, body string) {
		exec(`DROP TRIGGER dossier_no_update`)
		exec(`UPDATE dossier SET body = ? WHERE id = ?`, body, id)
	}, func(id int64) {
		exec(`DROP TRIGGER dossier_no_delete`)
		exec(`DELETE FROM dossier WHERE id = ?`, id)
	})
}
