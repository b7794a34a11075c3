package main

// What the end-to-end tests do in Chromium more than once: log in
// through a login form (console and creditor pages have the same form)
// and watch for alert dialogs an injected script would open.

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// logIn opens url, a page behind a login (the not-logged-in browser gets
// the login form), and logs in as email.
func logIn(url, email, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(url),
		chromedp.WaitVisible("#login"),
		chromedp.SendKeys("#email", email),
		chromedp.SendKeys("#password", password),
		chromedp.Click("#login-submit"),
	)
}

// countAlerts dismisses and counts every JavaScript dialog the browser
// of ctx opens from now on; the pages run no alert, so any is an injected
// script.
func countAlerts(t *testing.T, ctx context.Context) *atomic.Int32 {
	t.Helper()
	var alerts atomic.Int32
	must(t, chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			alerts.Add(1)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}), "listen for dialogs")
	return &alerts
}
