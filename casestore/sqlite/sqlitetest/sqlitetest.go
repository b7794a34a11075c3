// Package sqlitetest gives a test a SQLite store with the newest schema
// already in place: a copy of a file migrated once per test binary,
// instead of a file migrated for every test (the migrations take a good
// second under the race detector; a copy takes a millisecond). Tests of
// migrating itself use sqlite.Open and Migrate.
package sqlitetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/incassobot/incassobot/casestore/sqlite"
)

var (
	once     sync.Once
	image    []byte // the migrated database file
	imageErr error
)

// migrated returns the bytes of a freshly migrated database file, built on
// first use.
func migrated() ([]byte, error) {
	once.Do(func() {
		dir, err := os.MkdirTemp("", "sqlitetest-")
		if err != nil {
			imageErr = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "template.db")
		ctx := context.Background()
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			imageErr = err
			return
		}
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			imageErr = err
			return
		}
		if err := s.Close(); err != nil {
			imageErr = err
			return
		}
		// Closing the last connection checkpoints the write-ahead log into
		// the file and removes it; a log left behind would hold part of
		// the schema.
		if _, err := os.Stat(path + "-wal"); err == nil {
			imageErr = fmt.Errorf("%s-wal left after close", path)
			return
		}
		image, imageErr = os.ReadFile(path)
	})
	return image, imageErr
}

// Image returns the bytes of a freshly migrated database file (in
// write-ahead-log mode), the same for every call.
func Image(t testing.TB) []byte {
	t.Helper()
	b, err := migrated()
	if err != nil {
		t.Fatalf("sqlitetest: migrate the template: %v", err)
	}
	return b
}

// Open opens a migrated store on a new file in t's temp dir, closed when
// t ends.
func Open(t testing.TB) *sqlite.Store {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "incassobot.db"))
}

// OpenAt is Open on the file at path, which must not exist yet, for tests
// that also reach the file another way. A path of ":memory:" (a private
// in-memory database, which has no file to copy) is migrated instead.
func OpenAt(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	if path != ":memory:" {
		if err := os.WriteFile(path, Image(t), 0o600); err != nil {
			t.Fatalf("sqlitetest: %v", err)
		}
	}
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("sqlitetest: open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	if path == ":memory:" {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("sqlitetest: migrate %s: %v", path, err)
		}
	}
	return s
}
