package portal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// The creditor sees the case's payment reference and every payment with
// how it came in; a reversed one says so.
func TestCasePageShowsPaymentsAndReference(t *testing.T) {
	tn := apitest.SQLite(t)
	ctx := context.Background()
	c, err := tn.Store.CaseByRef(ctx, apitest.RefHand)
	if err != nil {
		t.Fatal(err)
	}
	p := &casestore.Payment{CaseID: c.ID, Amount: decimal.RequireFromString("42.50"), ValueDate: casestore.Date(2024, time.August, 5),
		Source: casestore.SourceStripe, ExternalID: "pi_portal", Reference: "Stripe balance"}
	if err := tn.Store.AddPayment(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := tn.Store.ReversePayment(ctx, p.ID, "refunded", time.Time{}); err != nil {
		t.Fatal(err)
	}
	got := serve(t, tn).as("alice").Get("/portal/cases/" + apitest.RefHand)
	for _, s := range []string{`id="payref">` + casestore.Betalingskenmerk(c.ID), "€ 42,50", "online betaald", "teruggeboekt", "(refunded)"} {
		if !strings.Contains(got.Body, s) {
			t.Errorf("the case page lacks %q", s)
		}
	}
}
