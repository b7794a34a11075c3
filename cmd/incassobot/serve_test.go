package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// With nothing configured, serve is the demo: the web chat answers, the
// phone channels say they are off, metrics are exposed.
func TestServeWithNothingConfiguredOffersTheWebChat(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	te.vars["ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- te.run(ctx, "serve") }()
	addr := waitForAddr(t, te.stdout, done)

	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, page := get("/chat")
	if resp.StatusCode != 200 || !strings.Contains(page, "dossiernummer") {
		t.Fatalf("GET /chat = %d, page without the Dutch identification hint:\n%.400s", resp.StatusCode, page)
	}
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Strict") {
		t.Errorf("session cookie not HttpOnly/SameSite=Strict: %q", c)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("no strict Content-Security-Policy: %q", csp)
	}
	_, index := get("/")
	if !strings.Contains(index, "web chat: on") || !strings.Contains(index, "SMS and WhatsApp: off") {
		t.Errorf("the index does not say which channels are on:\n%s", index)
	}
	if resp, metrics := get("/metrics"); resp.StatusCode != 200 || !strings.Contains(metrics, "incassobot_outbox_depth") {
		t.Errorf("GET /metrics = %d without the outbox depth", resp.StatusCode)
	}
	for _, want := range []string{"channels sms and whatsapp are off", "channel telegram is off", "channel email is off"} {
		if !strings.Contains(te.stderr.String(), want) {
			t.Errorf("start-up log does not say %q", want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}
