package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
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

	return create(t, ctx, conn, admin, "")
}

// TemplatePrefix starts the name of every template database
// NewDatabaseFrom keeps on the server; any of them may be dropped at any
// time when no test runs (the next test builds it again).
const TemplatePrefix = "incassobot_tpl_"

// Template is a database filled once and copied for each test: building a
// schema (running every migration) costs far more than copying one.
type Template struct {
	// Key names the content, e.g. a digest of the migrations: a template
	// is built once per Key and server and kept, so Key must change
	// whenever Build would build something else. Letters, digits and _.
	Key string
	// Build fills the empty database at url.
	Build func(ctx context.Context, url string) error
}

// NewDatabaseFrom is NewDatabase with a copy of tmpl instead of an empty
// database (CREATE DATABASE ... TEMPLATE): each test still has a database
// of its own, dropped when it ends. The template is built the first time
// a test on this server asks for tmpl.Key, by whichever test process
// comes first while the others wait.
func NewDatabaseFrom(t testing.TB, tmpl Template) string {
	t.Helper()
	admin := AdminURL()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	conn, err := connect(ctx, admin)
	if err != nil {
		unreachable(t, admin, err)
		return ""
	}
	defer conn.Close(context.Background())

	source, err := ensureTemplate(ctx, conn, admin, tmpl)
	if err != nil {
		t.Fatalf("pgtest: template %s on %s: %v", tmpl.Key, redact(admin), err)
	}
	return create(t, ctx, conn, admin, source)
}

// templateLockID serialises building templates across test processes
// (an advisory lock of the admin database).
const templateLockID int64 = 0x696e63_74706c // "inctpl"

// ensureTemplate returns the name of tmpl's template database, building it
// first if the server does not have it yet.
func ensureTemplate(ctx context.Context, conn *pgx.Conn, admin string, tmpl Template) (string, error) {
	for _, r := range tmpl.Key {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return "", fmt.Errorf("key %q: only a-z, 0-9 and _", tmpl.Key)
		}
	}
	name := TemplatePrefix + tmpl.Key
	exists := func() (bool, error) {
		var n int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n)
		return n > 0, err
	}
	if ok, err := exists(); err != nil || ok {
		return name, err
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLockID); err != nil {
		return "", err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, templateLockID)
	if ok, err := exists(); err != nil || ok {
		return name, err // built by another process while this one waited
	}
	// Built under a name of its own and renamed when complete, so a
	// template under the final name is always whole: a process killed
	// mid-build leaves only a "_building" database, replaced next time.
	building := pgx.Identifier{name + "_building"}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	u.Path, u.RawPath = "/"+name+"_building", ""
	if err := tmpl.Build(ctx, u.String()); err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	// WITH (FORCE) is not available for a rename; Build has closed its
	// connections, the server may still be ending them.
	quoted := pgx.Identifier{name}.Sanitize()
	for try := 0; ; try++ {
		_, err = conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+quoted)
		if err == nil || try == 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return name, err
}

// create makes a database with a random name, a copy of source when it is
// not empty, dropped when t ends; it returns its URL.
func create(t testing.TB, ctx context.Context, conn *pgx.Conn, admin, source string) string {
	t.Helper()
	name := Prefix + randomSuffix(t)
	// A database name cannot be a bind parameter; name is ours and safe,
	// Sanitize quotes it anyway.
	quoted := pgx.Identifier{name}.Sanitize()
	stmt := "CREATE DATABASE " + quoted
	if source != "" {
		stmt += " TEMPLATE " + pgx.Identifier{source}.Sanitize()
	}
	var err error
	for try := 0; ; try++ {
		_, err = conn.Exec(ctx, stmt)
		// Copying a template fails while another session is connected to
		// it; that is only ever the moment a template was just renamed.
		if err == nil || source == "" || try == 50 || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
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
