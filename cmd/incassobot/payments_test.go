package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// payments import books a statement once, names bad lines by line, and
// a second import books nothing.
func TestPaymentsImportCommand(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, te.vars["INCASSOBOT_DB"])
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := storetest.NewCase(t, st, "IB-2026-000303") // case 1: its betalingskenmerk is 9000 0000 0000 0001
	st.Close()
	dir := filepath.Join("..", "..", "casestore", "bankfile", "testdata")
	if err := te.run(ctx, "payments", "import", filepath.Join(dir, "statement-001-02.xml")); err != nil {
		t.Fatalf("import: %v\n%s", err, te.stderr)
	}
	if got := strings.TrimSpace(te.stdout.String()); got != "1 payments booked, 0 to the console's queue (no or an ambiguous reference), 0 imported before, 0 debits skipped, 0 bad lines" {
		t.Errorf("summary %q", got)
	}
	te.stdout = &syncBuffer{}
	if err := te.run(ctx, "payments", "import", filepath.Join(dir, "statement-001-02.xml")); err != nil {
		t.Fatal(err)
	}
	if got := te.stdout.String(); !strings.HasPrefix(got, "0 payments booked, 0 to the console's queue (no or an ambiguous reference), 1 imported before") {
		t.Errorf("second import: %q", got)
	}
	te.stdout, te.stderr = &syncBuffer{}, &syncBuffer{}
	err = te.run(ctx, "payments", "import", filepath.Join(dir, "statement.csv"))
	if exitCode(err) != 1 || !strings.Contains(te.stderr.String(), "line 3: amount \"-3\" must be positive") ||
		!strings.Contains(te.stderr.String(), "line 4: credit_debit \"X\"") {
		t.Fatalf("bad CSV lines: exit %d\n%s", exitCode(err), te.stderr)
	}
	if got := te.stdout.String(); !strings.HasPrefix(got, "1 payments booked") || !strings.Contains(got, "1 debits skipped, 2 bad lines") {
		t.Errorf("CSV summary %q", got)
	}
	st, err = sqlite.Open(ctx, te.vars["INCASSOBOT_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Payments) != 2 || got.Payments[0].Source != casestore.SourceBank {
		t.Errorf("payments: %+v", got.Payments)
	}
	if err := te.run(ctx, "payments", "export", "x"); exitCode(err) != 2 {
		t.Errorf("payments export: exit %d, want 2", exitCode(err))
	}
}
