package importfile

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// A date in a creditor's file is a calendar day or a clear error: an
// accepted one is midnight UTC, reads back from ISO as itself, and never
// rolls an impossible day over into the next month.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2026-03-31", "31-03-2026", "1/2/2026", "29.02.2024", "31-02-2026", "00-01-2026", "1-13-2026",
		" 2026-03-31 ", "99-99-9999", "2026-02-30", "31-03-26", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := ParseDay(raw)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDay(%q) = %v: not a calendar day", raw, d)
		}
		if again, err := ParseDay(d.Format(time.DateOnly)); err != nil || !again.Equal(d) {
			t.Fatalf("ParseDay(%q) = %v does not read back: %v, %v", raw, d, again, err)
		}
		if m := dayFirst.FindStringSubmatch(strings.TrimSpace(raw)); m != nil {
			day, _ := strconv.Atoi(m[1])
			month, _ := strconv.Atoi(m[2])
			if d.Day() != day || int(d.Month()) != month {
				t.Fatalf("ParseDay(%q) = %s: rolled over", raw, d.Format(time.DateOnly))
			}
		}
	})
}
