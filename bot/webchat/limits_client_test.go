package webchat_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/webchat"
)

// openStream opens GET /chat/events on srv with cookie as client (through
// the trusted proxy) and returns its status; a 200 stream stays open
// until the test ends.
func openStream(t *testing.T, srv string, cookie *http.Cookie, client string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", srv+"/chat/events", nil)
	req.AddCookie(cookie)
	req.Header.Set("X-Forwarded-For", client)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		resp.Body.Close()
	} else {
		buf := make([]byte, 1)
		_, _ = resp.Body.Read(buf)
	}
	return resp.StatusCode
}

// An IPv6 client is its /64: fresh addresses from one /64 neither open
// more event streams, nor start more sessions, nor send more messages
// than one address would; another /64 is another client.
func TestIPv6ClientIsCountedByItsSlash64(t *testing.T) {
	lb, _ := clientip.Parse("127.0.0.0/8, ::1")
	_, h := newChat(webchat.Config{StreamsPerClient: 2, StreamsPerSession: 100, SessionsPerMinute: 2,
		ClientMessagesPerMinute: 2, TrustedProxies: lb}, &recordingSink{})
	srv := newServer(t, h)
	_, bs := openPage(t, h, nil)
	var got []int
	for i := 1; i <= 3; i++ {
		got = append(got, openStream(t, srv.URL, bs.cookie, "2001:db8:5:7::"+strconv.Itoa(i)))
	}
	got = append(got, openStream(t, srv.URL, bs.cookie, "2001:db8:5:8::1"))
	if got[0] != 200 || got[1] != 200 || got[2] != 429 || got[3] != 200 {
		t.Fatalf("streams from ::1, ::2, ::3 of one /64 and from another /64: %v, want [200 200 429 200]", got)
	}

	got = nil
	for i := 1; i <= 3; i++ {
		req := httptest.NewRequest("GET", "/chat", nil)
		req.RemoteAddr = "127.0.0.1:1234"
		req.Header.Set("X-Forwarded-For", "2001:db8:77:1::"+strconv.Itoa(i))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got = append(got, rec.Code)
	}
	if got[0] != 200 || got[1] != 200 || got[2] != 429 {
		t.Fatalf("new sessions from three addresses of one /64: %v, want [200 200 429]", got)
	}

	got = nil
	for i := 1; i <= 3; i++ {
		got = append(got, postFrom(h, "127.0.0.1:1234", "2001:db8:bb:1::"+strconv.Itoa(i), bs, "m"+strconv.Itoa(i)))
	}
	got = append(got, postFrom(h, "127.0.0.1:1234", "2001:db8:bb:2::1", bs, "m4"))
	if got[0] != 202 || got[1] != 202 || got[2] != 429 || got[3] != 202 {
		t.Fatalf("messages from three addresses of one /64 and another /64: %v, want [202 202 429 202]", got)
	}
}

// One session cannot hold more than StreamsPerSession streams, whatever
// addresses it comes from: one cookie cannot fill the instance's cap.
func TestEventStreamsAreBoundedPerSession(t *testing.T) {
	lb, _ := clientip.Parse("127.0.0.0/8, ::1")
	_, h := newChat(webchat.Config{TrustedProxies: lb}, &recordingSink{}) // defaults: 3 per session
	srv := newServer(t, h)
	_, bs := openPage(t, h, nil)
	_, other := openPage(t, h, nil)
	var got []int
	for i := 1; i <= 4; i++ {
		got = append(got, openStream(t, srv.URL, bs.cookie, "198.51.100."+strconv.Itoa(i)))
	}
	got = append(got, openStream(t, srv.URL, other.cookie, "198.51.100.9"))
	if got[0] != 200 || got[1] != 200 || got[2] != 200 || got[3] != 429 || got[4] != 200 {
		t.Fatalf("streams of one session from 4 addresses, then another session: %v, want [200 200 200 429 200]", got)
	}
}
