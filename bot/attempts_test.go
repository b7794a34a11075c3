package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/incassobot/incassobot/dialogs"
)

// web sends one web chat message from conversation conv (and client
// address client) and returns the reply text.
func (f *fixture) web(conv, client, text string) string {
	f.t.Helper()
	turn, err := f.conv.Handle(context.Background(), bot.Inbound{Channel: "web", From: conv, Client: client, Text: text})
	if err != nil {
		f.t.Fatalf("Handle(%q): %v", text, err)
	}
	var b strings.Builder
	for _, r := range turn.Replies {
		b.WriteString(r.Text + "\n")
	}
	return b.String()
}

// judgedOn counts the attempts on case id whose second factor was compared.
func judgedOn(t *testing.T, st casestore.Store, id int64) (failed, succeeded, refused int) {
	t.Helper()
	es, err := st.Dossier(context.Background(), id, casestore.DossierQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		var body struct{ Reason string }
		_ = json.Unmarshal(e.Body, &body)
		switch {
		case e.Kind == "verification.failed" && body.Reason == "second factor":
			failed++
		case e.Kind == "verification.succeeded":
			succeeded++
		case e.Kind == "verification.refused":
			refused++
		}
	}
	return failed, succeeded, refused
}

// Forty guesses at once from forty fresh web chat sessions: the attempts
// are counted before they are judged, so at most three are compared.
func TestConcurrentGuessesFromFreshSessionsAreJudgedAtMostThree(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			const n = 40
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = f.conv.Handle(context.Background(), bot.Inbound{Channel: "web",
						From: fmt.Sprintf("wc_guess%02d", i), Text: fmt.Sprintf("IB-2026-000777 %04dZZ", 1000+i)})
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("guess %d: %v", i, err)
				}
			}
			failed, succeeded, refused := judgedOn(t, f.store, f.c.ID)
			t.Logf("%d concurrent guesses: %d judged, %d refused unjudged", n, failed+succeeded, refused)
			if failed > 3 || succeeded != 0 || failed+refused != n {
				t.Fatalf("of %d concurrent guesses %d were judged wrong, %d right, %d refused; want at most 3 judged, the rest refused", n, failed, succeeded, refused)
			}
			// The right postcode from yet another session is not judged either.
			reply := f.web("wc_latecomer", "", "IB-2026-000777 1234AB") + f.web("wc_latecomer", "", "saldo")
			if s := leaks(reply, f.c); s != "" {
				t.Fatalf("after the burst the right guess still got in (%q shown)", s)
			}
		})
	}
}

// Strangers guessing on the web chat and from unknown numbers lock only
// themselves: the debtor writing from the number on file still verifies.
func TestAStrangerCannotLockTheDebtorOut(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			for i := range 5 {
				f.web(fmt.Sprintf("wc_stranger%d", i), "198.51.100.66", "IB-2026-000777 9999ZZ")
			}
			for range 3 {
				f.say("sms", "+31699999999", "IB-2026-000777 9999ZZ")
			}
			f.say("sms", debtorPhone, "hallo")
			reply := f.say("sms", debtorPhone, "IB-2026-000777 1234AB") + f.say("sms", debtorPhone, "saldo")
			if !strings.Contains(reply, "1.234,5") {
				t.Fatalf("the debtor was locked out by strangers:\n%s", reply)
			}
			if _, succeeded, _ := judgedOn(t, f.store, f.c.ID); succeeded != 1 {
				t.Fatalf("verification.succeeded %d times, want 1", succeeded)
			}
		})
	}
}

// When strangers have spent a case's attempts, a fresh session hears
// exactly what it would hear for a dossier number that does not exist.
func TestTheLockReplyDoesNotTellWhetherADossierExists(t *testing.T) {
	f := newFixture(t, backends[0])
	for i := range 3 {
		f.web(fmt.Sprintf("wc_spend%d", i), "", "IB-2026-000777 9999ZZ")
	}
	existing := f.web("wc_probe1", "", "IB-2026-000777 1234AB")
	missing := f.web("wc_probe2", "", "IB-2026-999999 1234AB")
	if existing != missing {
		t.Fatalf("a spent case answers differently from a missing one:\nexisting: %s\nmissing:  %s", existing, missing)
	}
	if _, _, refused := judgedOn(t, f.store, f.c.ID); refused != 1 {
		t.Fatalf("the refused attempt is not in the case's dossier (%d)", refused)
	}
}

// The lockout is in the system of record: losing Redis resets nothing.
func TestLockoutsSurviveLosingHotState(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			f.say("sms", debtorPhone, "hallo")
			for range 3 {
				f.say("sms", debtorPhone, "IB-2026-000777 9999ZZ")
			}
			f.conv.Hot = hotstate.NewMemory() // a flushed or restarted Redis
			reply := f.say("sms", debtorPhone, "IB-2026-000777 1234AB") + f.say("sms", debtorPhone, "saldo")
			if s := leaks(reply, f.c); s != "" {
				t.Fatalf("after losing hot state the locked sender got in (%q shown):\n%s", s, reply)
			}
		})
	}
}

// One client address may try only so many second factors, over every
// case: a few postcodes on each sequential dossier number get nowhere.
func TestOneClientCannotGuessAcrossManyCases(t *testing.T) {
	f := newFixture(t, backends[0])
	var cases []*casestore.Case
	for i := range 6 {
		cases = append(cases, storetest.NewCase(t, f.store, fmt.Sprintf("IB-2026-00080%d", i)))
	}
	const attacker = "198.51.100.9"
	session := 0
	guess := func(client, ref, pc string) string {
		session++
		return f.web(fmt.Sprintf("wc_client%03d", session), client, ref+" "+pc)
	}
	for _, c := range cases[:5] {
		for range 2 {
			guess(attacker, c.Ref, "9999ZZ")
		}
	}
	last := cases[5]
	if reply := guess(attacker, last.Ref, "1234AB"); strings.Contains(reply, last.Debtor.Name) {
		t.Fatalf("the %dth attempt from one client was judged:\n%s", bot.ClientAttempts+1, reply)
	}
	if reply := guess("198.51.100.10", last.Ref, "1234AB"); !strings.Contains(reply, last.Debtor.Name) {
		t.Fatalf("another client was refused too:\n%s", reply)
	}
	f.now = f.now.Add(bot.ClientWindow)
	if reply := guess(attacker, last.Ref, "1234AB"); !strings.Contains(reply, last.Debtor.Name) {
		t.Fatalf("the client's limit never ends:\n%s", reply)
	}
}

// Issue 13 (blind re-attack): three wrong guesses by anyone, from fresh
// web chat sessions, blocked web chat verification of the case for
// everybody for 15 minutes. The three-strikes rule now counts per case and
// client address: the outsider locks only the outsider's address, and the
// debtor at home still verifies in the web chat.
func TestAnOutsiderCannotLockTheDebtorOutOfTheWebChat(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			const outsider, debtor = "198.51.100.66", "192.0.2.10"
			for i := range 4 {
				f.web(fmt.Sprintf("wc_outsider%d", i), outsider, "IB-2026-000777 9999ZZ")
			}
			if reply := f.web("wc_outsider_right", outsider, "IB-2026-000777 1234AB"); strings.Contains(reply, f.c.Debtor.Name) {
				t.Fatalf("the outsider's address was judged after %d wrong guesses:\n%s", dialogs.MaxFailures+1, reply)
			}
			if reply := f.web("wc_debtor", debtor, "IB-2026-000777 1234AB"); !strings.Contains(reply, f.c.Debtor.Name) {
				t.Fatalf("an outsider's wrong guesses locked the debtor out of the web chat:\n%s", reply)
			}
		})
	}
}

// Many addresses guessing at one case at once (a botnet) are stopped by
// the case-wide ceiling: of 60 concurrent guesses from 60 addresses at
// most CaseAttempts are judged, and then even the right postcode from yet
// another address is not. The debtor's own phone channels — SMS, WhatsApp,
// Telegram with the number on file — are never blocked by any of it.
func TestDistributedWebChatGuessesHitTheCaseCeilingNotTheDebtorsPhone(t *testing.T) {
	if bot.CaseAttempts <= 2*bot.ClientAttempts {
		t.Fatalf("CaseAttempts %d must exceed what one address can spend in a window (2×%d)", bot.CaseAttempts, bot.ClientAttempts)
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			const n = 60
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = f.conv.Handle(context.Background(), bot.Inbound{Channel: "web", From: fmt.Sprintf("wc_bot%02d", i),
						Client: fmt.Sprintf("203.0.113.%d", i+1), Text: fmt.Sprintf("IB-2026-000777 %04dZZ", 1000+i)})
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("guess %d: %v", i, err)
				}
			}
			failed, succeeded, refused := judgedOn(t, f.store, f.c.ID)
			t.Logf("%d concurrent guesses from %d addresses: %d judged, %d refused", n, n, failed+succeeded, refused)
			if failed > bot.CaseAttempts || succeeded != 0 || failed+refused != n || failed < bot.CaseAttempts/2 {
				t.Fatalf("%d judged wrong, %d right, %d refused; want at most %d judged, the rest refused", failed, succeeded, refused, bot.CaseAttempts)
			}
			if reply := f.web("wc_late", "203.0.113.200", "IB-2026-000777 1234AB"); strings.Contains(reply, f.c.Debtor.Name) {
				t.Fatalf("past the case's ceiling the right postcode still got in:\n%s", reply)
			}
			for _, ch := range []string{"sms", "whatsapp"} {
				f.say(ch, debtorPhone, "hallo")
				if reply := f.say(ch, debtorPhone, "IB-2026-000777 1234AB") + f.say(ch, debtorPhone, "saldo"); !strings.Contains(reply, "1.234,5") {
					t.Fatalf("web chat guessers blocked the debtor's %s:\n%s", ch, reply)
				}
			}
			var reply strings.Builder
			for _, text := range []string{"hallo", "IB-2026-000777 1234AB", "saldo"} {
				turn, err := f.conv.Handle(context.Background(), bot.Inbound{Channel: "telegram", From: "4242", Phone: debtorPhone, Text: text})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range turn.Replies {
					reply.WriteString(r.Text + "\n")
				}
			}
			if !strings.Contains(reply.String(), "1.234,5") {
				t.Fatalf("web chat guessers blocked the debtor's Telegram:\n%s", reply.String())
			}
		})
	}
}

// Red team session 6, N4: one party holding an IPv6 /48 rotated through
// its /64s, each under the per-client limit, trying a common postcode on
// sequential dossier numbers. A network (a /48, an IPv4 /24) now has its
// own limit over every case: past NetworkAttempts failures a day, even the
// right postcode from yet another /64 of it is not judged, while another
// network's debtor verifies.
func TestOneNetworkCannotGuessAcrossManyCasesFromManyAddresses(t *testing.T) {
	f := newFixture(t, backends[0])
	var cases []*casestore.Case
	for i := range 8 {
		cases = append(cases, storetest.NewCase(t, f.store, fmt.Sprintf("IB-2026-00090%d", i)))
	}
	session := 0
	guess := func(client, ref, pc string) string {
		session++
		return f.web(fmt.Sprintf("wc_net%03d", session), client, ref+" "+pc)
	}
	n := 0
	for k := 0; n < bot.NetworkAttempts; k++ { // /64 after /64, each within its own limit
		for i := 0; i < bot.ClientAttempts-1 && n < bot.NetworkAttempts; i++ {
			guess(fmt.Sprintf("2001:db8:77:%x::1", k), cases[n%len(cases)].Ref, "9999ZZ")
			n++
		}
	}
	last := storetest.NewCase(t, f.store, "IB-2026-000910")
	if reply := guess("2001:db8:77:ff::1", last.Ref, "1234AB"); strings.Contains(reply, last.Debtor.Name) {
		t.Fatalf("after %d failures from one /48, a fresh /64 of it was still judged:\n%s", bot.NetworkAttempts, reply)
	}
	if reply := guess("2001:db8:78:1::1", last.Ref, "1234AB"); !strings.Contains(reply, last.Debtor.Name) {
		t.Fatalf("a debtor in another /48 was refused too:\n%s", reply)
	}
}
