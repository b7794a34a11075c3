package dialogs

import (
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// wednesday is 10 June 2026, 14:00 in Amsterdam.
var wednesday = time.Date(2026, time.June, 10, 12, 0, 0, 0, time.UTC)

func TestParseDate(t *testing.T) {
	d := casestore.Date
	tests := []struct {
		in   string
		now  time.Time
		want time.Time // zero: no date
	}{
		{"15-12", wednesday, d(2026, 12, 15)},
		{"15/12/2026", wednesday, d(2026, 12, 15)},
		{"15-12-26", wednesday, d(2026, 12, 15)},
		{"15.12.2026", wednesday, d(2026, 12, 15)},
		{"2026-12-15", wednesday, d(2026, 12, 15)},
		{"15 december", wednesday, d(2026, 12, 15)},
		{"1 dec", wednesday, d(2026, 12, 1)},
		{"december 15", wednesday, d(2026, 12, 15)},
		{"December 15th", wednesday, d(2026, 12, 15)},
		{"15 décembre", wednesday, d(2026, 12, 15)},
		{"le 1er juillet", wednesday, d(2026, 7, 1)},
		{"op de 15e", wednesday, d(2026, 6, 15)},
		{"on the 5th", wednesday, d(2026, 7, 5)},
		{"de 10e", wednesday, d(2026, 6, 10)},
		{"15 decmber", wednesday, d(2026, 12, 15)}, // one typo
		{"1 mei", wednesday, d(2027, 5, 1)},        // passed this year: next year
		{"10 juni", wednesday, d(2026, 6, 10)},     // today counts
		{"29-02", wednesday, d(2028, 2, 29)},       // next leap year
		{"31-02", wednesday, time.Time{}},
		{"vrijdag", wednesday, d(2026, 6, 12)},
		{"friday", wednesday, d(2026, 6, 12)},
		{"vendredi", wednesday, d(2026, 6, 12)},
		{"woensdag", wednesday, d(2026, 6, 17)}, // strictly after today
		{"vrijdg", wednesday, d(2026, 6, 12)},   // one typo
		{"afgelopen maandag", wednesday, d(2026, 6, 8)},
		{"volgende week vrijdag", wednesday, d(2026, 6, 19)},
		{"vandaag", wednesday, d(2026, 6, 10)},
		{"today", wednesday, d(2026, 6, 10)},
		{"aujourd'hui", wednesday, d(2026, 6, 10)},
		{"morgen", wednesday, d(2026, 6, 11)},
		{"tomorrow", wednesday, d(2026, 6, 11)},
		{"demain", wednesday, d(2026, 6, 11)},
		{"overmorgen", wednesday, d(2026, 6, 12)},
		{"après-demain", wednesday, d(2026, 6, 12)},
		{"gisteren", wednesday, d(2026, 6, 9)},
		{"eergisteren", wednesday, d(2026, 6, 8)},
		{"volgende week", wednesday, d(2026, 6, 15)}, // Monday of next week
		{"next week", wednesday, d(2026, 6, 15)},
		{"la semaine prochaine", wednesday, d(2026, 6, 15)},
		{"vorige week", wednesday, d(2026, 6, 1)}, // Monday of last week
		{"eind van de maand", wednesday, d(2026, 6, 30)},
		{"end of the month", wednesday, d(2026, 6, 30)},
		{"fin du mois", wednesday, d(2026, 6, 30)},
		{"eind volgende maand", wednesday, d(2026, 7, 31)},
		{"begin volgende maand", wednesday, d(2026, 7, 1)},
		{"eind december", wednesday, d(2026, 12, 31)},
		{"over 2 weken", wednesday, d(2026, 6, 24)},
		{"in two weeks", wednesday, d(2026, 6, 24)},
		{"dans 2 semaines", wednesday, d(2026, 6, 24)},
		{"over 3 dagen", wednesday, d(2026, 6, 13)},
		// late evening in Amsterdam is already the next day there
		{"morgen", time.Date(2026, time.June, 10, 22, 30, 0, 0, time.UTC), d(2026, 6, 12)},
		{"eind van de maand", time.Date(2026, time.December, 31, 23, 30, 0, 0, time.UTC), d(2027, 1, 31)},
		{"", wednesday, time.Time{}},
		{"ik wil betalen", wednesday, time.Time{}},
		{"1.234,56", wednesday, time.Time{}},
		{"06-12345678", wednesday, time.Time{}},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in, tt.now)
		if tt.want.IsZero() {
			if ok {
				t.Errorf("ParseDate(%q) = %s, want no date", tt.in, got.Format(time.DateOnly))
			}
			continue
		}
		if !ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %s, %v; want %s", tt.in, got.Format(time.DateOnly), ok, tt.want.Format(time.DateOnly))
		}
	}
}

func TestDatesInText(t *testing.T) {
	d := casestore.Date
	tests := []struct {
		in   string
		want []time.Time
	}{
		{"ik betaal vrijdag of anders maandag", []time.Time{d(2026, 6, 12), d(2026, 6, 15)}},
		// about a payment already made, a day without a year is in the past
		{"ik heb op 1 juni betaald", []time.Time{d(2026, 6, 1)}},
		{"ik heb op 15-12 betaald", []time.Time{d(2025, 12, 15)}},
		{"ik betaal op 1 juni", []time.Time{d(2027, 6, 1)}},
		{"j'ai payé hier", []time.Time{d(2026, 6, 9)}},
		{"ik ben hier om te betalen", nil}, // Dutch "hier" is "here"
		{"geboren 12-03-1980", nil},        // a birth date, not in Dates
	}
	for _, tt := range tests {
		got := Understand(tt.in, wednesday).Dates
		if len(got) != len(tt.want) {
			t.Errorf("%q: dates %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if !got[i].Equal(tt.want[i]) {
				t.Errorf("%q: date %d = %s, want %s", tt.in, i, got[i].Format(time.DateOnly), tt.want[i].Format(time.DateOnly))
			}
		}
	}
}
