package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var claimTests = []test{
	{"Payment/AddAndRead", testPayments},
	{"Payment/Invalid", testPaymentInvalid},
	{"Dispute/OpenAndResolve", testDisputes},
	{"Dispute/Invalid", testDisputeInvalid},
	{"Plan/AddAndStatus", testPlans},
	{"Plan/Invalid", testPlanInvalid},
	{"Promise/AddAndRead", testPromises},
	{"Promise/Invalid", testPromiseInvalid},
}

func testPayments(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-PAY")
	late := &casestore.Payment{CaseID: c.ID, Amount: money("0.01"), ValueDate: casestore.Date(2026, time.March, 20), Reference: "IBAN NL91 late"}
	early := &casestore.Payment{CaseID: c.ID, InvoiceID: &c.Invoices[0].ID, Amount: money("1234.55"),
		ValueDate: casestore.Date(2026, time.March, 2), Reference: "IB-PAY F-1001"}
	must(t, s.AddPayment(ctx, late), "AddPayment late")
	must(t, s.AddPayment(ctx, early), "AddPayment early")
	if late.ID == 0 || early.ID == 0 || late.ID == early.ID {
		t.Fatalf("payment IDs %d, %d: want two distinct IDs", late.ID, early.ID)
	}
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	if len(got.Payments) != 2 {
		t.Fatalf("Payments: got %d, want 2", len(got.Payments))
	}
	p0, p1 := got.Payments[0], got.Payments[1] // by value date
	wantEq(t, "first payment by value date", p0.ID, early.ID)
	wantMoney(t, "early amount", p0.Amount, money("1234.55"))
	wantDay(t, "early value date", p0.ValueDate, casestore.Date(2026, time.March, 2))
	wantEq(t, "early reference", p0.Reference, "IB-PAY F-1001")
	wantEq(t, "early CaseID", p0.CaseID, c.ID)
	if p0.InvoiceID == nil || *p0.InvoiceID != c.Invoices[0].ID {
		t.Errorf("early InvoiceID: got %v, want %d", p0.InvoiceID, c.Invoices[0].ID)
	}
	if p0.CreatedAt.IsZero() {
		t.Error("payment CreatedAt not set")
	}
	wantEq(t, "second payment", p1.ID, late.ID)
	wantMoney(t, "late amount", p1.Amount, money("0.01"))
	if p1.InvoiceID != nil {
		t.Errorf("late InvoiceID: got %d, want nil (applies to the oldest claims)", *p1.InvoiceID)
	}
}

func testPaymentInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-PAYX")
	other := NewCaseOf(t, s, "IB-PAYY", c.CreditorID, c.DebtorID)
	day := casestore.Date(2026, time.March, 2)
	cases := []struct {
		name string
		p    casestore.Payment
		want error
	}{
		{"zero amount", casestore.Payment{CaseID: c.ID, Amount: money("0"), ValueDate: day}, casestore.ErrInvalid},
		{"negative amount", casestore.Payment{CaseID: c.ID, Amount: money("-5.00"), ValueDate: day}, casestore.ErrInvalid},
		{"three decimals", casestore.Payment{CaseID: c.ID, Amount: money("5.001"), ValueDate: day}, casestore.ErrInvalid},
		{"no value date", casestore.Payment{CaseID: c.ID, Amount: money("5.00")}, casestore.ErrInvalid},
		{"unknown case", casestore.Payment{CaseID: 987654, Amount: money("5.00"), ValueDate: day}, casestore.ErrNotFound},
		{"unknown invoice", casestore.Payment{CaseID: c.ID, InvoiceID: ptr(int64(987654)), Amount: money("5.00"), ValueDate: day}, casestore.ErrNotFound},
		{"invoice of another case", casestore.Payment{CaseID: c.ID, InvoiceID: &other.Invoices[0].ID, Amount: money("5.00"), ValueDate: day}, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		p := tc.p
		wantErr(t, s.AddPayment(ctx, &p), tc.want, "AddPayment "+tc.name)
	}
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "payments stored after refusals", len(got.Payments), 0)
}

func testDisputes(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-DIS")
	none, err := s.Disputes(ctx, c.ID)
	must(t, err, "Disputes of a case without any")
	wantEq(t, "disputes of a new case", len(none), 0)

	whole := &casestore.Dispute{CaseID: c.ID, Reason: casestore.ReasonNotMyDebt, Text: "Ik heb hier nooit gewoond."}
	one := &casestore.Dispute{CaseID: c.ID, InvoiceID: &c.Invoices[0].ID, Reason: casestore.ReasonFaulty,
		Text: "De meter was kapot.", Evidence: []string{"media/abc.jpg", "media/def.pdf"}}
	must(t, s.AddDispute(ctx, whole), "AddDispute whole case")
	must(t, s.AddDispute(ctx, one), "AddDispute one invoice")
	if whole.ID == 0 || one.ID == 0 || whole.ID == one.ID {
		t.Fatalf("dispute IDs %d, %d: want two distinct IDs", whole.ID, one.ID)
	}

	resolved := at(2026, time.April, 2, 9, 30, 15, 123456)
	must(t, s.ResolveDispute(ctx, one.ID, casestore.DisputeUpheld, resolved), "ResolveDispute")
	wantErr(t, s.ResolveDispute(ctx, one.ID, casestore.DisputeRejected, resolved.Add(time.Hour)),
		casestore.ErrConflict, "ResolveDispute twice")
	wantErr(t, s.ResolveDispute(ctx, 987654, casestore.DisputeRejected, resolved), casestore.ErrNotFound, "ResolveDispute(unknown)")
	wantErr(t, s.ResolveDispute(ctx, whole.ID, casestore.DisputeOpen, resolved), casestore.ErrInvalid, "ResolveDispute to open")
	wantErr(t, s.ResolveDispute(ctx, whole.ID, "withdrawn", resolved), casestore.ErrInvalid, "ResolveDispute(unknown status)")

	got, err := s.Disputes(ctx, c.ID)
	must(t, err, "Disputes")
	if len(got) != 2 {
		t.Fatalf("Disputes: got %d, want 2", len(got))
	}
	g0, g1 := got[0], got[1] // oldest first
	wantEq(t, "first dispute", g0.ID, whole.ID)
	wantEq(t, "Reason", g0.Reason, casestore.ReasonNotMyDebt)
	wantEq(t, "Text", g0.Text, "Ik heb hier nooit gewoond.")
	wantEq(t, "Status defaults to open", g0.Status, casestore.DisputeOpen)
	if g0.InvoiceID != nil || g0.ResolvedAt != nil {
		t.Errorf("whole-case dispute: InvoiceID %v ResolvedAt %v, want both nil", g0.InvoiceID, g0.ResolvedAt)
	}
	if g0.CreatedAt.IsZero() {
		t.Error("dispute CreatedAt not set")
	}
	wantEq(t, "second dispute", g1.ID, one.ID)
	if g1.InvoiceID == nil || *g1.InvoiceID != c.Invoices[0].ID {
		t.Errorf("InvoiceID: got %v, want %d", g1.InvoiceID, c.Invoices[0].ID)
	}
	wantStrings(t, "Evidence", g1.Evidence, []string{"media/abc.jpg", "media/def.pdf"})
	wantEq(t, "Status after the refused second resolve", g1.Status, casestore.DisputeUpheld)
	if g1.ResolvedAt == nil {
		t.Error("ResolvedAt not set")
	} else {
		wantInstant(t, "ResolvedAt", *g1.ResolvedAt, resolved)
	}
	_, err = s.Disputes(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "Disputes(unknown case)")
}

func testDisputeInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-DISX")
	other := NewCaseOf(t, s, "IB-DISY", c.CreditorID, c.DebtorID)
	cases := []struct {
		name string
		d    casestore.Dispute
		want error
	}{
		{"unknown reason", casestore.Dispute{CaseID: c.ID, Reason: "bored"}, casestore.ErrInvalid},
		{"empty reason", casestore.Dispute{CaseID: c.ID}, casestore.ErrInvalid},
		{"unknown status", casestore.Dispute{CaseID: c.ID, Reason: casestore.ReasonOther, Status: "pending"}, casestore.ErrInvalid},
		{"unknown case", casestore.Dispute{CaseID: 987654, Reason: casestore.ReasonOther}, casestore.ErrNotFound},
		{"invoice of another case", casestore.Dispute{CaseID: c.ID, InvoiceID: &other.Invoices[0].ID, Reason: casestore.ReasonOther}, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		d := tc.d
		wantErr(t, s.AddDispute(ctx, &d), tc.want, "AddDispute "+tc.name)
	}
	got, err := s.Disputes(ctx, c.ID)
	must(t, err, "Disputes")
	wantEq(t, "disputes stored after refusals", len(got), 0)
}

// threeTerms is 300.00 as a down payment of 30.00 and 3 × 90.00.
func threeTerms(caseID int64) *casestore.Plan {
	return &casestore.Plan{CaseID: caseID, Total: money("300.00"), DownPayment: money("30.00"),
		Installments: []casestore.Installment{
			{Seq: 1, Due: casestore.Date(2026, time.April, 1), Amount: money("30.00")},
			{Seq: 2, Due: casestore.Date(2026, time.May, 1), Amount: money("90.00")},
			{Seq: 3, Due: casestore.Date(2026, time.June, 1), Amount: money("90.00")},
			{Seq: 4, Due: casestore.Date(2026, time.July, 1), Amount: money("90.00")},
		}}
}
