package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the local development server: trust authentication, no TLS.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Prefix starts the name of every database NewDatabase creates, so that one
// left behind by a killed test run is easy to recognise and drop.
const Prefix = "incassobot_test_"

// AdminURL is the server tests create their databases on: DATABASE_URL, or
// DefaultURL when it is unset. It must name a role allowed to CREATE DATABASE.
func AdminURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// NewDatabase creates an empty database with a random name on the AdminURL
// server and returns its URL. The database is dropped, with any connection
// still open to it, when t and its subtests have finished.
//
// An unreachable server skips t, or fails it when CI=true.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	conn, err := connect(ctx, admin)
	if err != nil {
		unreachable(t, admin, err)
		return "" // only reached when t is not a *testing.T that stops
	}
	defer conn.Close(context.Background())

	name := Prefix + randomSuffix(t)
	// A database name cannot be a bind parameter; name is ours and safe,
	// Sanitize quotes it anyway.
	quoted := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+quoted); err != nil {
		t.Fatalf("pgtest: create database %s on %s: %v", name, redact(admin), err)
	}
	t.Cleanup(func() { drop(t, admin, quoted) })

	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("pgtest: DATABASE_URL %s is not a URL: %v", redact(admin), err)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

func connect(ctx context.Context, admin string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		return nil, err
	}
	if cfg.ConnectTimeout == 0 {
		// A firewalled host would otherwise hang the test until its deadline.
		cfg.ConnectTimeout = 5 * time.Second
	}
	return pgx.ConnectConfig(ctx, cfg)
}

// unreachable skips t, or fails it under CI, when no server answers.
func unreachable(t testing.TB, admin string, err error) {
	t.Helper()
	const hint = "start PostgreSQL or set DATABASE_URL"
	if strings.EqualFold(os.Getenv("CI"), "true") {
		t.Fatalf("pgtest: PostgreSQL at %s is unreachable and CI=true, so this fails instead of skipping (%s): %v", redact(admin), hint, err)
		return
	}
	t.Skipf("pgtest: skipping, PostgreSQL at %s is unreachable (%s; with CI=true this fails): %v", redact(admin), hint, err)
}

func drop(t testing.TB, admin, quoted string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := connect(ctx, admin)
	if err != nil {
		t.Errorf("pgtest: drop database %s: %v", quoted, err)
		return
	}
	defer conn.Close(context.Background())
	// FORCE ends the sessions a test forgot to close (PostgreSQL 13+).
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+quoted+" WITH (FORCE)"); err != nil {
		t.Errorf("pgtest: drop database %s: %v", quoted, err)
	}
}

func randomSuffix(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: random database name: %v", err)
	}
	return hex.EncodeToString(b[:])
}

// redact keeps a password out of test logs.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable DATABASE_URL)"
	}
	return u.Redacted()
}
