package dialogs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

var fuzzSeeds = []string{
	"ik kan 50 euro per maand betalen", "€1.234,56", "1,234.56", "15-12-26", "vrijdag", "IB-2026-000123",
	"1234 ab", "0612345678", "+32 470 12 34 56", "vijfentwintig euro", "quatre-vingt-dix", "eind van de maand",
	"12-03-1980", "👍", "مرحبا", "\xff\xfe", "29-02", "over 365 weken", "9999999999999999999999", "1.2.3.4.5",
	"€-50", "12,3456", "in 120 termijnen", strings.Repeat("9", 200), "99-99-9999", "0-0", "31/12/9999",
}

// checkAmount asserts what every amount must be.
func checkAmountInvariant(t *testing.T, in string, a decimal.Decimal) {
	t.Helper()
	if a.Sign() < 0 || a.GreaterThan(maxAmount) || !a.Equal(a.Round(2)) {
		t.Fatalf("%q gave amount %s: negative, absurd or more than 2 decimals", in, a)
	}
}

func checkCalendarDay(t *testing.T, in string, d time.Time) {
	t.Helper()
	if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
		t.Fatalf("%q gave date %v, not a calendar day", in, d)
	}
}

func FuzzUnderstand(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := Understand(s, wednesday)
		for _, a := range u.Amounts {
			checkAmountInvariant(t, s, a)
		}
		for _, d := range u.Dates {
			checkCalendarDay(t, s, d)
		}
		if u.BirthDate != nil {
			checkCalendarDay(t, s, *u.BirthDate)
		}
		if u.Choice < 0 || u.Choice > 9 || u.Terms < 0 || u.Terms > 120 {
			t.Fatalf("%q: choice %d terms %d out of range", s, u.Choice, u.Terms)
		}
		if u.Yes && u.No {
			t.Fatalf("%q: both yes and no", s)
		}
		if u.Intent == "" {
			t.Fatalf("%q: empty intent", s)
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if a, ok := ParseAmount(s); ok {
			checkAmountInvariant(t, s, a)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, offset int64) {
		// now anywhere within about ±100 years of 2026
		now := wednesday.Add(time.Duration(offset%(100*365*24)) * time.Hour)
		if d, ok := ParseDate(s, now); ok {
			checkCalendarDay(t, s, d)
		}
	})
}

func BenchmarkUnderstand(b *testing.B) {
	b.Run("sentence", func(b *testing.B) {
		for b.Loop() {
			Understand("Is een regeling mogelijk? Ik kan 50 euro per maand betalen vanaf vrijdag", wednesday)
		}
	})
	b.Run("10kB", func(b *testing.B) {
		long := strings.Repeat("ik heb de factuur van 1.234,56 nooit ontvangen, bel me vrijdag 😀 ", 160)[:10240]
		for b.Loop() {
			Understand(long, wednesday)
		}
	})
}

// TestUnderstandIsFast guards the budget loosely, so that it holds under
// -race and on a busy CI machine: a sentence within 1ms (about 20µs
// without the race detector), and a 10 kB message no more than 60 times a
// sentence, which only holds while the input caps work (the caps make it
// about 20 times; reading all 10 kB would be over 100).
// A huge paste must cost no more than its start: Understand reads a bounded
// prefix, so 10 kB and 100 kB of the same text are understood identically.
// (Speed itself is measured by BenchmarkUnderstand, never asserted.)
func TestUnderstandReadsABoundedPrefix(t *testing.T) {
	unit := "ik betaal vrijdag 50 euro, ik heb al betaald "
	ten := strings.Repeat(unit, 230)[:10240]
	hundred := strings.Repeat(unit, 2300)[:102400]
	a, b := Understand(ten, wednesday), Understand(hundred, wednesday)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("10 kB and 100 kB of the same text were understood differently:\n%+v\n%+v", a, b)
	}
}
