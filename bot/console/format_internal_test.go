package console

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestEurIsDutchNotationToTheCent(t *testing.T) {
	for in, want := range map[string]string{
		"0":          "€ 0,00",
		"0.01":       "€ 0,01",
		"1234.57":    "€ 1.234,57",
		"999.999":    "€ 1.000,00",
		"1000000":    "€ 1.000.000,00",
		"-5.5":       "-€ 5,50",
		"6775":       "€ 6.775,00",
		"123456.785": "€ 123.456,79", // half away from zero, as casestore.RoundCents
	} {
		if got := eur(decimal.RequireFromString(in)); got != want {
			t.Errorf("eur(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestWaited(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:             "< 1 min",
		4 * time.Minute:              "4 min",
		2*time.Hour + 5*time.Minute:  "2 u 05 min",
		3*24*time.Hour + 4*time.Hour: "3 d 4 u",
	} {
		if got := waited(d); got != want {
			t.Errorf("waited(%v) = %q, want %q", d, got, want)
		}
	}
}
