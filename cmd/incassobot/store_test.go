package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

func TestImportReportsBadRowsAndImportsTheRest(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	file := filepath.Join("..", "..", "casestore", "importfile", "testdata", "cases-with-bad-rows.csv")
	err := te.run(context.Background(), "import", file)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "9 bad rows") {
		t.Fatalf("import with bad rows: exit %d, %v", exitCode(err), err)
	}
	if got := strings.TrimSpace(te.stdout.String()); got != "imported 2 cases (2 new, 0 updated), 9 bad rows" {
		t.Errorf("summary = %q", got)
	}
	for _, want := range []string{"line 3: regime", "line 10: has 5 fields", "line 13: invoice_due_date is before"} {
		if !strings.Contains(te.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, te.stderr)
		}
	}
	// The imported case is there: its balance can be asked for.
	te.stdout = &syncBuffer{}
	if err := te.run(context.Background(), "balance", "--case", "ib-2026-000911", "--as-of", "2026-01-31"); err != nil {
		t.Fatal(err)
	}
	// SW-911-1 64.95 + SW-911-3 15.50 = 80.45 principal.
	if !strings.Contains(te.stdout.String(), "80.45") {
		t.Errorf("balance of the imported case lacks the principal 80.45:\n%s", te.stdout)
	}
}

func TestImportTwiceUpdatesAndDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	file := filepath.Join("..", "..", "casestore", "importfile", "testdata", "cases.json")
	err := te.run(context.Background(), "import", "--dry-run", file)
	if got := strings.TrimSpace(te.stdout.String()); got != "would import 3 cases (3 new, 0 updated), 2 bad rows\ndry run: nothing was written" {
		t.Errorf("dry run: %q", got)
	}
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "nothing was written") || strings.Contains(err.Error(), "imported") {
		t.Errorf("dry run with bad rows: %v; want exit 1 saying nothing was written", err)
	}
	for _, want := range []string{"imported 3 cases (3 new, 0 updated), 2 bad rows", "imported 3 cases (0 new, 3 updated), 2 bad rows"} {
		te.stdout = &syncBuffer{}
		err := te.run(context.Background(), "import", file)
		if exitCode(err) != 1 {
			t.Errorf("exit %d, want 1 for bad rows", exitCode(err))
		}
		if got := strings.TrimSpace(te.stdout.String()); got != want {
			t.Errorf("summary %q, want %q", got, want)
		}
	}
}

func TestBalanceOfADemoCase(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	seedDemo(t, te)
	if err := te.run(context.Background(), "balance", "--case", "IB-2026-000101"); err != nil {
		t.Fatal(err)
	}
	out := te.stdout.String()
	// Principals of the demo case: 187.43 + 203.17 = 390.60.
	for _, want := range []string{"IB-2026-000101", "E-2025-11873", "187.43", "203.17", "390.60", "50.00", "hoofdsom (principal)", "totaal (total)"} {
		if !strings.Contains(out, want) {
			t.Errorf("balance table lacks %q:\n%s", want, out)
		}
	}
	te.stdout = &syncBuffer{}
	if err := te.run(context.Background(), "balance", "--case", "IB-2026-000101", "--json", "--as-of", "2026-03-01"); err != nil {
		t.Fatal(err)
	}
	var b struct {
		CaseRef string `json:"case_ref"`
		AsOf    string `json:"as_of"`
		Total   struct{ Principal, Paid string }
	}
	if err := json.Unmarshal([]byte(te.stdout.String()), &b); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, te.stdout)
	}
	if b.CaseRef != "IB-2026-000101" || b.AsOf != "2026-03-01" || b.Total.Principal != "390.60" || b.Total.Paid != "50.00" {
		t.Errorf("JSON balance: %+v", b)
	}
	// --as-of +N counts days from today (the test clock: 14 March 2026).
	te.stdout = &syncBuffer{}
	if err := te.run(context.Background(), "balance", "--case", "IB-2026-000101", "--json", "--as-of", "+30"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(te.stdout.String(), `"as_of": "2026-04-13"`) {
		t.Errorf("--as-of +30 on 14 March 2026: want as_of 2026-04-13 in\n%s", te.stdout)
	}
}

func TestBalanceUnknownCaseAndBadFlags(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	seedDemo(t, te)
	err := te.run(context.Background(), "balance", "--case", "IB-0000-000000")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "no case with dossier number") {
		t.Errorf("unknown case: %v", err)
	}
	err = te.run(context.Background(), "balance", "--as-of", "31-02-2026")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "--case is required") || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("bad flags: %v", err)
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	if err := te.run(context.Background(), "migrate"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(te.stdout.String(), "migrated sqlite") {
		t.Errorf("migrate output: %s", te.stdout)
	}
	if _, err := os.Stat(te.vars["INCASSOBOT_DB"]); err != nil {
		t.Errorf("no database file: %v", err)
	}
}

func TestMigrateAndImportOnPostgres(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	te.vars["DATABASE_URL"] = pgtest.NewDatabase(t)
	te.vars["SPOOL_DIR"] = t.TempDir()
	if err := te.run(context.Background(), "migrate"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(te.stdout.String(), "migrated postgres") || strings.Contains(te.stdout.String(), "password") {
		t.Errorf("migrate output: %s", te.stdout)
	}
	te.stdout = &syncBuffer{}
	file := filepath.Join("..", "..", "casestore", "importfile", "testdata", "cases.csv")
	if err := te.run(context.Background(), "import", file); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(te.stdout.String()); got != "imported 4 cases (4 new, 0 updated), 0 bad rows" {
		t.Errorf("summary %q", got)
	}
}

// seedDemo starts serve once: that seeds the empty embedded store.
func seedDemo(t *testing.T, te *testEnv) {
	t.Helper()
	te.vars["ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- te.run(ctx, "serve") }()
	waitForAddr(t, te.stdout, done)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	te.stdout, te.stderr = &syncBuffer{}, &syncBuffer{}
}

// Issue #14: balance --json exposes what the figures rest on, so a lawyer
// can check a figure: the interest and its rates per period, the day the
// costs became due and why, and the clause a Belgian schadebeding rests on.
func TestBalanceJSONExplainsTheFigures(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	seedDemo(t, te)
	type explained struct {
		Explanation struct {
			InterestLaw  string `json:"interest_law"`
			InterestRule string `json:"interest_rule"`
			Rates        []struct {
				From, To, RatePercent string
				Source                string `json:"source"`
			} `json:"rates"`
			CostsName     string  `json:"costs_name"`
			CostsDue      *string `json:"costs_due"`
			CostsReason   string  `json:"costs_reason"`
			DamagesClause *struct {
				Terms string `json:"terms"`
			} `json:"damages_clause"`
		} `json:"explanation"`
	}
	read := func(ref string) explained {
		t.Helper()
		te.stdout = &syncBuffer{}
		if err := te.run(context.Background(), "balance", "--case", ref, "--json"); err != nil {
			t.Fatal(err)
		}
		var x explained
		if err := json.Unmarshal([]byte(te.stdout.String()), &x); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, te.stdout)
		}
		return x
	}
	nl := read("IB-2026-000101").Explanation
	if nl.InterestLaw != "wettelijke rente, art. 6:119 BW" || len(nl.Rates) == 0 || nl.Rates[0].Source == "" ||
		nl.CostsName != "incassokosten" || nl.CostsDue == nil || !strings.Contains(nl.CostsReason, "6:96 lid 6") {
		t.Errorf("NL consumer explanation: %+v", nl)
	}
	be := read("IB-2026-000113").Explanation
	if be.CostsName != "schadebeding" || be.DamagesClause == nil || be.DamagesClause.Terms == "" ||
		!strings.Contains(be.InterestLaw, "2 augustus 2002") || !strings.Contains(be.CostsReason, "XIX.4") {
		t.Errorf("BE consumer explanation: %+v", be)
	}
}

// The production split (issue 13): `migrate` runs as the schema's owner
// (MIGRATE_DATABASE_URL) and the commands then work as the application's
// role (DATABASE_URL), which cannot alter the schema.
func TestMigrateAsOwnerThenWorkAsTheAppRole(t *testing.T) {
	t.Parallel()
	ownerURL := pgtest.NewDatabase(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	role := fmt.Sprintf("ib_app_cmd_%d", time.Now().UnixNano())
	for _, q := range []string{
		`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'incassobot_app') THEN CREATE ROLE incassobot_app NOLOGIN; END IF;
		 EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL; END $$`,
		`CREATE ROLE ` + role + ` LOGIN IN ROLE incassobot_app`,
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), ownerURL); err == nil {
			_, _ = c.Exec(context.Background(), `DROP OWNED BY `+role)
			_, _ = c.Exec(context.Background(), `DROP ROLE `+role)
			c.Close(context.Background())
		}
	})
	u, _ := url.Parse(ownerURL)
	u.User = url.User(role)
	te := newTestEnv(t)
	te.vars["DATABASE_URL"] = u.String()
	if err := te.run(ctx, "migrate"); err == nil {
		t.Fatal("migrate as the app role alone succeeded; want it unable to create the schema")
	}
	te.vars["MIGRATE_DATABASE_URL"] = ownerURL
	if err := te.run(ctx, "migrate"); err != nil {
		t.Fatalf("migrate as the owner: %v", err)
	}
	delete(te.vars, "MIGRATE_DATABASE_URL")
	file := filepath.Join("..", "..", "casestore", "importfile", "testdata", "cases.csv")
	if err := te.run(ctx, "import", file); err != nil {
		t.Fatalf("import as the app role: %v", err)
	}
	if err := te.run(ctx, "dossier", "verify", "--all"); err != nil {
		t.Fatalf("dossier verify as the app role: %v", err)
	}
	var owner string
	if err := admin.QueryRow(ctx, `SELECT tableowner FROM pg_tables WHERE tablename = 'dossier'`).Scan(&owner); err != nil || owner == role {
		t.Errorf("the dossier belongs to %q (%v), want the owner's role", owner, err)
	}
}
