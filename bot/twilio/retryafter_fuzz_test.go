package twilio

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// Retry-After comes from whatever answers at Twilio's address: the hint
// is never negative and never longer than maxRetryAfter (a reply held for
// a century by one odd header is a reply lost), and a plain number of
// seconds within that bound is taken as it is, one beyond it is capped.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	for _, s := range []string{"", "0", "30", " 120 ", "-5", "3600", "86400", "9223372036855", "99999999999999999999",
		"Mon, 02 Mar 2026 09:31:00 GMT", "Mon, 02 Mar 2126 09:31:00 GMT", "Sun, 01 Mar 2026 09:31:00 GMT", "soon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d := parseRetryAfter(v, now)
		if d < 0 || d > maxRetryAfter {
			t.Fatalf("parseRetryAfter(%q) = %v: want 0..%v", v, d, maxRetryAfter)
		}
		secs, err := strconv.Atoi(strings.TrimSpace(v))
		switch {
		case err != nil || secs < 0:
		case time.Duration(secs) <= maxRetryAfter/time.Second:
			if d != time.Duration(secs)*time.Second {
				t.Fatalf("parseRetryAfter(%q) = %v, want %ds", v, d, secs)
			}
		case d != maxRetryAfter:
			// Multiplied out, a huge count wraps round to a short or
			// negative wait.
			t.Fatalf("parseRetryAfter(%q) = %v, want the cap %v", v, d, maxRetryAfter)
		}
	})
}
