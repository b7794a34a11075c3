package webchat_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/webchat"
)

// postFrom is post from a given client address (the TCP peer) with an
// optional X-Forwarded-For.
func postFrom(h http.Handler, peer, xff string, bs browserSession, id string) int {
	req := httptest.NewRequest("POST", "/chat/messages", stringsReader(`{"id":"`+id+`","text":"hallo"}`))
	req.RemoteAddr = peer
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	req.AddCookie(bs.cookie)
	req.Header.Set("X-CSRF-Token", bs.csrf)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// One address cannot send without end by opening new sessions; another
// address behind the trusted balancer is counted on its own, and a
// forged X-Forwarded-For from outside changes nothing.
func TestMessagesAreLimitedPerClientAddress(t *testing.T) {
	lb, _ := clientip.Parse("10.0.0.0/8")
	_, h := newChat(webchat.Config{ClientMessagesPerMinute: 3, TrustedProxies: lb}, &recordingSink{})
	var sessions []browserSession
	for range 5 {
		_, bs := openPage(t, h, nil)
		sessions = append(sessions, bs)
	}
	for i, want := range []int{202, 202, 202, 429} {
		if got := postFrom(h, "10.0.0.1:1234", "198.51.100.7", sessions[i], "m"); got != want {
			t.Fatalf("message %d from one client in fresh sessions: %d, want %d", i+1, got, want)
		}
	}
	if got := postFrom(h, "10.0.0.1:1234", "198.51.100.8", sessions[4], "m"); got != 202 {
		t.Fatalf("another client behind the balancer: %d, want 202", got)
	}
	for i := range 4 {
		code := postFrom(h, "203.0.113.5:1234", "198.51.100."+strconv.Itoa(20+i), sessions[4], "x"+strconv.Itoa(i))
		if want := map[bool]int{true: 429, false: 202}[i >= 3]; code != want {
			t.Fatalf("forged X-Forwarded-For %d from outside: %d, want %d", i, code, want)
		}
	}
}

// Beyond the total every client together may send, the chat says it is
// busy (503), not that this client misbehaved.
func TestMessagesAreLimitedInTotal(t *testing.T) {
	_, h := newChat(webchat.Config{MessagesPerMinuteTotal: 2}, &recordingSink{})
	for i, want := range []int{202, 202, 503} {
		_, bs := openPage(t, h, nil)
		if got := postFrom(h, "198.51.100."+strconv.Itoa(i+1)+":1", "", bs, "m"); got != want {
			t.Fatalf("message %d: %d, want %d", i+1, got, want)
		}
	}
}

// Each new session is server state: one address may start only so many.
func TestNewSessionsAreLimitedPerClient(t *testing.T) {
	_, h := newChat(webchat.Config{SessionsPerMinute: 2}, &recordingSink{})
	for i, want := range []int{200, 200, 429} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/chat", nil))
		if rec.Code != want {
			t.Fatalf("new session %d: %d, want %d", i+1, rec.Code, want)
		}
	}
}

// Open streams are bounded per client (429) and in total (503), and a
// closed stream frees its place.
func TestEventStreamsAreBoundedPerClientAndInTotal(t *testing.T) {
	lb, _ := clientip.Parse("127.0.0.0/8, ::1")
	_, h := newChat(webchat.Config{StreamsPerClient: 2, MaxStreams: 3, TrustedProxies: lb}, &recordingSink{})
	srv := newServer(t, h)
	_, bs := openPage(t, h, nil)
	open := func(client string) (int, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/chat/events", nil)
		req.AddCookie(bs.cookie)
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 {
			resp.Body.Close()
		} else {
			buf := make([]byte, 1)
			_, _ = resp.Body.Read(buf) // the stream has started
		}
		return resp.StatusCode, cancel
	}
	a1, closeA1 := open("198.51.100.1")
	a2, _ := open("198.51.100.1")
	a3, _ := open("198.51.100.1")
	b1, _ := open("198.51.100.2")
	b2, _ := open("198.51.100.2")
	if a1 != 200 || a2 != 200 || a3 != 429 || b1 != 200 || b2 != 503 {
		t.Fatalf("streams: client A %d %d %d, client B %d %d; want 200 200 429, 200 503", a1, a2, a3, b1, b2)
	}
	closeA1()
	for range 100 { // the handler notices the browser left and frees the place
		if code, cancel := open("198.51.100.2"); code == 200 {
			cancel()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("a closed stream never freed its place")
}
