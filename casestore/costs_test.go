package casestore

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestCollectionCosts(t *testing.T) {
	// NL figures: Besluit vergoeding voor buitengerechtelijke incassokosten,
	// art. 2 lid 1 — 15% of the first €2,500 (min €40), 10% of the next
	// €2,500, 5% of the next €5,000, 1% of the next €190,000, 0.5% of the
	// rest, max €6,775. These are also the examples rijksoverheid.nl and the
	// WIK calculators publish.
	// BE B2C: WER art. XIX.4 §2. BE B2B: law of 2 August 2002, art. 6.
	tests := []struct {
		name      string
		regime    Regime
		principal string
		vat       bool
		want      string // costs excl. VAT
		wantVAT   string
		basisHas  string
	}{
		{"NL €100: 15% = €15, minimum €40 applies", NLB2C, "100", false, "40.00", "0", "minimum €40.00"},
		{"NL €2,500: 15% × 2,500 = €375", NLB2C, "2500", false, "375.00", "0", "15% of €2,500.00 = €375.00"},
		{"NL €5,000: 375 + 10% × 2,500 = €625", NLB2B, "5000", false, "625.00", "0", "10% of €2,500.00 = €250.00"},
		{"NL €10,000: 625 + 5% × 5,000 = €875", NLB2C, "10000", false, "875.00", "0", "= €875.00"},
		{"NL €200,000: 875 + 1% × 190,000 = €2,775", NLB2C, "200000", false, "2775.00", "0", "1% of €190,000.00 = €1,900.00"},
		{"NL €1,000,000: 2,775 + 0.5% × 800,000 = €6,775 (the maximum exactly)", NLB2C, "1000000", false, "6775.00", "0", "0.5% of €800,000.00"},
		{"NL €2,000,000: 2,775 + 0.5% × 1,800,000 = €11,775, capped at €6,775", NLB2C, "2000000", false, "6775.00", "0", "maximum €6,775.00"},
		{"NL €1,234.56: 15% = €185.184 → €185.18 (rounded once at the end)", NLB2C, "1234.56", false, "185.18", "0", ""},
		{"NL €2,500 with VAT: €375 + 21% = €78.75 VAT, €453.75 total", NLB2C, "2500", true, "375.00", "78.75", "21% VAT = €78.75"},
		{"BE B2C €100 (≤ €150): €20", BEB2C, "100", false, "20.00", "0", "€20.00"},
		{"BE B2C €150.00 (still ≤ €150): €20", BEB2C, "150", false, "20.00", "0", ""},
		// €400: 30 + 10% of the band above €150 (150.01 … 400.00 = €250.00
		// worth of cents) = 30 + 25 = €55.00. Reading the band as
		// 400 − 150.01 = 249.99 gives 54.999, also €55.00 to the cent.
		{"BE B2C €400: €30 + 10% × 250 = €55.00", BEB2C, "400", false, "55.00", "0", "10% of €250.00"},
		{"BE B2C €2,000: €65 + 5% × 1,500 = €140", BEB2C, "2000", false, "140.00", "0", "5% of €1,500.00"},
		{"BE B2C €50,000: €65 + 5% × 49,500 = €2,540, capped at €2,000", BEB2C, "50000", false, "2000.00", "0", "maximum €2,000.00"},
		{"BE B2C: vat flag ignored (damages carry no VAT)", BEB2C, "2000", true, "140.00", "0", ""},
		{"BE B2B: €40 flat whatever the principal", BEB2B, "125000", false, "40.00", "0", "flat €40.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CollectionCosts(tt.regime, d(tt.principal), tt.vat)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Costs.Equal(d(tt.want)) || !got.VAT.Equal(d(tt.wantVAT)) || !got.Total.Equal(d(tt.want).Add(d(tt.wantVAT))) {
				t.Errorf("costs %s VAT %s total %s, want %s + %s", got.Costs, got.VAT, got.Total, tt.want, tt.wantVAT)
			}
			if !strings.Contains(got.Basis, tt.basisHas) {
				t.Errorf("basis %q does not mention %q", got.Basis, tt.basisHas)
			}
			if len(got.Sources) == 0 || got.Regime != tt.regime || !got.Principal.Equal(d(tt.principal)) {
				t.Errorf("regime/principal/sources not filled: %+v", got)
			}
		})
	}
}

func TestCollectionCostsRefusesBadInput(t *testing.T) {
	for _, tt := range []struct {
		regime    Regime
		principal string
	}{{NLB2C, "0"}, {NLB2C, "-5"}, {"fr-b2c", "100"}} {
		if _, err := CollectionCosts(tt.regime, d(tt.principal), false); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s %s: err %v, want ErrInvalid", tt.regime, tt.principal, err)
		}
	}
}

func TestCaseCosts(t *testing.T) {
	tests := []struct {
		name       string
		regime     Regime
		creditor   Creditor
		principal  string
		wantCosts  string
		wantVAT    string
		wantSource string
	}{
		// Contract: 15% of €1,000 = €150 (above the €40 floor of art. 6:96 lid 4 BW).
		{"NL B2B contractual 15%", NLB2B, Creditor{ContractualCosts: d("0.15")}, "1000", "150.00", "0", "contractual"},
		// Contract: 10% of €100 = €10, floor €40.
		{"NL B2B contractual below €40 floor", NLB2B, Creditor{ContractualCosts: d("0.10")}, "100", "40.00", "0", "contractual"},
		// Contract with VAT: €150 + 21% = €31.50.
		{"NL B2B contractual with VAT", NLB2B, Creditor{ContractualCosts: d("0.15"), VATOnCosts: true}, "1000", "150.00", "31.50", "contractual"},
		// Consumers keep the staffel even if the creditor has a contract figure: 15% × 1,000 = €150.
		{"NL B2C ignores contractual costs", NLB2C, Creditor{ContractualCosts: d("0.30")}, "1000", "150.00", "0", "Besluit"},
		// No contract: staffel 15% × 1,000 = €150 + 21% VAT €31.50.
		{"NL B2B staffel with VAT", NLB2B, Creditor{VATOnCosts: true}, "1000", "150.00", "31.50", "Besluit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CaseCosts(&Case{Regime: tt.regime, Creditor: tt.creditor}, d(tt.principal))
			if err != nil {
				t.Fatal(err)
			}
			if !got.Costs.Equal(d(tt.wantCosts)) || !got.VAT.Equal(d(tt.wantVAT)) {
				t.Errorf("costs %s VAT %s, want %s %s (basis %q)", got.Costs, got.VAT, tt.wantCosts, tt.wantVAT, got.Basis)
			}
			if !strings.Contains(strings.Join(got.Sources, " "), tt.wantSource) {
				t.Errorf("sources %q lack %q", got.Sources, tt.wantSource)
			}
		})
	}
	if _, err := CaseCosts(&Case{Regime: NLB2B, Creditor: Creditor{ContractualCosts: d("-0.1")}}, d("100")); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative contractual costs: err %v, want ErrInvalid", err)
	}
}

func TestFormatEUR(t *testing.T) {
	for in, want := range map[string]string{"0": "€0.00", "1.5": "€1.50", "2500": "€2,500.00", "1234567.891": "€1,234,567.89", "-40": "-€40.00", "999.999": "€1,000.00"} {
		if got := formatEUR(d(in)); got != want {
			t.Errorf("formatEUR(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestAllocateSumsExactly(t *testing.T) {
	// €100 over three equal claims: 33.33 each, remainder 0.01 on the last of the equal largest.
	got := allocate(d("100"), []decimal.Decimal{d("10"), d("10"), d("10")})
	want := []string{"33.33", "33.33", "33.34"}
	for i := range want {
		if !got[i].Equal(d(want[i])) {
			t.Fatalf("allocate = %v, want %v", got, want)
		}
	}
	// Zero weight gets nothing; the largest takes the remainder.
	got = allocate(d("40"), []decimal.Decimal{d("700"), d("0"), d("300.01")})
	if !got[1].IsZero() || !got[0].Add(got[2]).Equal(d("40")) {
		t.Fatalf("allocate with zero weight = %v", got)
	}
}
