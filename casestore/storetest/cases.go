package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

var caseTests = []test{
	{"Case/RoundTrip", testCaseRoundTrip},
	{"Case/Defaults", testCaseDefaults},
	{"Case/UpsertByRef", testCaseUpsert},
	{"Case/MoneyExact", testCaseMoneyExact},
	{"Case/ByRefIgnoresLetterCase", testCaseByRef},
	{"Case/Invalid", testCaseInvalid},
	{"Case/NotFound", testCaseNotFound},
	{"Case/SetStatus", testSetCaseStatus},
	{"Case/SetInvoiceStatus", testSetInvoiceStatus},
}

func testCaseRoundTrip(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-RT")
	db := NewDebtor(t, s, cr.ID, "DB-RT", "+31612345678")
	in := CaseFor("IB-2026-000123", cr.ID, db.ID)
	in.Regime, in.Stage, in.Status = casestore.BEB2B, casestore.Gerechtelijk, casestore.StatusOnHold
	in.Policy = casestore.PlanPolicy{MaxTerms: 6, MinInstallment: money("37.50"),
		DownPaymentPct: money("0.10"), InterestDuringPlan: true, MaxPromiseDays: 14}
	in.Clause = &casestore.DamagesClause{Terms: "Art. 7: 10% schadebeding", DamagesPct: money("0.10"),
		Damages: true, LatePaymentInterest: true, AnnouncedInReminder: true}
	created, err := s.PutCase(ctx, in)
	must(t, err, "PutCase")
	wantEq(t, "created", created, true)
	if in.ID == 0 {
		t.Fatal("PutCase did not set the case ID")
	}
	for i, inv := range in.Invoices {
		if inv.ID == 0 || inv.CaseID != in.ID {
			t.Errorf("invoice %d: ID %d CaseID %d, want both set (case %d)", i, inv.ID, inv.CaseID, in.ID)
		}
	}

	got, err := s.Case(ctx, in.ID)
	must(t, err, "Case")
	wantEq(t, "Ref", got.Ref, "IB-2026-000123")
	wantEq(t, "CreditorID", got.CreditorID, cr.ID)
	wantEq(t, "DebtorID", got.DebtorID, db.ID)
	wantEq(t, "Regime", got.Regime, casestore.BEB2B)
	wantEq(t, "Stage", got.Stage, casestore.Gerechtelijk)
	wantEq(t, "Status", got.Status, casestore.StatusOnHold)
	wantOptDay(t, "LetterSentOn", got.LetterSentOn, in.LetterSentOn)
	wantEq(t, "Policy.MaxTerms", got.Policy.MaxTerms, 6)
	wantMoney(t, "Policy.MinInstallment", got.Policy.MinInstallment, money("37.50"))
	wantMoney(t, "Policy.DownPaymentPct", got.Policy.DownPaymentPct, money("0.10"))
	wantEq(t, "Policy.InterestDuringPlan", got.Policy.InterestDuringPlan, true)
	wantEq(t, "Policy.MaxPromiseDays", got.Policy.MaxPromiseDays, 14)
	if got.Clause == nil {
		t.Fatal("Clause was not stored")
	}
	wantEq(t, "Clause.Terms", got.Clause.Terms, "Art. 7: 10% schadebeding")
	wantMoney(t, "Clause.DamagesPct", got.Clause.DamagesPct, money("0.10"))
	wantEq(t, "Clause flags", [3]bool{got.Clause.Damages, got.Clause.LatePaymentInterest, got.Clause.AnnouncedInReminder}, [3]bool{true, true, true})
	if got.CreatedAt.IsZero() || got.UpdatedAt.IsZero() {
		t.Errorf("CreatedAt %v / UpdatedAt %v not set", got.CreatedAt, got.UpdatedAt)
	}

	// The case carries everything Balance needs.
	wantEq(t, "Creditor.ID", got.Creditor.ID, cr.ID)
	wantEq(t, "Creditor.Code", got.Creditor.Code, "CR-RT")
	wantEq(t, "Debtor.ID", got.Debtor.ID, db.ID)
	wantEq(t, "Debtor.Name", got.Debtor.Name, "J. de Vries")
	wantStrings(t, "Debtor.Phones", got.Debtor.Phones, []string{"+31612345678"})
	if len(got.Payments) != 0 {
		t.Errorf("Payments: got %d, want none", len(got.Payments))
	}
	if len(got.Invoices) != 2 {
		t.Fatalf("Invoices: got %d, want 2", len(got.Invoices))
	}
	for i, want := range in.Invoices { // CaseFor's invoices are already by due date
		g := got.Invoices[i]
		wantEq(t, "invoice ID", g.ID, want.ID)
		wantEq(t, "invoice CaseID", g.CaseID, in.ID)
		wantEq(t, "invoice Number", g.Number, want.Number)
		wantEq(t, "invoice Description", g.Description, want.Description)
		wantDay(t, "invoice IssueDate", g.IssueDate, want.IssueDate)
		wantDay(t, "invoice DueDate", g.DueDate, want.DueDate)
		wantMoney(t, "invoice Principal", g.Principal, want.Principal)
		wantEq(t, "invoice Status", g.Status, casestore.InvoiceOpen)
	}
}

// testCaseDefaults: no letter sent yet reads back as nil, not the zero day;
// an invoice put without a status is open.
func testCaseDefaults(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-DEF")
	db := NewDebtor(t, s, cr.ID, "DB-DEF")
	in2 := CaseFor("IB-2026-000124", cr.ID, db.ID)
	in2.LetterSentOn = nil
	in2.Invoices[0].Status = "" // defaults to open
	_, err := s.PutCase(ctx, in2)
	must(t, err, "PutCase without letter")
	got2, err := s.Case(ctx, in2.ID)
	must(t, err, "Case without letter")
	wantOptDay(t, "LetterSentOn", got2.LetterSentOn, nil)
	if got2.Clause != nil {
		t.Errorf("a case without a clause came back with %+v", got2.Clause)
	}
	wantEq(t, "empty invoice status is stored as", got2.Invoices[0].Status, casestore.InvoiceOpen)
}

func testCaseUpsert(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-UP-1")
	ids := map[string]int64{}
	for _, inv := range c.Invoices {
		ids[inv.Number] = inv.ID
	}

	// The creditor sends the case again: F-1001 corrected, F-1002 left out
	// (it must stay: none removed), F-1003 new, stage moved on.
	again := CaseFor("IB-UP-1", c.CreditorID, c.DebtorID)
	again.Stage = casestore.Gerechtelijk
	again.Invoices = []casestore.Invoice{
		{Number: "F-1003", Description: "Stroom maart", IssueDate: casestore.Date(2026, time.March, 1),
			DueDate: casestore.Date(2026, time.March, 31), Principal: money("199999.99")},
		{Number: "F-1001", Description: "Stroom januari (gecorrigeerd)", IssueDate: casestore.Date(2026, time.January, 1),
			DueDate: casestore.Date(2026, time.January, 31), Principal: money("1200.00"), Status: casestore.InvoiceDisputed},
	}
	created, err := s.PutCase(ctx, again)
	must(t, err, "second PutCase")
	wantEq(t, "created on the second put", created, false)
	wantEq(t, "case ID after the second put", again.ID, c.ID)
	wantEq(t, "known invoice keeps its ID", again.Invoices[1].ID, ids["F-1001"])
	if again.Invoices[0].ID == 0 || again.Invoices[0].ID == ids["F-1001"] || again.Invoices[0].ID == ids["F-1002"] {
		t.Errorf("new invoice F-1003 got ID %d, want a new one", again.Invoices[0].ID)
	}

	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "Stage", got.Stage, casestore.Gerechtelijk)
	wantInstant(t, "CreatedAt after an update", got.CreatedAt, c.CreatedAt)
	if got.UpdatedAt.Before(c.UpdatedAt) {
		t.Errorf("UpdatedAt went back: %v before %v", got.UpdatedAt, c.UpdatedAt)
	}
	nums := []string{}
	for _, inv := range got.Invoices {
		nums = append(nums, inv.Number)
	}
	wantStrings(t, "invoices by due date", nums, []string{"F-1001", "F-1002", "F-1003"})
	if len(got.Invoices) == 3 {
		wantEq(t, "F-1001 description", got.Invoices[0].Description, "Stroom januari (gecorrigeerd)")
		wantMoney(t, "F-1001 principal", got.Invoices[0].Principal, money("1200.00"))
		wantEq(t, "F-1001 status", got.Invoices[0].Status, casestore.InvoiceDisputed)
		wantEq(t, "F-1002 kept its ID", got.Invoices[1].ID, ids["F-1002"])
		wantMoney(t, "F-1003 principal", got.Invoices[2].Principal, money("199999.99"))
	}
	list, err := s.Cases(ctx, casestore.CaseFilter{})
	must(t, err, "Cases")
	wantEq(t, "cases stored after two puts of one ref", len(list), 1)
}

func testCaseMoneyExact(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	base := NewCase(t, s, "IB-MONEY")
	// Amounts that float64 cannot hold exactly, the smallest and a large one.
	amounts := []string{"0.01", "0.10", "0.30", "1234.56", "999.99", "100000.00", "199999.99", "12345678.91"}
	c := CaseFor("IB-MONEY", base.CreditorID, base.DebtorID)
	c.Invoices = nil
	for i, a := range amounts {
		c.Invoices = append(c.Invoices, casestore.Invoice{
			Number: "M-" + a, IssueDate: casestore.Date(2026, time.January, 1),
			DueDate: casestore.Date(2026, time.January, 1).AddDate(0, 0, 10+i), Principal: money(a)})
	}
	_, err := s.PutCase(ctx, c)
	must(t, err, "PutCase")
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	byNum := map[string]decimal.Decimal{}
	for _, inv := range got.Invoices {
		byNum[inv.Number] = inv.Principal
	}
	for _, a := range amounts {
		p, ok := byNum["M-"+a]
		if !ok {
			t.Errorf("invoice M-%s missing", a)
			continue
		}
		wantMoney(t, "principal M-"+a, p, money(a))
	}
}

func testCaseByRef(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-2026-000777")
	for _, ref := range []string{"IB-2026-000777", "ib-2026-000777", "Ib-2026-000777"} {
		got, err := s.CaseByRef(ctx, ref)
		if err != nil {
			t.Errorf("CaseByRef(%q): %v", ref, err)
			continue
		}
		wantEq(t, "CaseByRef("+ref+").ID", got.ID, c.ID)
		if len(got.Invoices) != 2 || got.Debtor.ID != c.DebtorID || got.Creditor.ID != c.CreditorID {
			t.Errorf("CaseByRef(%q) not filled: %d invoices, debtor %d, creditor %d", ref, len(got.Invoices), got.Debtor.ID, got.Creditor.ID)
		}
	}
	_, err := s.CaseByRef(ctx, "IB-2026-000778")
	wantErr(t, err, casestore.ErrNotFound, "CaseByRef(unknown)")

	// Refs are unique regardless of letter case: the lower-case put updates.
	lower := CaseFor(strings.ToLower(c.Ref), c.CreditorID, c.DebtorID)
	lower.Status = casestore.StatusPaid
	created, err := s.PutCase(ctx, lower)
	must(t, err, "PutCase lower-case ref")
	wantEq(t, "created for a ref differing only in letter case", created, false)
	wantEq(t, "ID for a ref differing only in letter case", lower.ID, c.ID)
}

func testCaseInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	base := NewCase(t, s, "IB-OK")
	cases := []struct {
		name   string
		break_ func(c *casestore.Case)
	}{
		{"empty ref", func(c *casestore.Case) { c.Ref = "" }},
		{"unknown regime", func(c *casestore.Case) { c.Regime = "de-b2c" }},
		{"unknown stage", func(c *casestore.Case) { c.Stage = "beslag" }},
		{"unknown status", func(c *casestore.Case) { c.Status = "lost" }},
		{"negative principal", func(c *casestore.Case) { c.Invoices[0].Principal = money("-10.00") }},
		{"zero principal", func(c *casestore.Case) { c.Invoices[0].Principal = money("0") }},
		{"three decimals", func(c *casestore.Case) { c.Invoices[0].Principal = money("10.005") }},
		{"invoice without number", func(c *casestore.Case) { c.Invoices[1].Number = "" }},
		{"due before issue", func(c *casestore.Case) { c.Invoices[0].DueDate = c.Invoices[0].IssueDate.AddDate(0, 0, -1) }},
		{"unknown invoice status", func(c *casestore.Case) { c.Invoices[0].Status = "gone" }},
		{"unknown creditor", func(c *casestore.Case) { c.CreditorID = 987654 }},
		{"unknown debtor", func(c *casestore.Case) { c.DebtorID = 987654 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := CaseFor("IB-BAD", base.CreditorID, base.DebtorID)
			tc.break_(c)
			_, err := s.PutCase(ctx, c)
			wantErr(t, err, casestore.ErrInvalid, "PutCase")
			// An update that is refused leaves the stored case as it was.
			u := CaseFor("IB-OK", base.CreditorID, base.DebtorID)
			u.Status = casestore.StatusPaid
			u.Invoices = append(u.Invoices, casestore.Invoice{Number: "F-NEW", IssueDate: casestore.Date(2026, time.May, 1),
				DueDate: casestore.Date(2026, time.May, 1), Principal: money("5.00")})
			tc.break_(u)
			if u.Ref == "IB-OK" {
				_, err = s.PutCase(ctx, u)
				wantErr(t, err, casestore.ErrInvalid, "PutCase update")
			}
			got, err := s.CaseByRef(ctx, "IB-OK")
			must(t, err, "CaseByRef after refused update")
			wantEq(t, "status after refused update", got.Status, casestore.StatusOpen)
			wantEq(t, "invoices after refused update", len(got.Invoices), 2)
		})
	}
	list, err := s.Cases(ctx, casestore.CaseFilter{})
	must(t, err, "Cases")
	wantEq(t, "cases stored", len(list), 1)
}

func testCaseNotFound(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	NewCase(t, s, "IB-NF")
	_, err := s.Case(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "Case(unknown id)")
	_, err = s.CaseByRef(ctx, "")
	wantErr(t, err, casestore.ErrNotFound, "CaseByRef(empty)")
}

func testSetCaseStatus(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-ST")
	must(t, s.SetCaseStatus(ctx, c.ID, casestore.StatusInPlan), "SetCaseStatus in-plan")
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "Status", got.Status, casestore.StatusInPlan)

	wantErr(t, s.SetCaseStatus(ctx, c.ID, "vanished"), casestore.ErrInvalid, "SetCaseStatus(unknown status)")
	wantErr(t, s.SetCaseStatus(ctx, 987654, casestore.StatusPaid), casestore.ErrNotFound, "SetCaseStatus(unknown case)")
	got, err = s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "Status after refused changes", got.Status, casestore.StatusInPlan)
}

func testSetInvoiceStatus(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-IS")
	inv := c.Invoices[0].ID
	must(t, s.SetInvoiceStatus(ctx, inv, casestore.InvoicePaused), "SetInvoiceStatus paused")
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "paused invoice", got.Invoices[0].Status, casestore.InvoicePaused)
	wantEq(t, "other invoice untouched", got.Invoices[1].Status, casestore.InvoiceOpen)

	wantErr(t, s.SetInvoiceStatus(ctx, inv, "lost"), casestore.ErrInvalid, "SetInvoiceStatus(unknown status)")
	wantErr(t, s.SetInvoiceStatus(ctx, 987654, casestore.InvoicePaid), casestore.ErrNotFound, "SetInvoiceStatus(unknown invoice)")
}
