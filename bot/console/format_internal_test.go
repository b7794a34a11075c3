package console

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
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

// An error page says in sentences what did not work and what to do; the
// store's own error string (a driver's, a sentinel's) never reaches it.
func TestFailTextIsForAPerson(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		says   string
	}{
		{fmt.Errorf("handoff 7: %w", casestore.ErrNotFound), 404, "De chat openen is niet gelukt: deze chat of dit dossier bestaat niet (meer)."},
		{fmt.Errorf("release: nobody holds it: %w", casestore.ErrConflict), 409, "iemand anders was u voor"},
		{fmt.Errorf("plan 3: bad state %q: %w", "x", casestore.ErrInvalid), 400, "Controleer ze en probeer het opnieuw."},
		{errNoCase, 409, "De chat openen is niet gelukt. Dit gesprek hoort (nog) bij geen dossier"},
		{formError("Kies een medewerker."), 400, "De chat openen is niet gelukt. Kies een medewerker."},
		{errors.New("postgres: commit: context canceled"), 500, "door een storing bij ons"},
	} {
		status, _, text := failText(tc.err, "de chat openen")
		if status != tc.status || !strings.Contains(text, tc.says) {
			t.Errorf("%v: %d %q; want %d saying %q", tc.err, status, text, tc.status, tc.says)
		}
		for _, leak := range []string{"postgres", "nobody holds", "bad state", "handoff 7", "casestore"} {
			if strings.Contains(text, leak) {
				t.Errorf("%v: the page says %q, with %q", tc.err, text, leak)
			}
		}
	}
}
