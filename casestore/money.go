package casestore

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Money in this package is decimal.Decimal in euros, never float. Amounts a
// debtor or collector sees are rounded to the cent; intermediate results
// (interest per day, a percentage of a band) stay exact until the rule in
// question says a figure is final.

var (
	hundred   = decimal.NewFromInt(100)
	oneCent   = decimal.New(1, -2)
	daysInYr  = decimal.NewFromInt(365)
	vatRateNL = decimal.NewFromInt(21) // percent; Wet op de omzetbelasting 1968, art. 9 (general rate)
)

// RoundCents rounds to the cent, half away from zero: the commercial rounding
// used on Dutch and Belgian invoices and by the usual interest calculators.
func RoundCents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// percentOf returns pct percent of amount, exactly.
func percentOf(pct, amount decimal.Decimal) decimal.Decimal {
	return amount.Mul(pct).Div(hundred)
}

// formatEUR writes an amount the way Costs.Basis shows it (English style,
// for collectors and logs; texts for debtors format amounts themselves):
// "€2,500.00", "-€1.50". It rounds to the cent first.
func formatEUR(d decimal.Decimal) string {
	s := RoundCents(d).StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := "€" + b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// allocate splits total (in cents) over weights pro rata. Each share is
// rounded down to the cent and the remainder goes to the largest weight (the
// last of equal largest ones), so the shares always sum to total exactly —
// what a debtor adds up on the per-invoice lines must match the total line.
// Zero or negative weights get nothing; if no weight is positive every share
// is zero.
func allocate(total decimal.Decimal, weights []decimal.Decimal) []decimal.Decimal {
	shares := make([]decimal.Decimal, len(weights))
	sum := decimal.Zero
	largest := -1
	for i, w := range weights {
		shares[i] = decimal.Zero
		if !w.IsPositive() {
			continue
		}
		sum = sum.Add(w)
		if largest < 0 || w.GreaterThanOrEqual(weights[largest]) {
			largest = i
		}
	}
	if largest < 0 || total.IsZero() {
		return shares
	}
	given := decimal.Zero
	for i, w := range weights {
		if !w.IsPositive() {
			continue
		}
		shares[i] = total.Mul(w).DivRound(sum, 8).RoundFloor(2)
		given = given.Add(shares[i])
	}
	shares[largest] = shares[largest].Add(total.Sub(given))
	return shares
}
