package payments_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/bankfile"
	"github.com/incassobot/incassobot/casestore/storetest"
)

func statement(t *testing.T, name string) []bankfile.Line {
	t.Helper()
	f, err := os.Open("../../casestore/bankfile/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, problems, err := bankfile.Parse(f)
	if err != nil || len(problems) != 0 {
		t.Fatalf("%s: %v %v", name, problems, err)
	}
	return lines
}

// The statements of casestore/bankfile/testdata: a matched NL
// betalingskenmerk, a matched BE structured communication, a dossier
// number in the free text, an unmatched line, a line seen in an earlier
// statement and a debit give exactly the right payments and one console
// item; importing again books nothing twice.
func TestImportStatement(t *testing.T) {
	stores(t, func(t *testing.T, s casestore.Store) {
		ctx := context.Background()
		nl := storetest.NewCase(t, s, "IB-2026-000301")
		be := storetest.CaseFor("IB-2026-000302", nl.CreditorID, nl.DebtorID)
		be.Regime = casestore.BEB2C
		if _, err := s.PutCase(ctx, be); err != nil {
			t.Fatal(err)
		}
		third := storetest.NewCaseOf(t, s, "IB-2026-000303", nl.CreditorID, nl.DebtorID)
		if nl.ID != 1 || be.ID != 2 || third.ID != 3 {
			t.Fatalf("the statements name cases 1, 2 and 3; got %d, %d, %d", nl.ID, be.ID, third.ID)
		}
		now := time.Date(2026, time.December, 1, 10, 0, 0, 0, casestore.Amsterdam)
		first, err := payments.ImportStatement(ctx, s, statement(t, "statement-001-02.xml"), now, nil)
		if err != nil || first.Booked != 1 {
			t.Fatalf("the earlier statement: %+v %v", first, err)
		}
		lines := statement(t, "statement-001-08.xml")
		got, err := payments.ImportStatement(ctx, s, lines, now, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := (payments.BankSummary{Booked: 3, Seen: 1, Queued: 1, Debits: 1}); got.Booked != want.Booked || got.Seen != want.Seen ||
			got.Queued != want.Queued || got.Debits != want.Debits || len(got.Problems) != 0 {
			t.Fatalf("import: %+v, want %+v", got, want)
		}
		wantPayments := map[int64][]string{nl.ID: {"100"}, be.ID: {"75.5"}, third.ID: {"30", "20"}}
		for id, want := range wantPayments {
			c, err := s.Case(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Payments) != len(want) {
				t.Fatalf("case %s: %d payments, want %v", c.Ref, len(c.Payments), want)
			}
			for _, p := range c.Payments {
				if p.Source != casestore.SourceBank {
					t.Errorf("case %s: payment source %q", c.Ref, p.Source)
				}
			}
		}
		queue, err := s.BankLines(ctx, casestore.BankLineOpen, 0)
		if err != nil || len(queue) != 1 || queue[0].EntryRef != "NL-E-0004" || queue[0].Reason == "" {
			t.Fatalf("console queue: %+v %v", queue, err)
		}
		again, err := payments.ImportStatement(ctx, s, lines, now, nil)
		if err != nil || again.Booked != 0 || again.Queued != 0 || again.Seen != 5 || again.Debits != 1 {
			t.Fatalf("imported again: %+v %v", again, err)
		}
		if q, _ := s.BankLines(ctx, casestore.BankLineOpen, 0); len(q) != 1 {
			t.Errorf("queue after importing again: %d lines", len(q))
		}
		// A collector assigns the queued line: it is booked once.
		err = s.InTx(ctx, func(tx casestore.Tx) error {
			_, err := payments.AssignBankLine(ctx, tx, queue[0].ID, "IB-2026-000301", "collector:1", "belde: zijn dochter betaalde", now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := s.Case(ctx, nl.ID)
		if len(c.Payments) != 2 {
			t.Fatalf("after assigning: %d payments on %s", len(c.Payments), c.Ref)
		}
		if again, _ := payments.ImportStatement(ctx, s, lines, now, nil); again.Booked != 0 || again.Seen != 5 {
			t.Errorf("imported after the assignment: %+v", again)
		}
	})
}

// The payer's name and the exact open amount suggest a case; they never
// book it.
func TestImportSuggestsByAmountAndName(t *testing.T) {
	stores(t, func(t *testing.T, s casestore.Store) {
		ctx := context.Background()
		c := storetest.NewCase(t, s, "IB-2026-000310")
		now := time.Date(2026, time.December, 1, 10, 0, 0, 0, casestore.Amsterdam)
		b, err := casestore.Balance(c, casestore.DayOf(now))
		if err != nil {
			t.Fatal(err)
		}
		l := bankfile.Line{Line: 2, EntryRef: "S-1", BookedOn: casestore.DayOf(now), ValueDate: casestore.DayOf(now), Amount: casestore.RoundCents(b.Total.Open),
			Currency: "EUR", Credit: true, Name: c.Debtor.Name, Remittance: "rekening"}
		sum, err := payments.ImportStatement(ctx, s, []bankfile.Line{l}, now, nil)
		if err != nil || sum.Queued != 1 {
			t.Fatalf("%+v %v", sum, err)
		}
		q, _ := s.BankLines(ctx, casestore.BankLineOpen, 0)
		if len(q) != 1 || q[0].SuggestedCaseID != c.ID {
			t.Fatalf("queue: %+v", q)
		}
		if got, _ := s.Case(ctx, c.ID); len(got.Payments) != 0 {
			t.Error("a suggestion was booked")
		}
		// Two dossiers named in one transfer: a person decides.
		other := storetest.NewCaseOf(t, s, "IB-2026-000311", c.CreditorID, c.DebtorID)
		l.EntryRef, l.Remittance = "S-2", c.Ref+" en "+other.Ref
		if sum, err := payments.ImportStatement(ctx, s, []bankfile.Line{l}, now, nil); err != nil || sum.Queued != 1 {
			t.Fatalf("two dossiers: %+v %v", sum, err)
		}
		q, _ = s.BankLines(ctx, casestore.BankLineOpen, 0)
		if len(q) != 2 || !strings.HasPrefix(q[1].Reason, "ambiguous") {
			t.Fatalf("queue: %+v", q)
		}
	})
}
