package webchat_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/webchat"
)

func newChat(cfg webchat.Config, sink bot.Sink) (*webchat.WebChat, http.Handler) {
	wc := webchat.New(cfg, sink, hotstate.NewMemory(), nil)
	return wc, wc.Handler()
}

func TestPageGivesAnUnguessableSessionInAStrictCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		_, h := newChat(webchat.Config{Secure: secure}, &recordingSink{})
		rec, first := openPage(t, h, nil)
		c := first.cookie
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != secure {
			t.Errorf("Secure=%v: cookie HttpOnly=%v SameSite=%v Secure=%v", secure, c.HttpOnly, c.SameSite, c.Secure)
		}
		if !sessionShape.MatchString(c.Value) {
			t.Errorf("session %q is not 256 bits in base64url", c.Value)
		}
		_, second := openPage(t, h, nil)
		if second.cookie.Value == c.Value || second.csrf == first.csrf {
			t.Error("two browsers got the same session or token")
		}
		again, same := openPage(t, h, c)
		if len(again.Result().Cookies()) != 0 || same.csrf != first.csrf {
			t.Error("a returning browser got a new session")
		}
		hdr := rec.Header()
		if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("Content-Security-Policy = %q", csp)
		}
		if hdr.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("no X-Content-Type-Options: nosniff")
		}
	}
}

// The page must work under default-src 'self': no inline script or style,
// no foreign host; and it is Dutch first and accessible.
func TestPageRunsUnderAStrictContentSecurityPolicy(t *testing.T) {
	_, h := newChat(webchat.Config{}, &recordingSink{})
	rec, _ := openPage(t, h, nil)
	page := rec.Body.String()
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script(\s[^>]*)?>[^<]+</script>`), // inline script
		regexp.MustCompile(`<script(?:\s+(?:defer|async))*\s*>`),
		regexp.MustCompile(`\son[a-z]+=`),      // inline event handler
		regexp.MustCompile(`\sstyle=`),         // inline style
		regexp.MustCompile(`<style`),           // style element
		regexp.MustCompile(`(src|href)="http`), // foreign asset
	} {
		if bad.MatchString(page) {
			t.Errorf("page has %s", bad)
		}
	}
	for _, want := range []string{`<html lang="nl">`, `aria-live="polite"`, `<label for="text">`, `name="viewport"`, `lang="en"`, `lang="fr"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, asset := range []struct{ path, ctype string }{{"/chat/static/chat.js", "javascript"}, {"/chat/static/chat.css", "text/css"}} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", asset.path, nil))
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), asset.ctype) {
			t.Errorf("GET %s = %d %s", asset.path, rec.Code, rec.Header().Get("Content-Type"))
		}
		if asset.ctype == "javascript" && strings.Contains(rec.Body.String(), "innerHTML") {
			t.Error("chat.js uses innerHTML")
		}
	}
}

func TestPostMessage(t *testing.T) {
	const jsonType = "application/json"
	long := strings.Repeat("a", webchat.DefaultMaxMessageBytes+1)
	exact := strings.Repeat("é", webchat.DefaultMaxMessageBytes/2) // 2 bytes each: exactly the limit
	cases := []struct {
		label       string
		noCookie    bool
		csrf        string // "" none, "ok" the session's, "other" another session's, else literal
		contentType string
		body        string
		sinkFails   bool
		wantStatus  int
		wantText    string // the Inbound's text when accepted
	}{
		{label: "accepted", csrf: "ok", body: `{"id":"m1","text":"  IB-2026-000777 1234AB  "}`, wantStatus: 202, wantText: "IB-2026-000777 1234AB"},
		{label: "script is data", csrf: "ok", body: `{"id":"m2","text":"<script>alert(1)</script>"}`, wantStatus: 202, wantText: "<script>alert(1)</script>"},
		{label: "longest allowed", csrf: "ok", body: `{"id":"m3","text":"` + exact + `"}`, wantStatus: 202, wantText: exact},
		{label: "no session cookie", noCookie: true, csrf: "ok", body: `{"id":"m","text":"hoi"}`, wantStatus: 403},
		{label: "no CSRF token", body: `{"id":"m","text":"hoi"}`, wantStatus: 403},
		{label: "wrong CSRF token", csrf: "AAAA", body: `{"id":"m","text":"hoi"}`, wantStatus: 403},
		{label: "another session's CSRF token", csrf: "other", body: `{"id":"m","text":"hoi"}`, wantStatus: 403},
		{label: "form post", csrf: "ok", contentType: "application/x-www-form-urlencoded", body: `text=hoi`, wantStatus: 415},
		{label: "broken JSON", csrf: "ok", body: `{"id":"m","text":`, wantStatus: 400},
		{label: "two objects", csrf: "ok", body: `{"id":"m","text":"a"}{"id":"n","text":"b"}`, wantStatus: 400},
		{label: "unknown field", csrf: "ok", body: `{"id":"m","text":"a","channel":"sms"}`, wantStatus: 400},
		{label: "empty text", csrf: "ok", body: `{"id":"m","text":""}`, wantStatus: 400},
		{label: "only spaces", csrf: "ok", body: `{"id":"m","text":"   \n "}`, wantStatus: 400},
		{label: "no id", csrf: "ok", body: `{"text":"hoi"}`, wantStatus: 400},
		{label: "id with a colon", csrf: "ok", body: `{"id":"a:b","text":"hoi"}`, wantStatus: 400},
		{label: "text over the limit", csrf: "ok", body: `{"id":"m","text":"` + long + `"}`, wantStatus: 413},
		{label: "body far over the limit", csrf: "ok", body: `{"id":"m","text":"` + strings.Repeat(long, 8) + `"}`, wantStatus: 413},
		{label: "sink cannot commit", csrf: "ok", body: `{"id":"m","text":"hoi"}`, sinkFails: true, wantStatus: 500},
	}
	for _, tc := range cases {
		t.Run(tc.label, func(t *testing.T) {
			sink := &recordingSink{}
			if tc.sinkFails {
				sink.fail = errSinkDown
			}
			_, h := newChat(webchat.Config{}, sink)
			_, bs := openPage(t, h, nil)
			_, other := openPage(t, h, nil)
			cookie, csrf, ctype := bs.cookie, tc.csrf, tc.contentType
			switch csrf {
			case "ok":
				csrf = bs.csrf
			case "other":
				csrf = other.csrf
			}
			if tc.noCookie {
				cookie = nil
			}
			if ctype == "" {
				ctype = jsonType
			}
			rec := post(h, cookie, csrf, ctype, tc.body)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tc.wantStatus, rec.Body)
			}
			got := sink.inbound()
			if tc.wantStatus != 202 {
				if len(got) != 0 {
					t.Fatalf("a refused message reached the bot: %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("the bot got %d messages, want 1", len(got))
			}
			in := got[0]
			var id struct{ ID string }
			_ = json.Unmarshal([]byte(tc.body), &id)
			if in.Channel != "web" || !webchat.ValidConversation(in.From) || strings.Contains(in.ProviderID, bs.cookie.Value) || in.ProviderID != "web:"+in.From+":"+id.ID ||
				in.Text != tc.wantText || in.Phone != "" || in.At.IsZero() {
				t.Fatalf("inbound %+v", in)
			}
		})
	}
}

// A retry of one message (same client id) reaches the bot with the same
// ProviderID, which is what the router deduplicates on.
func TestRetryOfAMessageKeepsItsProviderID(t *testing.T) {
	sink := &recordingSink{}
	_, h := newChat(webchat.Config{}, sink)
	_, bs := openPage(t, h, nil)
	for i := 0; i < 2; i++ {
		if rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"4f1c","text":"saldo"}`); rec.Code != 202 {
			t.Fatalf("post %d: %d", i+1, rec.Code)
		}
	}
	post(h, bs.cookie, bs.csrf, "application/json", `{"id":"4f1d","text":"saldo"}`)
	got := sink.inbound()
	if len(got) != 3 || got[0].ProviderID != got[1].ProviderID || got[1].ProviderID == got[2].ProviderID {
		t.Fatalf("provider ids %q %q %q: a retry must repeat, a new message must not", got[0].ProviderID, got[1].ProviderID, got[2].ProviderID)
	}
}

func TestTooManyMessagesFromOneSession(t *testing.T) {
	sink := &recordingSink{}
	_, h := newChat(webchat.Config{MessagesPerMinute: 2}, sink)
	_, bs := openPage(t, h, nil)
	_, other := openPage(t, h, nil)
	for i, want := range []int{202, 202, 429} {
		if rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"m`+string(rune('a'+i))+`","text":"hoi"}`); rec.Code != want {
			t.Fatalf("message %d: %d, want %d", i+1, rec.Code, want)
		}
	}
	if rec := post(h, other.cookie, other.csrf, "application/json", `{"id":"x","text":"hoi"}`); rec.Code != 202 {
		t.Fatalf("another session is limited too: %d", rec.Code)
	}
}

func TestSenderReachesTheSessionsEventStreamOnly(t *testing.T) {
	sink := &recordingSink{}
	wc, h := newChat(webchat.Config{}, sink)
	srv := newServer(t, h)
	_, mine := openPage(t, h, nil)
	_, theirs := openPage(t, h, nil)
	myEvents := connectEvents(t, srv.URL, mine.cookie)
	theirEvents := connectEvents(t, srv.URL, theirs.cookie)

	id, err := wc.Send(context.Background(), bot.Outgoing{Channel: "web", To: conversationOf(t, h, sink, mine),
		Text: "Hoe kan ik u helpen?\n1. Saldo", Options: []string{"Saldo", "<b>Betalen</b>"}})
	if err != nil || id == "" {
		t.Fatalf("Send = %q, %v", id, err)
	}
	ev := myEvents.nextEvent(t, 3*time.Second)
	var got struct {
		Text    string   `json:"text"`
		Options []string `json:"options"`
	}
	if ev.name != "reply" || json.Unmarshal([]byte(ev.data), &got) != nil ||
		got.Text != "Hoe kan ik u helpen?\n1. Saldo" || len(got.Options) != 2 || got.Options[1] != "<b>Betalen</b>" {
		t.Fatalf("event %s %s", ev.name, ev.data)
	}
	theirEvents.expectNoEvent(t, 200*time.Millisecond)
}

func TestSendToABrowserThatIsGoneIsNotAnError(t *testing.T) {
	sink := &recordingSink{}
	wc, h := newChat(webchat.Config{}, sink)
	_, bs := openPage(t, h, nil)
	if _, err := wc.Send(context.Background(), bot.Outgoing{Channel: "web", To: conversationOf(t, h, sink, bs), Text: "Goedendag."}); err != nil {
		t.Fatalf("Send with no browser listening = %v", err)
	}
	for _, to := range []string{"+31612345678", bs.cookie.Value} {
		_, err := wc.Send(context.Background(), bot.Outgoing{Channel: "web", To: to, Text: "x"})
		var se *bot.SendError
		if !errors.As(err, &se) || se.Retryable() {
			t.Fatalf("Send to %q (not a conversation id) = %v, want a permanent SendError", to, err)
		}
	}
}

func TestEventsNeedASession(t *testing.T) {
	_, h := newChat(webchat.Config{}, &recordingSink{})
	for _, cookie := range []*http.Cookie{nil, {Name: "ib_chat", Value: "guess"}} {
		req := httptest.NewRequest("GET", "/chat/events", nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cookie %v: %d, want 403", cookie, rec.Code)
		}
	}
}

func TestEventsReplayHistoryAndBeatTheHeart(t *testing.T) {
	var asked string
	cfg := webchat.Config{Heartbeat: 50 * time.Millisecond, History: func(_ context.Context, s string) ([]webchat.Line, error) {
		asked = s
		return []webchat.Line{{From: "debtor", Text: "saldo"}, {From: "bot", Text: "Nog te betalen: € 1.234,57"}}, nil
	}}
	sink := &recordingSink{}
	_, h := newChat(cfg, sink)
	srv := newServer(t, h)
	_, bs := openPage(t, h, nil)
	c := connectEvents(t, srv.URL, bs.cookie)
	if c.first.name != "history" || !strings.Contains(c.first.data, `"Nog te betalen: € 1.234,57"`) || asked != conversationOf(t, h, sink, bs) {
		t.Fatalf("first event %s %s (history asked for %q)", c.first.name, c.first.data, asked)
	}
	if ping := c.next(t, 2*time.Second); ping.name != ":" || ping.data != "ping" {
		t.Fatalf("no heartbeat: %+v", ping)
	}
}

// The stream ends when the browser leaves, releasing its subscription.
func TestEventsEndWhenTheBrowserLeaves(t *testing.T) {
	_, h := newChat(webchat.Config{}, &recordingSink{})
	done := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.URL.Path == "/chat/events" {
			close(done)
		}
	}))
	_, bs := openPage(t, h, nil)
	c := connectEvents(t, srv.URL, bs.cookie)
	c.cancel()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("the events handler still runs 3 s after the browser left")
	}
}

// Close ends open streams so a server can shut down without waiting for
// every browser to leave.
func TestCloseEndsOpenStreams(t *testing.T) {
	wc, h := newChat(webchat.Config{}, &recordingSink{})
	srv := newServer(t, h)
	_, bs := openPage(t, h, nil)
	c := connectEvents(t, srv.URL, bs.cookie)
	wc.Close()
	deadline := time.After(3 * time.Second)
	for {
		select {
		case _, ok := <-c.events:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the stream is still open 3 s after Close")
		}
	}
}
