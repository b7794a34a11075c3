package pgtest_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

// recorder is a testing.TB that notes a skip or failure instead of stopping.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Skipf(f string, args ...any)  { r.skipped = fmt.Sprintf(f, args...) }
func (r *recorder) Fatalf(f string, args ...any) { r.failed = fmt.Sprintf(f, args...) }

func TestUnreachableServer(t *testing.T) {
	// Port 1 on loopback: nothing listens there, the connection is refused at once.
	t.Setenv("DATABASE_URL", "postgres://postgres:secret@127.0.0.1:1/postgres?sslmode=disable")
	for _, tc := range []struct {
		ci                   string
		wantSkip, wantFailed bool
	}{
		{ci: "", wantSkip: true},
		{ci: "false", wantSkip: true},
		{ci: "true", wantFailed: true},
	} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			if got := pgtest.NewDatabase(r); got != "" {
				t.Errorf("NewDatabase returned %q for an unreachable server", got)
			}
			msg := r.skipped + r.failed
			if (r.skipped != "") != tc.wantSkip || (r.failed != "") != tc.wantFailed {
				t.Errorf("skipped %q, failed %q; want skip %v, fail %v", r.skipped, r.failed, tc.wantSkip, tc.wantFailed)
			}
			if !strings.Contains(msg, "127.0.0.1:1") || !strings.Contains(msg, "unreachable") {
				t.Errorf("message %q does not say which server is unreachable", msg)
			}
			if strings.Contains(msg, "secret") {
				t.Errorf("message %q shows the password", msg)
			}
		})
	}
}

func TestNewDatabaseIsOwnAndDropped(t *testing.T) {
	var first, second string
	t.Run("use", func(t *testing.T) {
		first, second = pgtest.NewDatabase(t), pgtest.NewDatabase(t)
		if first == second {
			t.Fatalf("two calls returned the same database %s", first)
		}
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, first)
		if err != nil {
			t.Fatalf("connect to the new database: %v", err)
		}
		// Left open on purpose: the drop must not wait for the test to close it.
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("new database has %d tables, want it empty", n)
		}
	})
	if t.Skipped() || first == "" {
		return
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, pgtest.AdminURL())
	if err != nil {
		t.Fatalf("connect to the admin database: %v", err)
	}
	defer admin.Close(ctx)
	for _, raw := range []string{first, second} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(u.Path, "/")
		if !strings.HasPrefix(name, pgtest.Prefix) {
			t.Errorf("database %s does not start with %s", name, pgtest.Prefix)
		}
		var exists bool
		if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if exists {
			t.Errorf("database %s still exists after its test ended", name)
		}
	}
}
