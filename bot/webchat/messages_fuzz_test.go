package webchat_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot/webchat"
)

// Whatever a browser (or a script posing as one) POSTs with a valid
// session and token, the chat either passes on exactly the text it was
// sent, trimmed, under the page's own id, or refuses with a 4xx that says
// why in JSON and passes on nothing. Nothing panics, nothing is a 5xx.
func FuzzPostMessage(f *testing.F) {
	for _, s := range []string{
		`{"id":"m-1","text":"Hoeveel moet ik nog betalen?"}`,
		`{"id":"m-1","text":"  IB-2026-000123 1234AB \n"}`,
		`{"id":"m-1","text":"\u00e9\u20ac 12,50"}`,
		`{"id":"m-1","text":"\ud800"}`,
		`{"ID":"m-1","Text":"case"}`,
		`{"id":"m-1","text":"a","id":"m-2"}`,
		`{"id":"m-1","text":"a","extra":1}`,
		`{"id":"m 1","text":"a"}`,
		`{"id":"","text":"a"}`,
		`{"id":"m-1","text":"   "}`,
		`{"id":"m-1","text":"a"} {"id":"m-2","text":"b"}`,
		`{"id":"m-1","text":"a"} trailing`,
		`{"id":1,"text":["a"]}`,
		`[]`, `null`, ``, `{`,
		`{"id":"m-1","text":"` + strings.Repeat("x", 4097) + `"}`,
		`{"id":"m-1","text":"` + strings.Repeat(`\u00e9`, 2049) + `"}`,
	} {
		f.Add([]byte(s))
	}
	sink := &recordingSink{}
	_, h := newChat(webchat.Config{MessagesPerMinute: -1, ClientMessagesPerMinute: -1, MessagesPerMinuteTotal: -1, SessionsPerMinute: -1}, sink)
	bs := pageSession(f, h)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := len(sink.inbound())
		rec := post(h, bs.cookie, bs.csrf, "application/json", string(body))
		got := sink.inbound()[before:]
		if rec.Code != http.StatusAccepted {
			refusedClearly(t, rec, body)
			if len(got) > 0 {
				t.Fatalf("refused with %d but passed on %+v", rec.Code, got)
			}
			return
		}
		if len(got) != 1 {
			t.Fatalf("202 passed on %d messages", len(got))
		}
		var sent struct{ ID, Text string }
		dec := json.NewDecoder(bytes.NewReader(body))
		if err := dec.Decode(&sent); err != nil {
			t.Fatalf("202 for a body encoding/json does not read (%v): %q", err, body)
		}
		in := got[0]
		if want := strings.TrimSpace(sent.Text); in.Text != want || want == "" {
			t.Fatalf("text %q reached the bot as %q", want, in.Text)
		}
		if !utf8.ValidString(in.Text) || len(in.Text) > webchat.DefaultMaxMessageBytes {
			t.Fatalf("passed on %d bytes that are not valid UTF-8 within the limit", len(in.Text))
		}
		if in.Channel != webchat.Channel || !webchat.ValidConversation(in.From) || in.ProviderID != "web:"+in.From+":"+sent.ID {
			t.Fatalf("passed on channel %q from %q as %q: want the session and the page's id %q", in.Channel, in.From, in.ProviderID, sent.ID)
		}
	})
}

// Whatever cookie and token a request carries, only the pair the page
// handed out lets a message through: anything else is a 403 that reaches
// nothing, and the page answers a cookie of another shape with a fresh session.
func FuzzSessionCookie(f *testing.F) {
	sink := &recordingSink{}
	_, h := newChat(webchat.Config{MessagesPerMinute: -1, ClientMessagesPerMinute: -1, MessagesPerMinuteTotal: -1, SessionsPerMinute: -1}, sink)
	bs := pageSession(f, h)
	f.Add(bs.cookie.Value, bs.csrf)
	f.Add(bs.cookie.Value, "")
	f.Add(bs.cookie.Value, bs.csrf+"x")
	f.Add("AAAAAAAAAAAAAAAAAAAAAA", bs.csrf)
	f.Add(strings.Repeat("A", 43), bs.csrf) // the right shape, never issued
	f.Add(bs.cookie.Value+"=", bs.csrf)
	f.Add("../../etc", "x")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, cookie, csrf string) {
		req := httptest.NewRequest("POST", "/chat/messages", strings.NewReader(`{"id":"m-1","text":"hallo"}`))
		req.Header.Set("Cookie", "ib_chat="+cookie)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", csrf)
		before := len(sink.inbound())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		passed := len(sink.inbound()) - before
		// The session as the server reads the header (net/http trims
		// spaces and quotes); "" when it finds no such cookie.
		var sent string
		if c, err := req.Cookie("ib_chat"); err == nil {
			sent = c.Value
		}
		if sent == bs.cookie.Value && csrf == bs.csrf {
			if rec.Code != http.StatusAccepted || passed != 1 {
				t.Fatalf("the page's own session and token: %d, %d passed on", rec.Code, passed)
			}
			return
		}
		if rec.Code != http.StatusForbidden || passed != 0 {
			t.Fatalf("cookie %q token %q: %d with %d passed on, want 403 and nothing", cookie, csrf, rec.Code, passed)
		}
		refusedClearly(t, rec, nil)

		page := httptest.NewRequest("GET", "/chat", nil)
		page.Header.Set("Cookie", "ib_chat="+cookie)
		prec := httptest.NewRecorder()
		h.ServeHTTP(prec, page)
		if prec.Code != http.StatusOK {
			t.Fatalf("GET /chat with cookie %q: %d", cookie, prec.Code)
		}
		var fresh *http.Cookie
		for _, c := range prec.Result().Cookies() {
			if c.Name == "ib_chat" {
				fresh = c
			}
		}
		switch {
		case sent == bs.cookie.Value:
			if fresh != nil {
				t.Fatalf("GET /chat replaced the issued session")
			}
		case fresh == nil:
			t.Fatalf("GET /chat kept the session %q it never issued", cookie)
		case fresh.Value == sent || !sessionShape.MatchString(fresh.Value):
			t.Fatalf("GET /chat with %q handed out %q", cookie, fresh.Value)
		}
	})
}

// sessionShape is what the page hands out: 256 bits in base64url.
var sessionShape = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// refusedClearly fails unless rec is a 4xx with a JSON {"error": why}.
func refusedClearly(t *testing.T, rec *httptest.ResponseRecorder, body []byte) {
	t.Helper()
	if rec.Code < 400 || rec.Code > 499 {
		t.Fatalf("status %d (%s) for %q", rec.Code, rec.Body, body)
	}
	var e struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || strings.TrimSpace(e.Error) == "" {
		t.Fatalf("%d without a JSON error saying why: %q", rec.Code, rec.Body)
	}
}

// pageSession opens /chat as a new browser, for a fuzz target's setup.
func pageSession(f *testing.F, h http.Handler) browserSession {
	f.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/chat", nil))
	var bs browserSession
	for _, c := range rec.Result().Cookies() {
		if c.Name == "ib_chat" {
			bs.cookie = c
		}
	}
	m := csrfMeta.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || bs.cookie == nil || m == nil {
		f.Fatalf("GET /chat = %d without a session cookie or CSRF token", rec.Code)
	}
	bs.csrf = m[1]
	return bs
}
