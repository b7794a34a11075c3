package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/incassobot/incassobot/bot/browsertest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/incassobot/incassobot/casestore"
)

// A debtor on WhatsApp writes a script tag and asks for a person; a
// collector logs in, claims the chat from the queue, reads the script as
// text, replies — and the reply reaches the debtor's WhatsApp through
// Twilio. After the hand-back the bot answers the debtor again.
func TestE2EConsoleCollectorTakesOverAWhatsAppChat(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Tab(t, 1280, 860, 90*time.Second) // a collector's desktop
	s := startE2E(t, e2eConfig{})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("whatsapp", e2eDebtorPhone)
	const typed = "<script>alert(1)</script>"
	d.says(e2eRef + " 1234AB")
	d.says(typed)
	d.says("ik wil iemand spreken")
	h, err := s.store.OpenHandoff(context.Background(), "whatsapp", e2eDebtorPhone)
	if err != nil {
		t.Fatalf("asking for a person did not queue the chat: %v", err)
	}
	anna := s.addConsoleUser("anna@incasso.example", "Anna de Vries", casestore.RoleCollector)

	alerts := countAlerts(t, ctx)

	row := fmt.Sprintf("#handoff-%d", h.ID)
	err = chromedp.Do(ctx,
		logIn(s.url+"/console/", anna.Email, e2eConsolePassword), // not logged in: the login page first
		chromedp.WaitVisible(row),
	)
	must(t, err, "log in and see the queue")
	queueRow := browsertest.Eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, row))
	if !strings.Contains(queueRow, e2eRef) || !strings.Contains(queueRow, "WhatsApp") || !strings.Contains(queueRow, "J. de Vries") {
		t.Errorf("the queue row reads %q; want the dossier, the channel and the debtor", queueRow)
	}
	queueShot := browsertest.Screenshot(t, ctx)

	err = chromedp.Do(ctx,
		chromedp.Click(row+" button.claim"),
		chromedp.WaitVisible("#reply-text"),
		chromedp.Sleep(200*time.Millisecond), // time for a (wrongly) injected script to run
	)
	must(t, err, "claim the chat")
	conversation := browsertest.Eval[string](t, ctx, `document.getElementById("conversation").textContent`)
	if !strings.Contains(conversation, typed) || !strings.Contains(conversation, "ik wil iemand spreken") {
		t.Errorf("the conversation reads %q; want the debtor's words literally", short(conversation))
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#conversation script, #dossier script").length`); n != 0 {
		t.Errorf("the debtor's text became %d script elements", n)
	}
	if open := browsertest.Eval[string](t, ctx, `document.getElementById("open").textContent`); !strings.HasPrefix(open, "€ ") {
		t.Errorf("the case's open balance reads %q", open)
	}

	const reply = "Goedendag, u spreekt met Anna. Ik zie uw dossier en bel u morgen om 10 uur."
	err = chromedp.Do(ctx,
		chromedp.SendKeys("#reply-text", reply),
		chromedp.Click("#send"),
		chromedp.WaitVisible(".notice"),
	)
	must(t, err, "send the reply")
	// The debtor was told who took over, and reads the reply under Anna's first name.
	waitDelivered(t, d, "U spreekt nu met Anna.")
	waitDelivered(t, d, "Anna: "+reply)
	chatShot := browsertest.Screenshot(t, ctx)
	if n := alerts.Load(); n != 0 {
		t.Errorf("%d alert dialogs opened", n)
	}
	entries := s.dossier(c.ID)
	if got := messages(t, entries, casestore.EntryMessageOut, "whatsapp"); len(got) == 0 || got[len(got)-1] != reply {
		t.Errorf("the dossier's last message.out is not the collector's reply: %q", got)
	}
	if last := entries[len(entries)-1]; last.Actor != casestore.Actor(fmt.Sprintf("collector:%d", anna.ID)) {
		t.Errorf("the reply is filed as by %q, want collector:%d", last.Actor, anna.ID)
	}

	err = chromedp.Do(ctx,
		chromedp.Click("#hand-back"),
		chromedp.WaitVisible("#filters"), // back on the queue
	)
	must(t, err, "hand back to the bot")
	notice := browsertest.Eval[string](t, ctx, `document.querySelector(".notice").textContent`)
	if !strings.Contains(notice, "teruggegeven aan de assistent") {
		t.Errorf("after the hand-back the queue says %q", notice)
	}
	if _, err := s.store.OpenHandoff(context.Background(), "whatsapp", e2eDebtorPhone); !errors.Is(err, casestore.ErrNotFound) {
		t.Fatalf("after the hand-back the chat is still with the collectors: %v", err)
	}
	if got := d.says("saldo"); !strings.Contains(got, e2ePrincipal) {
		t.Errorf("after the hand-back the bot must answer with the balance (hoofdsom %s), got %s", e2ePrincipal, short(got))
	}

	if t.Failed() {
		return // keep the last good pictures
	}
	// `make screenshots` refreshes the pictures in docs/; an ordinary test
	// run leaves the work tree alone.
	browsertest.SaveForDocs(t, "console-queue.png", queueShot)
	browsertest.SaveForDocs(t, "console-chat.png", chatShot)
}

// waitDelivered waits until the fake Twilio accepted text for the debtor.
func waitDelivered(t *testing.T, d *debtor, text string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range d.deliveries() {
			if m.Body == text {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the collector's reply never reached the debtor's WhatsApp; received %q", d.received())
}
