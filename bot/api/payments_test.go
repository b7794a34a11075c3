package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// A case carries its payment reference, and each payment how it came in
// and whether it was taken back (two-decimal money strings).
func TestCaseShowsPaymentSourceReversalAndReference(t *testing.T) {
	tn := apitest.SQLite(t)
	ctx := context.Background()
	c, err := tn.Store.CaseByRef(ctx, apitest.RefHand)
	if err != nil {
		t.Fatal(err)
	}
	p := &casestore.Payment{CaseID: c.ID, Amount: decimal.RequireFromString("42.5"), ValueDate: casestore.Date(2024, time.August, 5),
		Source: casestore.SourceBank, ExternalID: "E-API"}
	if err := tn.Store.AddPayment(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := tn.Store.ReversePayment(ctx, p.ID, "returned by the bank", time.Time{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		PaymentReference string `json:"payment_reference"`
		Payments         []struct {
			Amount         string  `json:"amount"`
			Source         string  `json:"source"`
			ReversedAt     *string `json:"reversed_at"`
			ReversalReason string  `json:"reversal_reason"`
		} `json:"payments"`
	}
	serve(t, tn).getJSON("/api/v1/cases/"+apitest.RefHand, "token:alice", &got)
	if got.PaymentReference != casestore.Betalingskenmerk(c.ID) {
		t.Errorf("payment_reference %q", got.PaymentReference)
	}
	last := got.Payments[len(got.Payments)-1]
	if last.Amount != "42.50" || last.Source != "bank" || last.ReversedAt == nil || last.ReversalReason != "returned by the bank" {
		t.Errorf("payment %+v", last)
	}
}
