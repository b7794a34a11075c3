package webchat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/browsertest"
	"github.com/incassobot/incassobot/bot/webchat"
)

// On a 390 px phone and a 1366 px desktop a debtor sees whose chat this is
// before typing anything, the header leaves the screen to the
// conversation, nothing scrolls sideways, the input's example changes once
// the bot knows the debtor, and a button says and sends its own label.
func TestBrowserChatOnAPhoneAndADesktop(t *testing.T) {
	const agency = "Incassobureau De Vries & Zn. B.V."
	ctx := browsertest.Tab(t, 390, 844, 60*time.Second)
	sink := &recordingSink{}
	wc := webchat.New(webchat.Config{Agency: agency}, sink, newHot(), nil)
	sink.reply = func(in bot.Inbound) {
		out := bot.Outgoing{Channel: "web", To: in.From, Text: "Dank u, Sanne de Vries. U bent geïdentificeerd. Waarmee kan ik u helpen?",
			Options: []string{"Saldo bekijken", "Betalingsregeling", "Medewerker"}}
		if in.Text != "IB-2026-000101 3512JK" {
			out = bot.Outgoing{Channel: "web", To: in.From, Text: "U koos: " + in.Text}
		}
		if _, err := wc.Send(context.Background(), out); err != nil {
			t.Errorf("Send: %v", err)
		}
	}
	srv := newServer(t, wc.Handler())
	t.Cleanup(wc.Close)

	must := func(err error, what string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/chat"), chromedp.WaitVisible(`main[data-live="true"]`)), "open the chat")

	// Before identification: the agency's name in the header, in view.
	visible := `(() => { const r = document.getElementById("agency").getBoundingClientRect();
		return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; })()`
	if !browsertest.Eval[bool](t, ctx, visible) {
		t.Error("the agency's name is not in view before identification")
	}
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("agency").textContent`); got != agency {
		t.Errorf("the header names %q, want %q", got, agency)
	}
	if h := browsertest.Eval[float64](t, ctx, `document.querySelector("header").getBoundingClientRect().height / innerHeight`); h > 0.12 {
		t.Errorf("the header takes %.0f%% of a 390 px phone's height, want at most 12%%", h*100)
	}
	if n := browsertest.Overflow(t, ctx); n > 0 {
		t.Errorf("at 390 px the chat is %d px wider than the screen", n)
	}
	start := browsertest.Screenshot(t, ctx)
	placeholder := `document.getElementById("text").placeholder`
	if p := browsertest.Eval[string](t, ctx, placeholder); !strings.Contains(p, "IB-2026-000123 1234AB") {
		t.Errorf("before identification the input suggests %q; want the dossier number example", p)
	}

	must(chromedp.Do(ctx,
		chromedp.SendKeys("#text", "IB-2026-000101 3512JK"),
		chromedp.Click("#send"),
		chromedp.WaitVisible(`.options button`),
	), "identify")
	if p := browsertest.Eval[string](t, ctx, placeholder); strings.Contains(p, "IB-") {
		t.Errorf("after identification the input still suggests %q", p)
	}
	if b := browsertest.Eval[string](t, ctx, `document.querySelector(".options button").textContent`); b != "Saldo bekijken" {
		t.Errorf("the first button reads %q, want its label", b)
	}
	if n := browsertest.Overflow(t, ctx); n > 0 {
		t.Errorf("at 390 px with buttons the chat is %d px wider than the screen", n)
	}
	shot := browsertest.Screenshot(t, ctx)

	must(chromedp.Do(ctx,
		chromedp.Click(`.options button:nth-child(2)`),
		chromedp.WaitVisible(`#messages li:nth-child(4)`), // the debtor's press and the bot's answer
	), "press a button")
	got := sink.inbound()
	if len(got) != 2 || got[1].Text != "Betalingsregeling" {
		t.Errorf("pressing the button sent %+v; want the label Betalingsregeling", got)
	}
	if line := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll("#messages li.debtor p")].pop().textContent`); line != "Betalingsregeling" {
		t.Errorf("the debtor's own line reads %q, want the button's label", line)
	}

	// The same page on a desktop.
	must(chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)), "widen the window")
	if n := browsertest.Overflow(t, ctx); n > 0 {
		t.Errorf("at 1366 px the chat is %d px wider than the screen", n)
	}
	if !browsertest.Eval[bool](t, ctx, visible) {
		t.Error("at 1366 px the agency's name is not in view")
	}
	if t.Failed() {
		return
	}
	browsertest.SaveForDocs(t, "webchat-start.png", start)
	browsertest.SaveForDocs(t, "webchat.png", shot)
}
