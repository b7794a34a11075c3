package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/casestore"
)

// consoleChromium is Debian's chromium (scripts/ensure-chromium.sh installs it).
const consoleChromium = "/usr/bin/chromium"

// consoleBrowser starts a headless chromium with a desktop-sized window,
// or skips (fails on CI) when there is none.
func consoleBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(consoleChromium); err != nil {
		msg := consoleChromium + " is missing; run scripts/ensure-chromium.sh"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(consoleChromium),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860), // a collector's desktop
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// A debtor on WhatsApp writes a script tag and asks for a person; a
// collector logs in, claims the chat from the queue, reads the script as
// text, replies — and the reply reaches the debtor's WhatsApp through
// Twilio. After the hand-back the bot answers the debtor again.
func TestE2EConsoleCollectorTakesOverAWhatsAppChat(t *testing.T) {
	ctx := consoleBrowser(t)
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
	const email, password = "anna@incasso.example", "Welkom bij het incassobureau"
	hash, err := auth.HashPassword(password)
	must(t, err, "hash password")
	anna := &casestore.User{Email: email, Name: "Anna de Vries", Role: casestore.RoleCollector, PasswordHash: hash}
	must(t, s.store.AddUser(context.Background(), anna), "add collector")

	var alerts atomic.Int32
	must(t, chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			alerts.Add(1)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}), "listen for dialogs")

	row := fmt.Sprintf("#handoff-%d", h.ID)
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/console/"), // not logged in: the login page
		chromedp.WaitVisible("#login"),
		chromedp.SendKeys("#email", email),
		chromedp.SendKeys("#password", password),
		chromedp.Click("#login-submit"),
		chromedp.WaitVisible(row),
	)
	must(t, err, "log in and see the queue")
	queueRow := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, row))
	if !strings.Contains(queueRow, e2eRef) || !strings.Contains(queueRow, "whatsapp") {
		t.Errorf("the queue row reads %q; want the dossier and the channel", queueRow)
	}
	queueShot := consoleShot(t, ctx)

	err = chromedp.Do(ctx,
		chromedp.Click(row+" button.claim"),
		chromedp.WaitVisible("#reply-text"),
		chromedp.Sleep(200*time.Millisecond), // time for a (wrongly) injected script to run
	)
	must(t, err, "claim the chat")
	conversation := evalJS[string](t, ctx, `document.getElementById("conversation").textContent`)
	if !strings.Contains(conversation, typed) || !strings.Contains(conversation, "ik wil iemand spreken") {
		t.Errorf("the conversation reads %q; want the debtor's words literally", short(conversation))
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll("#conversation script, #dossier script").length`); n != 0 {
		t.Errorf("the debtor's text became %d script elements", n)
	}
	if open := evalJS[string](t, ctx, `document.getElementById("open").textContent`); !strings.HasPrefix(open, "€ ") {
		t.Errorf("the case's open balance reads %q", open)
	}

	const reply = "Goedendag, u spreekt met Anna. Ik zie uw dossier en bel u morgen om 10 uur."
	err = chromedp.Do(ctx,
		chromedp.SendKeys("#reply-text", reply),
		chromedp.Click("#send"),
		chromedp.WaitVisible(".notice"),
	)
	must(t, err, "send the reply")
	waitDelivered(t, d, reply)
	chatShot := consoleShot(t, ctx)
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
	notice := evalJS[string](t, ctx, `document.querySelector(".notice").textContent`)
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
	if dir := os.Getenv("SCREENSHOTS"); dir != "" {
		for name, shot := range map[string][]byte{"console-queue.png": queueShot, "console-chat.png": chatShot} {
			if err := os.WriteFile(filepath.Join("..", "..", dir, name), shot, 0o644); err != nil {
				t.Errorf("screenshot: %v", err)
			}
		}
	}
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

func consoleShot(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	must(t, err, "screenshot")
	return shot
}

func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}
