package webchat_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/webchat"
)

// chromiumPath is Debian's chromium (scripts/ensure-chromium.sh installs it).
const chromiumPath = "/usr/bin/chromium"

// browser starts a headless chromium for the test, or skips (fails on CI)
// when there is none.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := chromiumPath + " is missing; run scripts/ensure-chromium.sh"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
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
		chromedp.WindowSize(420, 780), // a phone-sized window
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// A debtor who types a script tag sees it as text, in their own line and
// in the bot's answer; the browser runs nothing.
func TestBrowserShowsScriptAsText(t *testing.T) {
	ctx := browser(t)
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
	shown := evaluate[string](t, ctx, `document.getElementById("messages").textContent`)
	botLine := evaluate[string](t, ctx, `document.querySelector("#messages li.bot p").textContent`)
	scriptsWithAlert := evaluate[int](t, ctx, `Array.from(document.scripts).filter(s => s.textContent.includes("alert(1)")).length`)
	scriptsInList := evaluate[int](t, ctx, `document.querySelectorAll("#messages script").length`)
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
	if t.Failed() {
		return // keep the last good picture of the page
	}
	// `make screenshots` refreshes the picture in docs/; an ordinary test
	// run leaves the work tree alone.
	if dir := os.Getenv("SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join("..", "..", dir, "webchat.png"), shot, 0o644); err != nil {
			t.Errorf("screenshot: %v", err)
		}
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}
