package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var bankLineTests = []test{
	{"BankLine/QueueOnceAndAssign", testBankLines},
}

func testBankLines(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-BANK")
	day := casestore.Date(2026, time.November, 30)
	b := &casestore.BankLine{EntryRef: "E-1", BookedOn: day, Amount: money("12.34"), Name: "J. de Vries", Remittance: "factuur", Reason: "geen kenmerk", SuggestedCaseID: c.ID}
	must(t, s.AddBankLine(ctx, b), "AddBankLine")
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		wantErr(t, tx.AddBankLine(ctx, &casestore.BankLine{EntryRef: "E-1", BookedOn: day, Amount: money("12.34")}), casestore.ErrConflict, "AddBankLine again")
		return tx.AddBankLine(ctx, &casestore.BankLine{EntryRef: "E-2", BookedOn: day, Amount: money("1.00")})
	})
	must(t, err, "InTx after a line queued before")
	wantErr(t, s.AddBankLine(ctx, &casestore.BankLine{EntryRef: "E-3", BookedOn: day, Amount: money("0")}), casestore.ErrInvalid, "zero amount")
	wantErr(t, s.AddBankLine(ctx, &casestore.BankLine{EntryRef: "E-4", BookedOn: day, Amount: money("1"), SuggestedCaseID: 987654}), casestore.ErrNotFound, "unknown suggested case")
	open, err := s.BankLines(ctx, casestore.BankLineOpen, 0)
	must(t, err, "BankLines")
	wantEq(t, "open lines", len(open), 2)
	wantEq(t, "first", open[0].EntryRef, "E-1")
	wantMoney(t, "amount", open[0].Amount, money("12.34"))
	wantEq(t, "suggestion", open[0].SuggestedCaseID, c.ID)
	wantDay(t, "booked", open[0].BookedOn, day)
	p := &casestore.Payment{CaseID: c.ID, Amount: money("12.34"), ValueDate: day, Source: casestore.SourceBank, ExternalID: "E-1"}
	must(t, s.AddPayment(ctx, p), "AddPayment")
	must(t, s.AssignBankLine(ctx, b.ID, c.ID, p.ID, time.Time{}), "AssignBankLine")
	wantErr(t, s.AssignBankLine(ctx, b.ID, c.ID, p.ID, time.Time{}), casestore.ErrConflict, "AssignBankLine twice")
	wantErr(t, s.AssignBankLine(ctx, 987654, c.ID, p.ID, time.Time{}), casestore.ErrNotFound, "AssignBankLine unknown")
	got, err := s.BankLine(ctx, b.ID)
	must(t, err, "BankLine")
	wantEq(t, "status", got.Status, casestore.BankLineAssigned)
	wantEq(t, "case", got.CaseID, c.ID)
	wantEq(t, "payment", got.PaymentID, p.ID)
	if got.ResolvedAt == nil {
		t.Error("ResolvedAt not set")
	}
	open, _ = s.BankLines(ctx, casestore.BankLineOpen, 0)
	wantEq(t, "open after assigning", len(open), 1)
}
