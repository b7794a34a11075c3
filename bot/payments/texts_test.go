package payments_test

import (
	"testing"

	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

func TestThanksText(t *testing.T) {
	plan := &casestore.Plan{Installments: make([]casestore.Installment, 6)}
	d := decimal.RequireFromString
	tests := []struct {
		name   string
		regime casestore.Regime
		lang   casestore.Language
		a      casestore.Applied
		want   string
	}{
		{"nl open", casestore.NLB2C, casestore.Dutch, casestore.Applied{Open: d("345.21")},
			"Dank u wel! Wij hebben uw betaling van € 50,00 voor dossier IB-1 ontvangen. Nog te betalen: € 345,21."},
		{"nl paid", casestore.NLB2B, "", casestore.Applied{Open: d("0"), Paid: true},
			"Dank u wel! Wij hebben uw betaling van € 50,00 voor dossier IB-1 ontvangen. Het dossier is hiermee volledig betaald; u hoeft niets meer te doen."},
		{"be installment", casestore.BEB2C, casestore.Dutch, casestore.Applied{Open: d("100"), Settled: []int{2}, Plan: plan},
			"Bedankt! We hebben uw betaling van € 50,00 voor dossier IB-1 goed ontvangen. Afbetaling 2 van 6 van uw afbetalingsplan is voldaan. Nog te betalen: € 100,00."},
		{"fr", casestore.BEB2C, casestore.French, casestore.Applied{Open: d("1234.5")},
			"Merci ! Nous avons bien reçu votre paiement de 50,00 € pour le dossier IB-1. Reste à payer : 1 234,50 €."},
		{"en", casestore.NLB2C, casestore.English, casestore.Applied{Open: d("0"), Paid: true},
			"Thank you! We have received your payment of €50.00 for file IB-1. The file is now paid in full; there is nothing more you need to do."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.a.Case = &casestore.Case{Ref: "IB-1", Regime: tc.regime, Debtor: casestore.Debtor{Language: tc.lang}}
			tc.a.Payment = casestore.Payment{Amount: d("50")}
			if got := payments.ThanksText(tc.a); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if n := len([]rune(payments.ThanksText(tc.a))); n > 306 { // two SMS parts
				t.Errorf("%d characters: too long for SMS", n)
			}
		})
	}
}
