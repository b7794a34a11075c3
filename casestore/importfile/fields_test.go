package importfile

import (
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" = refused
	}{
		{"1234.56", "1234.56"},
		{"1234,56", "1234.56"},
		{"1.234,56", "1234.56"},
		{"1,234.56", "1234.56"},
		{"12.345.678,90", "12345678.9"},
		{"€ 187,43", "187.43"},
		{"EUR 40", "40"},
		{"  2500 ", "2500"},
		{"0,01", "0.01"},
		{"-12,50", "-12.5"},
		{"1,234", ""},     // Dutch 1.234 euro or English 1234? refused, not guessed
		{"1.234", ""},     // same ambiguity the other way
		{"12.345", ""},    // three decimals
		{"1.23.4,00", ""}, // thousands not grouped by three
		{"12,34,56", ""},
		{"abc", ""},
		{"", ""},
		{"1e3", ""},
		{"--5", ""},
	} {
		got, err := ParseAmount(tc.in)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("ParseAmount(%q) = %s, want an error", tc.in, got)
		case tc.want != "" && err != nil:
			t.Errorf("ParseAmount(%q): %v", tc.in, err)
		case tc.want != "" && got.String() != tc.want:
			t.Errorf("ParseAmount(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseDay(t *testing.T) {
	want := casestore.Date(2026, time.February, 3)
	for _, in := range []string{"2026-02-03", "03-02-2026", "3-2-2026", "03/02/2026", "03.02.2026", " 2026-02-03 "} {
		got, err := ParseDay(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDay(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"31-02-2026", "2026-02-30", "02-03-26", "2026/02/03", "3 februari 2026", ""} {
		if got, err := ParseDay(in); err == nil {
			t.Errorf("ParseDay(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseFraction(t *testing.T) {
	for in, want := range map[string]string{"0.15": "0.15", "15%": "0.15", "15 %": "0.15", "12,5%": "0.125", "": "0"} {
		got, err := parseFraction(in)
		if err != nil || got.String() != want {
			t.Errorf("parseFraction(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"150%", "-0.1", "x"} {
		if _, err := parseFraction(in); err == nil {
			t.Errorf("parseFraction(%q): want an error", in)
		}
	}
}
