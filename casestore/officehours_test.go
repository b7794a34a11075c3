package casestore

import (
	"testing"
	"time"
)

func TestParseOfficeHours(t *testing.T) {
	for _, tc := range []struct {
		spec, holidays string
		open           []time.Weekday
		from, to       time.Duration
	}{
		{"mon-fri 09:00-17:00", "", []time.Weekday{1, 2, 3, 4, 5}, 9 * time.Hour, 17 * time.Hour},
		{"Mon-Thu,sat 8-12:30", "be", []time.Weekday{1, 2, 3, 4, 6}, 8 * time.Hour, 12*time.Hour + 30*time.Minute},
		{"sat-mon 10:00-14:00", "none", []time.Weekday{0, 1, 6}, 10 * time.Hour, 14 * time.Hour},
	} {
		o, err := ParseOfficeHours(tc.spec, tc.holidays)
		if err != nil {
			t.Fatalf("%q: %v", tc.spec, err)
		}
		var want [7]bool
		for _, d := range tc.open {
			want[d] = true
		}
		if o.Days != want || o.Open != tc.from || o.Close != tc.to {
			t.Errorf("%q = %+v, want days %v %v-%v", tc.spec, o, want, tc.from, tc.to)
		}
	}
	for _, bad := range [][2]string{
		{"", ""}, {"mon-fri", ""}, {"maandag 9-17", ""}, {"mon-fri 17-9", ""}, {"mon-fri 9:5-17", ""},
		{"mon-fri 09:00-25:00", ""}, {"mon-fri 9-17", "de"},
	} {
		if _, err := ParseOfficeHours(bad[0], bad[1]); err == nil {
			t.Errorf("ParseOfficeHours(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

func TestOfficeHoursOpenAndNextOpening(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, Amsterdam)
	}
	nl := DefaultOfficeHours()
	be, _ := ParseOfficeHours("mon-fri 08:30-16:30", "be")
	for _, tc := range []struct {
		name string
		o    OfficeHours
		now  time.Time
		open bool
		next time.Time
	}{
		{"Tuesday morning", nl, at(2026, 11, 24, 10, 0), true, at(2026, 11, 24, 10, 0)},
		{"Tuesday 17:00 is closed", nl, at(2026, 11, 24, 17, 0), false, at(2026, 11, 25, 9, 0)},
		{"Tuesday before nine", nl, at(2026, 11, 24, 7, 59), false, at(2026, 11, 24, 9, 0)},
		{"Friday evening → Monday", nl, at(2026, 11, 27, 20, 0), false, at(2026, 11, 30, 9, 0)},
		{"Christmas Eve evening skips both Christmas days", nl, at(2026, 12, 24, 18, 0), false, at(2026, 12, 28, 9, 0)},
		{"King's Day closed in NL", nl, at(2026, 4, 27, 11, 0), false, at(2026, 4, 28, 9, 0)},
		{"King's Day open in BE", be, at(2026, 4, 27, 11, 0), true, at(2026, 4, 27, 11, 0)},
		{"21 July closed in BE", be, at(2026, 7, 21, 11, 0), false, at(2026, 7, 22, 8, 30)},
		{"across the switch to summer time", nl, at(2026, 3, 27, 18, 0), false, at(2026, 3, 30, 9, 0)},
	} {
		if got := tc.o.IsOpen(tc.now); got != tc.open {
			t.Errorf("%s: IsOpen = %v, want %v", tc.name, got, tc.open)
		}
		if got := tc.o.NextOpening(tc.now); !got.Equal(tc.next) {
			t.Errorf("%s: NextOpening = %v, want %v", tc.name, got.In(Amsterdam), tc.next)
		}
	}
}
