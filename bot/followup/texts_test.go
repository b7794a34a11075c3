package followup

import (
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// TestTexts: every message type has a text in every language; each fits
// two SMS segments with a long pay link; Belgian cases get Belgian
// wording; no text threatens what the case does not warrant.
func TestTexts(t *testing.T) {
	types := append([]string{TypeInstallmentReminder, TypeInstallmentMissed, TypePlanBroken, TypePromiseFollowUp}, MessageTypes...)
	link := "https://bot.example.nl/pay/IB-2026-000123?k=" + strings.Repeat("x", 24)
	for _, key := range []string{"nl", "nl-BE", "en", "fr"} {
		for _, typ := range types {
			if texts[key][typ] == "" {
				t.Errorf("%s has no %s text", key, typ)
			}
		}
	}
	cases := []struct {
		lang   casestore.Language
		regime casestore.Regime
		want   string
	}{
		{casestore.Dutch, casestore.NLB2C, "betalingsregeling"},
		{casestore.Dutch, casestore.BEB2C, "afbetalingsplan"},
		{casestore.English, casestore.BEB2C, "payment plan"},
		{casestore.French, casestore.BEB2B, "plan de paiement"},
	}
	for _, tc := range cases {
		c := &casestore.Case{Ref: "IB-2026-000123", Regime: tc.regime, Debtor: casestore.Debtor{Language: tc.lang}}
		if got := Text(TypePlanBroken, c, decimal.Zero, time.Time{}, link); !strings.Contains(got, tc.want) {
			t.Errorf("%s %s: %q lacks %q", tc.lang, tc.regime, got, tc.want)
		}
		for _, typ := range types {
			got := Text(typ, c, decimal.RequireFromString("1234.56"), casestore.Date(2026, 12, 16), link)
			if strings.Contains(got, "{") {
				t.Errorf("%s %s: placeholder left in %q", tc.lang, typ, got)
			}
			if n := len([]rune(got)); n > 306 { // two 153-character SMS segments
				t.Errorf("%s %s: %d characters, more than two SMS segments: %q", tc.lang, typ, n, got)
			}
			low := strings.ToLower(got)
			for _, threat := range []string{"deurwaarder", "rechter", "dagvaard", "beslag", "bailiff", "court", "huissier", "tribunal"} {
				if strings.Contains(low, threat) {
					t.Errorf("%s %s threatens (%s): %q", tc.lang, typ, threat, got)
				}
			}
			if got2 := Text(typ, c, decimal.RequireFromString("1"), casestore.Date(2026, 12, 16), ""); strings.Contains(got2, "{link}") || strings.HasSuffix(got2, ": ") {
				t.Errorf("%s %s without a link: %q", tc.lang, typ, got2)
			}
		}
	}
}
