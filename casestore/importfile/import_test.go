package importfile

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
)

var testNow = time.Date(2026, time.March, 14, 10, 0, 0, 0, time.UTC)

// forEachStore runs test against a fresh SQLite file and a fresh
// PostgreSQL database (skipped, or failed with CI=true, when unreachable).
func forEachStore(t *testing.T, test func(t *testing.T, newStore func() casestore.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		test(t, func() casestore.Store {
			st := sqlitetest.OpenAt(t, filepath.Join(t.TempDir(), "cases.db"))
			st.Now = func() time.Time { return testNow }
			return st
		})
	})
	t.Run("postgres", func(t *testing.T) {
		test(t, func() casestore.Store {
			st := pgstoretest.Open(t)
			st.Now = func() time.Time { return testNow }
			return st
		})
	})
}

func importFile(t *testing.T, st casestore.Store, name string, opt Options) (Summary, []Problem) {
	t.Helper()
	res := parseFile(t, name)
	sum, problems, err := Import(context.Background(), st, res.Records, opt)
	if err != nil {
		t.Fatalf("Import(%s): %v", name, err)
	}
	return sum, problems
}

func TestImportCreatesThenUpdates(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		ctx := context.Background()
		st := newStore()
		sum, problems := importFile(t, st, "cases.csv", Options{File: "cases.csv"})
		if got := sum.String(); got != "imported 4 cases (4 new, 0 updated), 0 bad rows" || len(problems) > 0 {
			t.Fatalf("first import: %s %v", got, problems)
		}
		sum, _ = importFile(t, st, "cases-nl.csv", Options{File: "cases-nl.csv"})
		if got := sum.String(); got != "imported 4 cases (0 new, 4 updated), 0 bad rows" {
			t.Fatalf("same cases again from the Dutch export: %s", got)
		}
		all, err := st.Cases(ctx, casestore.CaseFilter{})
		if err != nil || len(all) != 4 {
			t.Fatalf("cases after two imports: %d, %v; want 4", len(all), err)
		}
		c := mustCase(t, st, "IB-2026-000901")
		if len(c.Invoices) != 2 || c.Stage != casestore.Minnelijk || c.Status != casestore.StatusOpen || c.Policy.MaxTerms != casestore.DefaultPlanPolicy.MaxTerms {
			t.Errorf("IB-2026-000901: %d invoices, %s, %s, policy %+v", len(c.Invoices), c.Stage, c.Status, c.Policy)
		}
		if got := kinds(t, st, c.ID); got != "case.updated case.imported" {
			t.Errorf("dossier of IB-2026-000901 = %s", got)
		}
		byPhone, err := st.CasesByPhone(ctx, "+31611223303")
		if err != nil || len(byPhone) != 1 || byPhone[0].Ref != "IB-2026-000903" {
			t.Errorf("the second phone of a debtor finds the case: %v %v", len(byPhone), err)
		}
	})
}

// Re-importing a creditor's file must not undo what happened since: a
// dispute put the case on hold and the invoice in dispute.
func TestReimportKeepsWhatCollectionChanged(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		ctx := context.Background()
		st := newStore()
		importFile(t, st, "cases.csv", Options{})
		c := mustCase(t, st, "IB-2026-000901")
		if err := st.SetCaseStatus(ctx, c.ID, casestore.StatusOnHold); err != nil {
			t.Fatal(err)
		}
		if err := st.SetInvoiceStatus(ctx, c.Invoices[0].ID, casestore.InvoiceDisputed); err != nil {
			t.Fatal(err)
		}
		importFile(t, st, "cases.csv", Options{})
		c = mustCase(t, st, "IB-2026-000901")
		if c.Status != casestore.StatusOnHold || c.Invoices[0].Status != casestore.InvoiceDisputed {
			t.Errorf("after re-import: case %s, invoice %s; want on-hold and disputed kept", c.Status, c.Invoices[0].Status)
		}
	})
}

func TestImportRefusesToMoveADossierToAnotherCreditor(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		st := newStore()
		importFile(t, st, "cases.csv", Options{})
		res := parseFile(t, "cases.csv")
		moved := res.Records[:1]
		moved[0].Case.Creditor.Code, moved[0].Case.Creditor.Name = "TELEFONIKA", "Telefonika Mobiel B.V."
		moved[0].Case.Invoices[0].Principal = moved[0].Case.Invoices[0].Principal.Add(moved[0].Case.Invoices[0].Principal)
		sum, problems, err := Import(context.Background(), st, moved, Options{})
		if err != nil || sum.BadRows != 1 || len(problems) != 1 || problems[0].Line != 2 || !strings.Contains(problems[0].Reason, "belongs to creditor ENERGIEDIRECT") {
			t.Fatalf("sum %+v problems %v err %v", sum, problems, err)
		}
		if c := mustCase(t, st, "IB-2026-000901"); c.Creditor.Code != "ENERGIEDIRECT" || c.Invoices[0].Principal.String() != "187.43" {
			t.Errorf("a refused row changed the case: %s %s", c.Creditor.Code, c.Invoices[0].Principal)
		}
	})
}

// Issue 13: creditor A's file naming a debtor reference of creditor B used
// to replace B's debtor's name, phone, postcode and birth date, and the
// phone from A's file then verified over SMS and read B's case. A debtor
// reference is the creditor's own customer number: A's "ED-900001" is A's
// debtor, a person of its own, and B's stays exactly as B filed it.
func TestImportNeverTouchesAnotherCreditorsDebtor(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		ctx := context.Background()
		st := newStore()
		importFile(t, st, "cases.csv", Options{})
		before := mustCase(t, st, "IB-2026-000901") // ENERGIEDIRECT's, debtor ED-900001
		res := parseFile(t, "cases.csv")
		rec := res.Records[:1]
		c := &rec[0].Case
		c.Ref = "IB-2026-000999"
		c.Creditor.Code, c.Creditor.Name = "TELEFONIKA", "Telefonika Mobiel B.V."
		c.Debtor.Name, c.Debtor.Phones, c.Debtor.Postcode = "Mallory", []string{"+31699990001"}, "9999ZZ"
		sum, problems, err := Import(ctx, st, rec, Options{})
		if err != nil || sum.New != 1 || sum.BadRows != 0 {
			t.Fatalf("A's file: sum %+v problems %v err %v", sum, problems, err)
		}
		after := mustCase(t, st, "IB-2026-000901")
		if after.Debtor.Name != before.Debtor.Name || after.Debtor.Postcode != before.Debtor.Postcode ||
			strings.Join(after.Debtor.Phones, ",") != strings.Join(before.Debtor.Phones, ",") || after.Debtor.ID != before.Debtor.ID {
			t.Errorf("B's debtor changed by A's file: %+v, was %+v", after.Debtor, before.Debtor)
		}
		mine := mustCase(t, st, "IB-2026-000999")
		if mine.Debtor.ID == before.Debtor.ID || mine.Debtor.Name != "Mallory" || mine.Debtor.CreditorID != mine.CreditorID {
			t.Errorf("A's case got debtor %+v; want A's own", mine.Debtor)
		}
		byPhone, err := st.CasesByPhone(ctx, "+31699990001")
		if err != nil || len(byPhone) != 1 || byPhone[0].Ref != "IB-2026-000999" {
			t.Errorf("A's phone finds %d cases (%v), want only A's own", len(byPhone), err)
		}
	})
}

func TestDryRunWritesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		st := newStore()
		sum, _ := importFile(t, st, "cases.csv", Options{DryRun: true})
		if got := sum.String(); got != "would import 4 cases (4 new, 0 updated), 0 bad rows" {
			t.Errorf("dry run: %s", got)
		}
		if all, err := st.Cases(context.Background(), casestore.CaseFilter{}); err != nil || len(all) != 0 {
			t.Errorf("dry run stored %d cases (%v)", len(all), err)
		}
	})
}

// powerCut fails the failOn-th transaction after its writes, as if the
// process died before commit.
type powerCut struct {
	casestore.Store
	failOn, calls int
}

var errPowerCut = errors.New("power cut")

func (p *powerCut) InTx(ctx context.Context, fn func(casestore.Tx) error) error {
	p.calls++
	if p.calls != p.failOn {
		return p.Store.InTx(ctx, fn)
	}
	return p.Store.InTx(ctx, func(tx casestore.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errPowerCut
	})
}

// An import stopped half-way (a failed commit, or Ctrl-C) leaves only
// whole cases, and running the file again ends in the same state as one
// clean import.
func TestInterruptedImportCompletesOnRerun(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		ctx := context.Background()
		clean := newStore()
		importFile(t, clean, "cases.csv", Options{})
		want := snapshot(t, clean)

		st := newStore()
		res := parseFile(t, "cases.csv")
		sum, _, err := Import(ctx, &powerCut{Store: st, failOn: 3}, res.Records, Options{})
		if !errors.Is(err, errPowerCut) || sum.New != 2 || !strings.Contains(err.Error(), "line 5") {
			t.Fatalf("interrupted import: %+v, %v", sum, err)
		}
		if _, err := st.CaseByRef(ctx, "IB-2026-000903"); !errors.Is(err, casestore.ErrNotFound) {
			t.Fatalf("the case whose transaction failed exists: %v", err)
		}

		cancelled, cancel := context.WithCancel(ctx)
		defer cancel()
		res = parseFile(t, "cases.csv")
		_, _, err = Import(cancelled, st, res.Records, Options{Progress: func(done, _ int) {
			if done == 3 {
				cancel()
			}
		}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled import: %v", err)
		}

		sum, _ = importFile(t, st, "cases.csv", Options{})
		if sum.New != 1 || sum.Updated != 3 {
			t.Errorf("re-run: %s; want 1 new, 3 updated", sum)
		}
		if got := snapshot(t, st); got != want {
			t.Errorf("after interruption and re-run:\n%s\nwant (clean import):\n%s", got, want)
		}
		for _, ref := range []string{"IB-2026-000901", "IB-2026-000902", "IB-2026-000903", "IB-2026-000904"} {
			c := mustCase(t, st, ref)
			if got := kinds(t, st, c.ID); strings.Count(got, "case.imported") != 1 {
				t.Errorf("%s dossier: %s; want exactly one case.imported", ref, got)
			}
		}
	})
}

// snapshot renders everything an import writes, without IDs and clocks.
func snapshot(t *testing.T, st casestore.Store) string {
	t.Helper()
	all, err := st.Cases(context.Background(), casestore.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range all {
		fmt.Fprintf(&b, "%s %s %s %s letter=%s policy=%d/%s\n", c.Ref, c.Regime, c.Stage, c.Status, dayOrNone(c.LetterSentOn), c.Policy.MaxTerms, c.Policy.MinInstallment)
		cr, d := c.Creditor, c.Debtor
		fmt.Fprintf(&b, "  creditor %s %q vat=%v contract=%s %s\n", cr.Code, cr.Name, cr.VATOnCosts, cr.ContractualCosts, cr.PaymentURL)
		fmt.Fprintf(&b, "  debtor %s %q company=%v %v %s %s %s %s\n", d.Ref, d.Name, d.IsCompany, d.Phones, d.Email, d.Postcode, dayOrNone(d.BirthDate), d.Language)
		invs := slices.Clone(c.Invoices)
		slices.SortFunc(invs, func(a, b casestore.Invoice) int { return strings.Compare(a.Number, b.Number) })
		for _, inv := range invs {
			fmt.Fprintf(&b, "  invoice %s %q %s %s %s %s\n", inv.Number, inv.Description, inv.IssueDate.Format(time.DateOnly), inv.DueDate.Format(time.DateOnly), inv.Principal.StringFixed(2), inv.Status)
		}
	}
	return b.String()
}

func mustCase(t *testing.T, st casestore.Store, ref string) *casestore.Case {
	t.Helper()
	c, err := st.CaseByRef(context.Background(), ref)
	if err != nil {
		t.Fatalf("case %s: %v", ref, err)
	}
	return c
}

func kinds(t *testing.T, st casestore.Store, caseID int64) string {
	t.Helper()
	entries, err := st.Dossier(context.Background(), caseID, casestore.DossierQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var k []string
	for _, e := range entries {
		k = append(k, string(e.Kind))
	}
	return strings.Join(k, " ")
}

func dayOrNone(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.Format(time.DateOnly)
}

// Batched (many cases to a commit), an import ends where one case per
// transaction ends, even with a case the store refuses in a batch: that
// batch is written again case by case, and only the refused case is left
// out.
func TestBatchedImportEqualsOneByOne(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		ctx := context.Background()
		records := func() []Record {
			res := parseFile(t, "cases.csv")
			// The third case names another creditor's dossier: refused.
			res.Records[2].Case.Ref = "IB-2026-000901"
			res.Records[2].Case.Creditor.Code = "TELEFONIKA"
			return res.Records
		}
		one := newStore()
		sumOne, probOne, err := Import(ctx, one, records(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		batched := newStore()
		var refused []Problem
		sum, problems, err := Import(ctx, batched, records(), Options{Batch: 3, Refused: func(p Problem) { refused = append(refused, p) }})
		if err != nil {
			t.Fatal(err)
		}
		if sum != sumOne || len(problems) != 0 || fmt.Sprint(refused) != fmt.Sprint(probOne) || sum.BadRows != 1 {
			t.Errorf("batched: %s %v %v; one by one: %s %v", sum, problems, refused, sumOne, probOne)
		}
		if got, want := snapshot(t, batched), snapshot(t, one); got != want {
			t.Errorf("batched:\n%s\nwant (one by one):\n%s", got, want)
		}
	})
}

// A batch is one transaction: an import stopped in the middle leaves the
// batches before it, whole, and a re-run completes it.
func TestBatchedImportInterruptedCompletesOnRerun(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		ctx := context.Background()
		clean := newStore()
		importFile(t, clean, "cases.csv", Options{})
		st := newStore()
		res := parseFile(t, "cases.csv")
		sum, _, err := Import(ctx, &powerCut{Store: st, failOn: 2}, res.Records, Options{Batch: 2})
		if !errors.Is(err, errPowerCut) || sum.New != 2 || !strings.Contains(err.Error(), "2 of 4 cases done") {
			t.Fatalf("interrupted import: %+v, %v", sum, err)
		}
		for _, ref := range []string{"IB-2026-000903", "IB-2026-000904"} {
			if _, err := st.CaseByRef(ctx, ref); !errors.Is(err, casestore.ErrNotFound) {
				t.Fatalf("%s of the failed batch exists: %v", ref, err)
			}
		}
		sum, _ = importFile(t, st, "cases.csv", Options{Batch: 2})
		if sum.New != 2 || sum.Updated != 2 {
			t.Errorf("re-run: %s; want 2 new, 2 updated", sum)
		}
		if got, want := snapshot(t, st), snapshot(t, clean); got != want {
			t.Errorf("after interruption and re-run:\n%s\nwant:\n%s", got, want)
		}
	})
}

// After a bulk load the planner must know the tables' new sizes: Analyze
// refreshes them, and the tables the store's role owns are not skipped.
func TestAnalyzeAfterImport(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		st := newStore()
		if _, ok := st.(Analyzer); !ok {
			t.Fatalf("%T is no Analyzer", st)
		}
		importFile(t, st, "cases.csv", Options{Batch: 10})
		skipped, err := Analyze(context.Background(), st)
		if err != nil || len(skipped) > 0 {
			t.Errorf("Analyze: skipped %v, %v", skipped, err)
		}
	})
}
