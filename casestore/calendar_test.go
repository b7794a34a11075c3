package casestore

import (
	"testing"
	"time"
)

func TestEasterSunday(t *testing.T) {
	// Published Easter dates (Gregorian).
	for y, want := range map[int]time.Time{
		2019: Date(2019, 4, 21), 2024: Date(2024, 3, 31), 2025: Date(2025, 4, 20),
		2026: Date(2026, 4, 5), 2027: Date(2027, 3, 28), 2038: Date(2038, 4, 25),
	} {
		if got := easterSunday(y); !got.Equal(want) {
			t.Errorf("Easter %d = %s, want %s", y, got.Format(time.DateOnly), want.Format(time.DateOnly))
		}
	}
}

func TestIsDutchHoliday(t *testing.T) {
	tests := []struct {
		day  time.Time
		want bool
		why  string
	}{
		{Date(2026, 1, 1), true, "Nieuwjaarsdag"},
		{Date(2026, 4, 3), false, "Goede Vrijdag is not in art. 3 lid 1 (post is delivered); IsTermHoliday adds it"},
		{Date(2026, 4, 5), true, "Eerste Paasdag"},
		{Date(2026, 4, 6), true, "Tweede Paasdag"},
		{Date(2026, 4, 27), true, "Koningsdag (Monday)"},
		{Date(2025, 4, 26), true, "Koningsdag 2025: 27 April was a Sunday, so Saturday 26th"},
		{Date(2025, 4, 27), false, "the Sunday itself is not Koningsdag"},
		{Date(2013, 4, 30), true, "Koninginnedag before 2014"},
		{Date(2026, 5, 5), true, "Bevrijdingsdag: 'de vijfde mei' in art. 3 Atw, every year"},
		{Date(2026, 5, 14), true, "Hemelvaartsdag (Easter + 39)"},
		{Date(2026, 5, 24), true, "Eerste Pinksterdag (Easter + 49)"},
		{Date(2026, 5, 25), true, "Tweede Pinksterdag (Easter + 50)"},
		{Date(2026, 12, 25), true, "Eerste Kerstdag"},
		{Date(2026, 12, 26), true, "Tweede Kerstdag"},
		{Date(2026, 12, 24), false, "Christmas Eve"},
		{Date(2026, 11, 24), false, "ordinary Tuesday"},
	}
	for _, tt := range tests {
		if got := IsDutchHoliday(tt.day); got != tt.want {
			t.Errorf("IsDutchHoliday(%s) = %v, want %v (%s)", tt.day.Format(time.DateOnly), got, tt.want, tt.why)
		}
	}
}

func TestIsTermHoliday(t *testing.T) {
	// Algemene Termijnenwet art. 3: lid 1 (IsDutchHoliday), lid 2 Good
	// Friday, lid 3 the days of the decree for 2026-2028 ("Besluit
	// gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april
	// 2028 en 26 mei 2028 met een algemeen erkende feestdag").
	for _, tt := range []struct {
		day  time.Time
		want bool
		why  string
	}{
		{Date(2026, 4, 3), true, "Goede Vrijdag 2026, art. 3 lid 2"},
		{Date(2027, 3, 26), true, "Goede Vrijdag 2027 (Easter 28 March)"},
		{Date(2026, 1, 2), true, "decree: Friday after New Year 2026"},
		{Date(2026, 5, 15), true, "decree: Friday after Ascension 2026"},
		{Date(2027, 5, 7), true, "decree 2027"},
		{Date(2028, 4, 28), true, "decree 2028"},
		{Date(2028, 5, 26), true, "decree 2028"},
		{Date(2026, 5, 14), true, "Ascension itself, lid 1"},
		{Date(2026, 5, 22), false, "an ordinary Friday"},
		{Date(2027, 1, 2), false, "2 January is equated only in 2026"},
	} {
		if got := IsTermHoliday(tt.day); got != tt.want {
			t.Errorf("IsTermHoliday(%s) = %v, want %v (%s)", tt.day.Format(time.DateOnly), got, tt.want, tt.why)
		}
	}
}

func TestLetterExpiry(t *testing.T) {
	// Rule (see LetterExpiry): receipt on the 2nd day after sending, not
	// counting Sundays, Mondays and holidays; last day = receipt + 14; a
	// last day on Saturday, Sunday or a holiday moves to the next day
	// (Algemene Termijnenwet art. 1).
	tests := []struct {
		name string
		sent time.Time
		want time.Time
	}{
		// Wed 18 Nov: Thu 19 (1), Fri 20 (2) = receipt; 20 + 14 = Fri 4 Dec.
		{"plain weekdays", Date(2026, 11, 18), Date(2026, 12, 4)},
		// Fri 20 Nov: Sat 21 (1), Sun 22 and Mon 23 no post, Tue 24 (2) =
		// receipt; 24 + 14 = Tue 8 Dec.
		{"over a weekend: Sunday and Monday skipped", Date(2026, 11, 20), Date(2026, 12, 8)},
		// Sat 21 Nov: Sun, Mon skipped, Tue 24 (1), Wed 25 (2); + 14 = Wed 9 Dec.
		{"sent on Saturday", Date(2026, 11, 21), Date(2026, 12, 9)},
		// Thu 2 Apr 2026: Fri 3 (Good Friday, post delivered) (1), Sat 4 (2)
		// = receipt; 4 + 14 = Sat 18 Apr → Sunday 19 → Monday 20 Apr.
		{"Easter: Good Friday counts, term ending Saturday moves to Monday", Date(2026, 4, 2), Date(2026, 4, 20)},
		// Fri 3 Apr 2026: Sat 4 (1), Sun 5 Easter, Mon 6 Easter Monday skipped,
		// Tue 7 (2); + 14 = Tue 21 Apr.
		{"Easter weekend skipped", Date(2026, 4, 3), Date(2026, 4, 21)},
		// Fri 17 Apr 2026: Sat 18 (1), Sun 19, Mon 20 skipped, Tue 21 (2);
		// + 14 = Tue 5 May, Bevrijdingsdag → Wed 6 May.
		{"term ending on 5 May moves a day", Date(2026, 4, 17), Date(2026, 5, 6)},
		// Thu 24 Dec 2026: Fri 25, Sat 26 Christmas, Sun 27, Mon 28 skipped,
		// Tue 29 (1), Wed 30 (2); + 14 = Wed 13 Jan 2027.
		{"Christmas", Date(2026, 12, 24), Date(2027, 1, 13)},
		// Tue 22 Dec 2026: Wed 23 (1), Thu 24 (2); + 14 = Thu 7 Jan 2027
		// (the term runs over Christmas and New Year; only the end matters).
		{"term spanning Christmas", Date(2026, 12, 22), Date(2027, 1, 7)},
		// Issue #14, Atw art. 3 lid 2. Wed 10 Mar 2027: Thu 11 (1), Fri 12
		// (2) = receipt; + 14 = Fri 26 Mar, Good Friday → Sat, Sun, Mon 29
		// Easter Monday → Tue 30 Mar 2027 (was Fri 26 Mar: 4 days early).
		{"term ending on Good Friday", Date(2027, 3, 10), Date(2027, 3, 30)},
		// Atw art. 3 lid 3, decree 2026-2028. Wed 29 Apr 2026: Thu 30 (1),
		// Fri 1 May (2); + 14 = Fri 15 May, equated day → Mon 18 May.
		{"term ending on the Friday after Ascension", Date(2026, 4, 29), Date(2026, 5, 18)},
		// Wed 17 Dec 2025: Thu 18 (1), Fri 19 (2); + 14 = Fri 2 Jan 2026,
		// equated day → Mon 5 Jan 2026.
		{"term ending on 2 January 2026", Date(2025, 12, 17), Date(2026, 1, 5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LetterExpiry(tt.sent); !got.Equal(tt.want) {
				t.Errorf("LetterExpiry(%s) = %s %s, want %s", tt.sent.Format(time.DateOnly), got.Weekday(), got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
			}
		})
	}
}

func TestBEReminderExpiry(t *testing.T) {
	// Book XIX art. XIX.2 §1: 14 days from the 3rd working day after a
	// paper reminder (counted from the day after, see BEReminderExpiry).
	// Mon 16 Nov 2026: Tue 17 (1), Wed 18 (2), Thu 19 (3); + 14 = Thu 3 Dec.
	if got := BEReminderExpiry(Date(2026, 11, 16)); !got.Equal(Date(2026, 12, 3)) {
		t.Errorf("plain week: %s", got.Format(time.DateOnly))
	}
	// Thu 29 Oct 2026: Fri 30 (1), weekend, Mon 2 Nov (2) — 1 Nov is a Sunday
	// anyway — Tue 3 (3); + 14 = Tue 17 Nov. And Fri 6 Nov: Mon 9 (1),
	// Tue 10 (2), Wed 11 is Armistice Day, Thu 12 (3); + 14 = Thu 26 Nov.
	if got := BEReminderExpiry(Date(2026, 10, 29)); !got.Equal(Date(2026, 11, 17)) {
		t.Errorf("over a weekend: %s", got.Format(time.DateOnly))
	}
	if got := BEReminderExpiry(Date(2026, 11, 6)); !got.Equal(Date(2026, 11, 26)) {
		t.Errorf("over 11 November: %s", got.Format(time.DateOnly))
	}
}

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	start := Date(2028, 1, 31) // 2028 is a leap year
	want := []time.Time{Date(2028, 1, 31), Date(2028, 2, 29), Date(2028, 3, 31), Date(2028, 4, 30), Date(2029, 2, 28)}
	for i, n := range []int{0, 1, 2, 3, 13} {
		if got := addMonths(start, n); !got.Equal(want[i]) {
			t.Errorf("addMonths(31 Jan, %d) = %s, want %s", n, got.Format(time.DateOnly), want[i].Format(time.DateOnly))
		}
	}
}
