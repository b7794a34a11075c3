package webchat_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/webchat"
)

// A cookie of the right shape that the server never issued is no
// session: messages and events are refused, and the page issues a new one.
func TestACookieTheServerDidNotIssueIsRefused(t *testing.T) {
	sink := &recordingSink{}
	_, h := newChat(webchat.Config{}, sink)
	_, real := openPage(t, h, nil)
	forged := &http.Cookie{Name: "ib_chat", Value: strings.Repeat("A", len(real.cookie.Value))}
	if rec := post(h, forged, real.csrf, "application/json", `{"id":"m","text":"hallo"}`); rec.Code != http.StatusForbidden {
		t.Fatalf("a forged cookie with a real CSRF token: %d, want 403", rec.Code)
	}
	req := httptest.NewRequest("GET", "/chat/events", nil)
	req.AddCookie(forged)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("events with a forged cookie: %d, want 403", rec.Code)
	}
	_, fresh := openPage(t, h, forged)
	if fresh.cookie.Value == forged.Value {
		t.Fatal("the page kept a session it never issued")
	}
	if len(sink.inbound()) != 0 {
		t.Fatal("a forged session reached the bot")
	}
}

// The conversation id the bot, the dossier and the console see is not the
// cookie: knowing it (it is in the dossier) gives no access to the chat.
func TestTheConversationIdIsNotTheSecret(t *testing.T) {
	sink := &recordingSink{}
	_, h := newChat(webchat.Config{}, sink)
	_, bs := openPage(t, h, nil)
	conv := conversationOf(t, h, sink, bs)
	if !webchat.ValidConversation(conv) || strings.Contains(conv, bs.cookie.Value) || strings.Contains(bs.cookie.Value, conv[3:]) {
		t.Fatalf("conversation %q reveals cookie %q", conv, bs.cookie.Value)
	}
	for _, guess := range []string{conv, conv[3:]} {
		if rec := post(h, &http.Cookie{Name: "ib_chat", Value: guess}, bs.csrf, "application/json", `{"id":"x","text":"hallo"}`); rec.Code != http.StatusForbidden {
			t.Fatalf("the conversation id %q as a cookie: %d, want 403", guess, rec.Code)
		}
	}
}

// Once the conversation verifies, the browser gets a new secret and the
// old one stops working; the conversation and the page's token stay.
func TestTheSessionRotatesWhenTheConversationVerifies(t *testing.T) {
	sink := &recordingSink{}
	var mu sync.Mutex
	verified := map[string]bool{}
	sink.reply = func(in bot.Inbound) {
		if strings.Contains(in.Text, "3512JK") {
			mu.Lock()
			verified[in.From] = true
			mu.Unlock()
		}
	}
	_, h := newChat(webchat.Config{Verified: func(_ context.Context, conv string) bool {
		mu.Lock()
		defer mu.Unlock()
		return verified[conv]
	}}, sink)
	_, bs := openPage(t, h, nil)
	rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"a","text":"hallo"}`)
	if rec.Code != 202 || len(rec.Result().Cookies()) != 0 {
		t.Fatalf("before verification: %d, cookies %v", rec.Code, rec.Result().Cookies())
	}
	rec = post(h, bs.cookie, bs.csrf, "application/json", `{"id":"b","text":"IB-2026-000101 3512JK"}`)
	var rotated *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "ib_chat" {
			rotated = c
		}
	}
	if rec.Code != 202 || rotated == nil || rotated.Value == bs.cookie.Value || !rotated.HttpOnly || rotated.SameSite != http.SameSiteStrictMode {
		t.Fatalf("verification: %d, new cookie %v", rec.Code, rotated)
	}
	if rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"c","text":"saldo"}`); rec.Code != http.StatusForbidden {
		t.Fatalf("the secret from before verification still works: %d", rec.Code)
	}
	if rec := post(h, rotated, bs.csrf, "application/json", `{"id":"d","text":"saldo"}`); rec.Code != 202 || len(rec.Result().Cookies()) != 0 {
		t.Fatalf("the new secret: %d (rotated again: %v)", rec.Code, rec.Result().Cookies())
	}
	got := sink.inbound()
	if last := got[len(got)-1]; last.From != got[0].From {
		t.Fatalf("rotation changed the conversation: %q → %q", got[0].From, last.From)
	}
}

// A session ends after SessionIdle without requests and after SessionMax
// in any case, taking the verification with it (a new conversation).
func TestASessionEndsWhenIdleAndAtItsMaximum(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	hot := hotstate.NewMemory()
	hot.Now = clock
	sink := &recordingSink{}
	wc := webchat.New(webchat.Config{Now: clock, SessionIdle: 10 * time.Minute, SessionMax: time.Hour, MessagesPerMinute: -1}, sink, hot, nil)
	h := wc.Handler()
	_, bs := openPage(t, h, nil)
	for i := 0; i < 8; i++ { // active for 72 minutes, never idle for 10
		advance(9 * time.Minute)
		want := 202
		if i >= 6 { // past the hour
			want = 403
		}
		if rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"m`+string(rune('a'+i))+`","text":"saldo"}`); rec.Code != want {
			t.Fatalf("after %v: %d, want %d", time.Duration(i+1)*9*time.Minute, rec.Code, want)
		}
	}
	_, bs = openPage(t, h, nil)
	advance(11 * time.Minute)
	if rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"z","text":"saldo"}`); rec.Code != http.StatusForbidden {
		t.Fatalf("after 11 idle minutes: %d, want 403", rec.Code)
	}
}

// An events stream ends with its session: a page left open on a shared
// computer stops hearing the conversation once the session has been idle
// for SessionIdle, though the stream itself stayed connected.
func TestAStreamEndsWhenItsSessionExpires(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	hot := hotstate.NewMemory()
	hot.Now = clock
	wc := webchat.New(webchat.Config{Now: clock, SessionIdle: 10 * time.Minute, Heartbeat: 20 * time.Millisecond}, &recordingSink{}, hot, nil)
	srv := newServer(t, wc.Handler())
	_, bs := openPage(t, wc.Handler(), nil)
	c := connectEvents(t, srv.URL, bs.cookie)
	// While the session lives the stream stays: several heartbeats pass.
	for i := 0; i < 3; i++ {
		if ev := c.next(t, 2*time.Second); ev.name != ":" {
			t.Fatalf("unexpected event while the session lives: %+v", ev)
		}
	}
	advance(11 * time.Minute)
	deadline := time.After(3 * time.Second)
	for {
		select {
		case _, ok := <-c.events:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the stream is still open 3 s after its session expired")
		}
	}
}
