package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Each group shares one store (a fresh PostgreSQL database costs
// seconds); its parts use cases of their own.
var paymentTests = []test{
	{"Payment/SourcesReversalsTasks", group(
		test{"ExternalIDRecordedOnce", testPaymentOnce},
		test{"Reverse", testPaymentReverse},
		test{"CaseConversation", testCaseConversation},
		test{"Tasks", testTasks},
	)},
}

// group runs tests one after the other on one store.
func group(tests ...test) func(t *testing.T, s casestore.Store) {
	return func(t *testing.T, s casestore.Store) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) { tc.fn(t, s) })
		}
	}
}

// testPaymentOnce: a provider delivering the same payment again, inside a
// transaction that goes on, records nothing and keeps the transaction.
func testPaymentOnce(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-ONCE")
	day := casestore.Date(2026, time.March, 3)
	first := &casestore.Payment{CaseID: c.ID, Amount: money("100.00"), ValueDate: day, Source: casestore.SourceStripe, ExternalID: "pi_123"}
	must(t, s.AddPayment(ctx, first), "AddPayment first")
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		again := &casestore.Payment{CaseID: c.ID, Amount: money("100.00"), ValueDate: day, Source: casestore.SourceStripe, ExternalID: "pi_123"}
		wantErr(t, tx.AddPayment(ctx, again), casestore.ErrConflict, "AddPayment again")
		// The transaction is still usable after the conflict.
		return tx.AppendDossier(ctx, &casestore.DossierEntry{CaseID: c.ID, Kind: "payment.duplicate", Actor: casestore.ActorSystem})
	})
	must(t, err, "InTx after a duplicate payment")
	// The same id from another source is another payment.
	bank := &casestore.Payment{CaseID: c.ID, Amount: money("5.00"), ValueDate: day, Source: casestore.SourceBank, ExternalID: "pi_123"}
	must(t, s.AddPayment(ctx, bank), "AddPayment same id, other source")
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "payments", len(got.Payments), 2)
	p, err := s.PaymentByExternalID(ctx, casestore.SourceStripe, "pi_123")
	must(t, err, "PaymentByExternalID")
	wantEq(t, "found id", p.ID, first.ID)
	wantEq(t, "found source", p.Source, casestore.SourceStripe)
	wantMoney(t, "found amount", p.Amount, money("100.00"))
	_, err = s.PaymentByExternalID(ctx, casestore.SourceStripe, "pi_999")
	wantErr(t, err, casestore.ErrNotFound, "PaymentByExternalID unknown")
	wantErr(t, s.AddPayment(ctx, &casestore.Payment{CaseID: c.ID, Amount: money("1.00"), ValueDate: day, ExternalID: "x"}),
		casestore.ErrInvalid, "external id without source")
	wantErr(t, s.AddPayment(ctx, &casestore.Payment{CaseID: c.ID, Amount: money("1.00"), ValueDate: day, Source: "paypal", ExternalID: "x"}),
		casestore.ErrInvalid, "unknown source")
}

// testPaymentReverse: a refunded payment stays on record, marked, and no
// longer pays anything.
func testPaymentReverse(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-REV")
	asOf := casestore.Date(2026, time.March, 10)
	before, err := casestore.Balance(c, asOf)
	must(t, err, "Balance before")
	p := &casestore.Payment{CaseID: c.ID, Amount: money("200.00"), ValueDate: casestore.Date(2026, time.March, 3), Source: casestore.SourceStripe, ExternalID: "pi_rev"}
	must(t, s.AddPayment(ctx, p), "AddPayment")
	at := time.Date(2026, time.March, 9, 10, 0, 0, 0, time.UTC)
	rev, err := s.ReversePayment(ctx, p.ID, "refunded", at)
	must(t, err, "ReversePayment")
	if !rev.Reversed() || !rev.ReversedAt.Equal(at) {
		t.Fatalf("ReversedAt: got %v, want %v", rev.ReversedAt, at)
	}
	wantEq(t, "reason", rev.ReversalReason, "refunded")
	_, err = s.ReversePayment(ctx, p.ID, "again", time.Time{})
	wantErr(t, err, casestore.ErrConflict, "ReversePayment twice")
	_, err = s.ReversePayment(ctx, 987654, "x", time.Time{})
	wantErr(t, err, casestore.ErrNotFound, "ReversePayment unknown")
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "payments kept", len(got.Payments), 1)
	wantEq(t, "reason kept", got.Payments[0].ReversalReason, "refunded")
	after, err := casestore.Balance(got, asOf)
	must(t, err, "Balance after")
	wantMoney(t, "open after a reversal", after.Total.Open, before.Total.Open)
	wantMoney(t, "paid after a reversal", after.Total.Paid, money("0"))
}

func testCaseConversation(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-CONV")
	_, _, err := s.CaseConversation(ctx, c.ID)
	wantErr(t, err, casestore.ErrNotFound, "CaseConversation before any message")
	for _, m := range []casestore.InboundMessage{
		{Channel: "sms", From: "+31612340001", CaseID: c.ID, ProviderID: "SM1"},
		{Channel: "whatsapp", From: "whatsapp:+31612340001", CaseID: c.ID, ProviderID: "SM2"},
		{Channel: "telegram", From: "999", ProviderID: "3"}, // a stranger: no case
	} {
		m.Body = json.RawMessage(`{"text":"hallo"}`)
		must(t, s.RecordInbound(ctx, &m), "RecordInbound")
	}
	ch, addr, err := s.CaseConversation(ctx, c.ID)
	must(t, err, "CaseConversation")
	wantEq(t, "channel", ch, "whatsapp")
	wantEq(t, "address", addr, "whatsapp:+31612340001")
}

func testTasks(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-TASK")
	k1 := &casestore.Task{CaseID: c.ID, Kind: casestore.TaskPaymentReversed, Text: "Betaling teruggeboekt"}
	k2 := &casestore.Task{CaseID: c.ID, Kind: casestore.TaskPlanBroken, Text: "Regeling vervallen"}
	must(t, s.AddTask(ctx, k1), "AddTask 1")
	must(t, s.AddTask(ctx, k2), "AddTask 2")
	wantErr(t, s.AddTask(ctx, &casestore.Task{CaseID: c.ID}), casestore.ErrInvalid, "AddTask without kind")
	wantErr(t, s.AddTask(ctx, &casestore.Task{CaseID: 987654, Kind: casestore.TaskPlanBroken}), casestore.ErrNotFound, "AddTask unknown case")
	got, err := s.OpenTasks(ctx, 0)
	must(t, err, "OpenTasks")
	wantEq(t, "open tasks", len(got), 2)
	wantEq(t, "oldest first", got[0].ID, k1.ID)
	wantEq(t, "kind", got[0].Kind, casestore.TaskPaymentReversed)
	wantEq(t, "text", got[1].Text, "Regeling vervallen")
	wantEq(t, "case", got[1].CaseID, c.ID)
	_, err = s.OpenTasks(ctx, -1)
	wantErr(t, err, casestore.ErrInvalid, "OpenTasks negative limit")
}
