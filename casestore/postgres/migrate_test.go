package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

// An instance waits while another migrates, and gives up when its context
// ends rather than hanging a deploy.
func TestMigrateWaitsForTheLock(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	other, err := pgx.Connect(ctx, url) // another instance, mid-migration
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	if _, err := other.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockID); err != nil {
		t.Fatal(err)
	}

	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Migrate(short)
	if err == nil {
		t.Fatalf("Migrate while another instance holds the lock: %v, want it to wait until its deadline", err)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond || waited > 5*time.Second {
		t.Errorf("Migrate gave up after %v, want about the 300ms deadline", waited)
	}
	var tables int
	if err := other.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d tables created without the lock", tables)
	}

	if _, err := other.Exec(ctx, `SELECT pg_advisory_unlock($1)`, migrateLockID); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate once the lock is free: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping after Migrate: %v", err)
	}
}
