package dialogs

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means not an amount
	}{
		{"1.234,56", "1234.56"},
		{"1234.56", "1234.56"},
		{"1,234.56", "1234.56"},
		{"€50,-", "50"},
		{"€ 50", "50"},
		{"50 euro", "50"},
		{"EUR 50", "50"},
		{"50€", "50"},
		{"50 euros", "50"},
		{"€ 12,50", "12.5"},
		{"12,5", "12.5"},
		{"12.50", "12.5"},
		{"1.5", "1.5"},
		{"1.000", "1000"}, // Dutch thousands
		{"1,000", "1000"}, // English thousands: money never has 3 decimals
		{"1.234.567", "1234567"},
		{"10.000.000", "10000000"}, // the limit itself
		{"vijftig euro", "50"},
		{"fifty euros", "50"},
		{"cinquante euros", "50"},
		{"honderd", "100"},
		{"tweehonderdvijftig", "250"},
		{"0", "0"},
		{"12,345", "12345"},
		{"", ""},
		{"euro", ""},
		{"-50", ""},
		{"€ -50", ""},
		{"12,3456", ""},     // more than 2 decimals
		{"1.2345", ""},      // neither decimals nor thousands
		{"1.23.4", ""},      // broken grouping
		{"10.000.001", ""},  // absurd: above 10 million
		{"99999999999", ""}, // absurd
		{"1.234,567", ""},   // 3 decimals
		{"abc", ""},
		{"12 appels", ""},
	}
	for _, tt := range tests {
		got, ok := ParseAmount(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("ParseAmount(%q) = %s, want no amount", tt.in, got)
			}
			continue
		}
		if !ok || !got.Equal(decimal.RequireFromString(tt.want)) {
			t.Errorf("ParseAmount(%q) = %s, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
}

func TestAmountsInText(t *testing.T) {
	now := time.Date(2026, time.June, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		amounts []string
		numbers []int
		terms   int
	}{
		{"ik kan 50 euro per maand betalen", []string{"50"}, nil, 0},
		{"I can pay 100 a month", []string{"100"}, nil, 0},
		{"ik betaal €25,- nu en €25,- volgende week", []string{"25", "25"}, nil, 0},
		{"het saldo is 1.234,56 en niet 1.300", []string{"1234.56", "1300"}, nil, 0},
		{"kan ik 12,50 per week", []string{"12.5"}, nil, 0},
		{"ik wil het in 6 termijnen betalen", nil, nil, 6},
		{"in 6 keer", nil, nil, 6},
		{"zes maanden", nil, nil, 6},
		{"12 months", nil, nil, 12},
		{"en 3 fois", nil, nil, 3},
		{"10 x", nil, nil, 10},
		{"10x 40 euro", []string{"40"}, nil, 10},
		{"ik betaal op 15-12", nil, nil, 0},             // a date
		{"graag een telefoontje na 17:00", nil, nil, 0}, // a time
		{"bel me na 18 uur", nil, nil, 0},               // a time
		{"mijn nummer is 0612345678", nil, nil, 0},      // a phone number
		{"bel +32 470 12 34 56", nil, nil, 0},           // a phone number
		{"dossier IB-2026-000123", nil, nil, 0},         // a reference
		{"postcode 1234 AB", nil, nil, 0},               // a postcode
		{"ik heb 3 kinderen", nil, nil, 0},              // a count of something else
		{"ik woon op nummer 12", nil, []int{12}, 0},
		{"2026", []string{"2026"}, []int{2026}, 0}, // only a number: both
		{"50", []string{"50"}, []int{50}, 0},       // a bare number message: the state machine decides
		{"vijftig euro per maand", []string{"50"}, nil, 0},
		{"ik wil een regeling", nil, nil, 0}, // "een" is an article
		{"10% korting", nil, nil, 0},
	}
	for _, tt := range tests {
		u := Understand(tt.in, now)
		var got []string
		for _, a := range u.Amounts {
			got = append(got, a.String())
		}
		if !equalStrings(got, tt.amounts) || !equalInts(u.Numbers, tt.numbers) || u.Terms != tt.terms {
			t.Errorf("%q: amounts %v numbers %v terms %d; want %v %v %d", tt.in, got, u.Numbers, u.Terms, tt.amounts, tt.numbers, tt.terms)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
