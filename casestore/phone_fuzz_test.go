package casestore

import (
	"errors"
	"regexp"
	"testing"
	"time"
)

var e164Shape = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// Debtors type their phone number when asked, and creditors' files hold
// it in every form: a number that is accepted comes out in E.164 and reads
// back as itself (so a debtor's typing matches what the import stored);
// anything else is ErrInvalid, never a panic.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"06 12345678", "+31612345678", "0031612345678", "020-1234567", "+32 470 12 34 56",
		"0032470123456", "(06) 1234-5678", "+1 (555) 010-9999", "0612345678 ext. 12", "12345", "+", "", "٠٦١٢٣٤٥٦٧٨"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := NormalizePhone(raw)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("NormalizePhone(%q): %v, want ErrInvalid", raw, err)
			}
			return
		}
		if !e164Shape.MatchString(p) {
			t.Fatalf("NormalizePhone(%q) = %q: not E.164", raw, p)
		}
		if again, err := NormalizePhone(p); err != nil || again != p {
			t.Fatalf("NormalizePhone(%q) = %q, which reads back as %q, %v", raw, p, again, err)
		}
	})
}

var postcodeShape = regexp.MustCompile(`^([1-9][0-9]{3}[A-Z]{2}|[1-9][0-9]{3})$`)

// A postcode a debtor types to verify themselves is accepted only in a
// Dutch or Belgian shape, comes out in stored form and reads back as
// itself; anything else is ErrInvalid.
func FuzzNormalizePostcode(f *testing.F) {
	for _, s := range []string{"1234AB", "1234 ab", "nl-1234ab", "B-1000", "BE 1000", "0123AB", "1234-A B", "12345", "ÿ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := NormalizePostcode(raw)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("NormalizePostcode(%q): %v, want ErrInvalid", raw, err)
			}
			return
		}
		if !postcodeShape.MatchString(p) {
			t.Fatalf("NormalizePostcode(%q) = %q: not a stored postcode", raw, p)
		}
		if again, err := NormalizePostcode(p); err != nil || again != p {
			t.Fatalf("NormalizePostcode(%q) = %q, which reads back as %q, %v", raw, p, again, err)
		}
	})
}

// An ISO date from a form or a file is a calendar day at midnight UTC
// that writes back as the same text; anything else is an error.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-31", "2026-02-29", "2024-02-29", "0000-01-01", "9999-12-31", "2026-3-1", "31-03-2026", " 2026-03-31", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v: not a calendar day", s, d)
		}
		if back := d.Format(time.DateOnly); back != s {
			t.Fatalf("ParseDate(%q) = %s: a different day", s, back)
		}
	})
}
