package webchat_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/browsertest"
	"github.com/incassobot/incassobot/bot/webchat"
)

// A debtor who types a script tag sees it as text, in their own line and
// in the bot's answer; the browser runs nothing.
func TestBrowserShowsScriptAsText(t *testing.T) {
	ctx := browsertest.Tab(t, 420, 780, 60*time.Second) // a phone-sized window
	const typed = "<script>alert(1)</script>"
	sink := &recordingSink{}
	wc := webchat.New(webchat.Config{}, sink, newHot(), nil)
	sink.reply = func(in bot.Inbound) {
		// The bot answers through the Sender side, as the outbox would.
		if _, err := wc.Send(context.Background(), bot.Outgoing{Channel: "web", To: in.From,
			Text: "U schreef: " + in.Text, Options: []string{"Saldo", "Betalen"}}); err != nil {
			t.Errorf("Send: %v", err)
		}
	}
	srv := newServer(t, wc.Handler())
	t.Cleanup(wc.Close) // ends the browser's stream before the server closes

	var dialogs atomic.Int32
	err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			// Not from inside the listener: dismiss from another goroutine.
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/chat"),
		chromedp.WaitVisible(`main[data-live="true"]`), // the events stream is open
		chromedp.SendKeys("#text", typed),
		chromedp.Click("#send"),
		chromedp.WaitVisible(`#messages li.bot p`),
		chromedp.Sleep(200*time.Millisecond), // time for a (wrongly) injected script to run
	)
	if err != nil {
		t.Fatal(err)
	}
	shown := browsertest.Eval[string](t, ctx, `document.getElementById("messages").textContent`)
	botLine := browsertest.Eval[string](t, ctx, `document.querySelector("#messages li.bot p").textContent`)
	scriptsWithAlert := browsertest.Eval[int](t, ctx, `Array.from(document.scripts).filter(s => s.textContent.includes("alert(1)")).length`)
	scriptsInList := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#messages script").length`)
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if botLine != "U schreef: "+typed {
		t.Errorf("bot line reads %q", botLine)
	}
	if strings.Count(shown, typed) != 2 {
		t.Errorf("the conversation shows %q; want the typed text twice, literally", shown)
	}
	if scriptsWithAlert != 0 || scriptsInList != 0 {
		t.Errorf("the page holds %d script elements with the text (%d in the list)", scriptsWithAlert, scriptsInList)
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d alert dialogs opened", n)
	}
	got := sink.inbound()
	if len(got) != 1 || got[0].Text != typed {
		t.Fatalf("the bot received %+v", got)
	}
	if len(shot) == 0 {
		t.Error("no screenshot of the page")
	}
}
