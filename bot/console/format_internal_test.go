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
