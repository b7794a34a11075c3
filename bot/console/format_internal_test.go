package console

import (
	"testing"
	"time"
)

func TestWaited(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:             "< 1 min",
		4 * time.Minute:              "4 min",
		2*time.Hour + 5*time.Minute:  "2 u 05 min",
		3*24*time.Hour + 4*time.Hour: "3 d 4 u",
	} {
		if got := waited(d); got != want {
			t.Errorf("waited(%v) = %q, want %q", d, got, want)
		}
	}
}

// A collector reads why a chat is queued in Dutch, whatever code the
// dialog filed; an unknown reason shows as filed rather than vanishing.
func TestReasonText(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"asked", "de debiteur vroeg erom"},
		{"hardship", "financiële nood"},
		{"plan outside policy", "regeling buiten het beleid"},
		{"error: balance", "de assistent liep vast (balance)"},
		{"something new", "something new"},
	} {
		if got := reasonText(tc.code); got != tc.want {
			t.Errorf("reasonText(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}
