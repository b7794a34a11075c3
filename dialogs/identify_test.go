package dialogs

import (
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func TestIdentification(t *testing.T) {
	tests := []struct {
		in, ref, postcode string
		birth             time.Time
		numbers           []int
	}{
		{in: "IB-2026-000123", ref: "IB-2026-000123"},
		{in: "mijn dossier is ib2026000123", ref: "IB-2026-000123"},
		{in: "ib 2026 000123", ref: "IB-2026-000123"},
		{in: "Ib-2026000123 en postcode 1234 ab", ref: "IB-2026-000123", postcode: "1234AB"},
		// The form the verification prompt shows: nothing between the two.
		{in: "IB-2026-000123 1234AB", ref: "IB-2026-000123", postcode: "1234AB"},
		{in: "IB-2026-000123 1234 ab", ref: "IB-2026-000123", postcode: "1234AB"},
		{in: "IB-2026-000123 14-03-1985", ref: "IB-2026-000123", birth: casestore.Date(1985, 3, 14)},
		{in: "ik 2026 000123", numbers: []int{2026}}, // "ik" is no prefix; 000123 is no count
		{in: "1234AB", postcode: "1234AB"},
		{in: "postcode: 1234 ab", postcode: "1234AB"},
		{in: "3511 CE Utrecht", postcode: "3511CE"},
		{in: "ik heb 1000 en meer", numbers: []int{1000}}, // "1000 en" is no postcode
		{in: "postcode 1000", postcode: "1000"},           // Belgian, after the word
		{in: "1000 Brussel", numbers: []int{1000}},        // the state machine decides
		{in: "12-03-1980", birth: casestore.Date(1980, 3, 12)},
		{in: "geboren op 12 maart 1980", birth: casestore.Date(1980, 3, 12)},
		{in: "1980-03-12", birth: casestore.Date(1980, 3, 12)},
		{in: "12/03/80", birth: casestore.Date(1980, 3, 12)},
		{in: "12-03-2020"}, // a six-year-old is no debtor: a plain date
	}
	for _, tt := range tests {
		u := Understand(tt.in, wednesday)
		if u.DossierRef != tt.ref || u.Postcode != tt.postcode || !equalInts(u.Numbers, tt.numbers) {
			t.Errorf("%q: ref %q postcode %q numbers %v; want %q %q %v", tt.in, u.DossierRef, u.Postcode, u.Numbers, tt.ref, tt.postcode, tt.numbers)
		}
		switch {
		case tt.birth.IsZero() && u.BirthDate != nil:
			t.Errorf("%q: birth date %s, want none", tt.in, u.BirthDate.Format(time.DateOnly))
		case !tt.birth.IsZero() && (u.BirthDate == nil || !u.BirthDate.Equal(tt.birth)):
			t.Errorf("%q: birth date %v, want %s", tt.in, u.BirthDate, tt.birth.Format(time.DateOnly))
		}
	}
}
