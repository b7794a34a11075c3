package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// Red team session 5, MEDIUM-1: 30 wrong guesses from 10 addresses spent
// the case's web chat ceiling, and then the real debtor was refused from a
// new address with the right answer. Past the ceiling the web chat now
// steps up instead: the dossier number with the postcode AND the date of
// birth is still judged (both must match), one factor alone is not, and
// the failure reply says plainly what to send — the same reply whether or
// not the dossier number exists.
func TestPastTheCaseCeilingTheDebtorVerifiesWithBothFactors(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			var wg sync.WaitGroup
			for a := range 10 { // 10 addresses × 3 wrong guesses, concurrently
				for g := range 3 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, err := f.conv.Handle(context.Background(), bot.Inbound{Channel: "web",
							From: fmt.Sprintf("wc_guess%02d_%d", a, g), Client: fmt.Sprintf("71.0.0.%d", a+1),
							Text: fmt.Sprintf("IB-2026-000777 %04dZZ", 1000+10*a+g)})
						if err != nil {
							t.Error(err)
						}
					}()
				}
			}
			wg.Wait()
			failed, succeeded, refused := judgedOn(t, f.store, f.c.ID)
			if failed != bot.CaseAttempts || succeeded != 0 || refused != 30-bot.CaseAttempts {
				t.Fatalf("30 guesses: %d judged wrong, %d right, %d refused; want %d, 0, %d", failed, succeeded, refused, bot.CaseAttempts, 30-bot.CaseAttempts)
			}
			oneFactor := f.web("wc_debtor1", "72.0.0.9", "IB-2026-000777 1234AB")
			if strings.Contains(oneFactor, f.c.Debtor.Name) {
				t.Fatalf("past the ceiling one factor still got in:\n%s", oneFactor)
			}
			unknown := f.web("wc_unknown", "72.0.0.10", "IB-2026-000999 1234AB")
			if oneFactor != unknown {
				t.Fatalf("the reply tells a dossier number at its ceiling from an unknown one:\n%s\nvs\n%s", oneFactor, unknown)
			}
			if !strings.Contains(oneFactor, "postcode én geboortedatum samen") {
				t.Fatalf("the refusal does not say what to send:\n%s", oneFactor)
			}
			// A debtor who cannot give both (no birth date on file, or
			// not at hand) is offered a person, and gets one.
			if !strings.Contains(oneFactor, "medewerker") {
				t.Fatalf("the refusal offers no way out for a debtor without both factors:\n%s", oneFactor)
			}
			f.web("wc_debtor1", "72.0.0.9", "medewerker graag")
			if queue, err := f.store.Queue(context.Background(), casestore.QueueFilter{}); err != nil || len(queue) != 1 {
				t.Fatalf("asking for a person after the refusal queued %d chats (%v), want 1", len(queue), err)
			}
			if reply := f.web("wc_wrongdob", "72.0.0.11", "IB-2026-000777 1234AB 15-03-1985"); strings.Contains(reply, f.c.Debtor.Name) {
				t.Fatalf("past the ceiling the right postcode with a wrong birth date got in:\n%s", reply)
			}
			if reply := f.web("wc_debtor2", "72.0.0.12", "IB-2026-000777 1234AB 14-03-1985"); !strings.Contains(reply, f.c.Debtor.Name) {
				t.Fatalf("the debtor with postcode and birth date was refused past the ceiling:\n%s", reply)
			}
		})
	}
}
