package webchat_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
)

// recordingSink is the bot as the web chat sees it: it keeps what it was
// given, or fails when told to.
type recordingSink struct {
	mu   sync.Mutex
	got  []bot.Inbound
	fail error
	// reply, when set, runs after a message is kept (an answering bot).
	reply func(in bot.Inbound)
}

func (s *recordingSink) Receive(_ context.Context, in bot.Inbound) error {
	s.mu.Lock()
	if s.fail != nil {
		s.mu.Unlock()
		return s.fail
	}
	s.got = append(s.got, in)
	reply := s.reply
	s.mu.Unlock()
	if reply != nil {
		reply(in)
	}
	return nil
}

func (s *recordingSink) DeliveryStatus(context.Context, bot.DeliveryStatus) error { return nil }

func (s *recordingSink) inbound() []bot.Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bot.Inbound(nil), s.got...)
}

var errSinkDown = errors.New("database unavailable")

// browserSession is what a browser holds after opening /chat.
type browserSession struct {
	cookie *http.Cookie
	csrf   string
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// openPage GETs /chat (with an existing cookie when given) and returns the
// response and the session it establishes.
func openPage(t *testing.T, h http.Handler, have *http.Cookie) (*httptest.ResponseRecorder, browserSession) {
	t.Helper()
	req := httptest.NewRequest("GET", "/chat", nil)
	if have != nil {
		req.AddCookie(have)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /chat = %d", rec.Code)
	}
	bs := browserSession{cookie: have}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "ib_chat" {
			bs.cookie = c
		}
	}
	m := csrfMeta.FindStringSubmatch(rec.Body.String())
	if bs.cookie == nil || m == nil {
		t.Fatalf("GET /chat gave no session cookie or CSRF token")
	}
	bs.csrf = m[1]
	return rec, bs
}

// post sends a message as the page does, with whatever parts are given.
func post(h http.Handler, cookie *http.Cookie, csrf, contentType, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/chat/messages", strings.NewReader(body))
	if cookie != nil {
		req.AddCookie(cookie)
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// newServer runs h until the test ends. Registered as a cleanup before any
// events stream, it closes after the streams' own cleanups ended them
// (httptest.Server.Close waits for open connections).
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// sseEvent is one Server-Sent Event, or a comment line (name ":").
type sseEvent struct{ name, data string }

// sseClient reads an events stream in the background.
type sseClient struct {
	events chan sseEvent
	cancel context.CancelFunc
	first  sseEvent // the stream's opening: ": connected" or the history
}

// connectEvents opens GET /chat/events on a running server as the browser
// with cookie, and waits for the stream to start.
func connectEvents(t *testing.T, baseURL string, cookie *http.Cookie) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", baseURL+"/chat/events", nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("GET /chat/events = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	c := &sseClient{events: make(chan sseEvent, 64), cancel: cancel}
	go c.read(resp.Body)
	t.Cleanup(cancel)
	c.first = c.next(t, 3*time.Second) // once it arrives the subscription is live
	return c
}

func (c *sseClient) read(body io.ReadCloser) {
	defer close(c.events)
	defer body.Close()
	r := bufio.NewReader(body)
	var ev sseEvent
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, ":"):
			c.events <- sseEvent{name: ":", data: strings.TrimSpace(line[1:])}
		case strings.HasPrefix(line, "event: "):
			ev.name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			ev.data += line[len("data: "):]
		case line == "" && ev.name != "":
			c.events <- ev
			ev = sseEvent{}
		}
	}
}

// next returns the next event or comment, failing after wait.
func (c *sseClient) next(t *testing.T, wait time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatal("events stream ended")
		}
		return ev
	case <-time.After(wait):
		t.Fatalf("no event within %v", wait)
	}
	return sseEvent{}
}

// nextEvent skips comments (heartbeats) and returns the next named event.
func (c *sseClient) nextEvent(t *testing.T, wait time.Duration) sseEvent {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		ev := c.next(t, time.Until(deadline))
		if ev.name != ":" {
			return ev
		}
	}
}

// expectNoEvent fails when a named event arrives within wait.
func (c *sseClient) expectNoEvent(t *testing.T, wait time.Duration) {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case ev, ok := <-c.events:
			if ok && ev.name != ":" {
				t.Fatalf("unexpected event %s: %s", ev.name, ev.data)
			}
			if !ok {
				return
			}
		case <-deadline:
			return
		}
	}
}

func newHot() *hotstate.Memory { return hotstate.NewMemory() }

// conversationOf posts one message as the browser and returns the
// conversation id the bot got it from: the address replies go to.
func conversationOf(t *testing.T, h http.Handler, sink *recordingSink, bs browserSession) string {
	t.Helper()
	before := len(sink.inbound())
	if rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"whoami","text":"hallo"}`); rec.Code != http.StatusAccepted {
		t.Fatalf("post: %d %s", rec.Code, rec.Body)
	}
	got := sink.inbound()
	if len(got) != before+1 {
		t.Fatalf("the bot got %d messages, want 1", len(got)-before)
	}
	return got[before].From
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
