package casestore

import (
	"errors"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"06 12345678", "+31612345678"}, // Dutch mobile, national format
		{"0612345678", "+31612345678"},
		{"+31 6 1234 5678", "+31612345678"},
		{"0031612345678", "+31612345678"},    // international prefix 00 from NL
		{"020-1234567", "+31201234567"},      // Amsterdam landline
		{"+32 470 12 34 56", "+32470123456"}, // Belgian mobile needs its country code
		{"0032470123456", "+32470123456"},
	} {
		got, err := NormalizePhone(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "hallo", "06123", "+31 6 1234 567890123"} {
		if _, err := NormalizePhone(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("NormalizePhone(%q): err %v, want ErrInvalid", bad, err)
		}
	}
}

func TestNormalizePostcode(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1234 ab", "1234AB"},
		{" 1234AB ", "1234AB"},
		{"nl-1234 ab", "1234AB"},
		{"1000", "1000"},   // Brussels
		{"B-9000", "9000"}, // Gent
		{"be 2000", "2000"},
	} {
		got, err := NormalizePostcode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePostcode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "0123AB", "12345", "1234A", "ABCD", "1234 ABC"} {
		if _, err := NormalizePostcode(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("NormalizePostcode(%q): err %v, want ErrInvalid", bad, err)
		}
	}
}
