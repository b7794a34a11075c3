package webchat_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/bot/webchat"
)

// A stream opened with a secret planted before verification (session
// fixation) ends when the secret is replaced, on either hot state: it
// never hears the verified conversation, and cannot come back with the
// old cookie. The debtor's new secret opens a stream that does.
func TestRotationEndsStreamsOfTheOldSecret(t *testing.T) {
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			var hot hotstate.Store = hotstate.NewMemory()
			if store == "redis" {
				url, prefix := redistest.NewPrefix(t)
				r, err := hotstate.OpenRedis(context.Background(), url, prefix)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { r.Close() })
				hot = r
			}
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
			wc := webchat.New(webchat.Config{Verified: func(_ context.Context, conv string) bool {
				mu.Lock()
				defer mu.Unlock()
				return verified[conv]
			}}, sink, hot, nil)
			h := wc.Handler()
			srv := newServer(t, h)
			_, bs := openPage(t, h, nil)
			planted := connectEvents(t, srv.URL, bs.cookie) // the attacker's stream, same cookie
			conv := conversationOf(t, h, sink, bs)

			rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"v","text":"IB-2026-000101 3512JK"}`)
			var rotated *http.Cookie
			for _, c := range rec.Result().Cookies() {
				if c.Name == "ib_chat" {
					rotated = c
				}
			}
			if rec.Code != 202 || rotated == nil {
				t.Fatalf("verification: %d, new cookie %v", rec.Code, rotated)
			}
			ended := false
			for deadline := time.After(3 * time.Second); !ended; {
				select {
				case ev, ok := <-planted.events:
					if !ok {
						ended = true
					} else if ev.name != ":" {
						t.Fatalf("the old secret's stream got %s %s", ev.name, ev.data)
					}
				case <-deadline:
					t.Fatal("the stream opened with the old secret is still open after rotation")
				}
			}
			req, _ := http.NewRequest("GET", srv.URL+"/chat/events", nil)
			req.AddCookie(bs.cookie)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("reconnect with the old secret: %d, want 403", resp.StatusCode)
			}

			debtor := connectEvents(t, srv.URL, rotated)
			if _, err := wc.Send(context.Background(), bot.Outgoing{Channel: "web", To: conv, Text: "Dossier IB-2026-000101: saldo"}); err != nil {
				t.Fatal(err)
			}
			if ev := debtor.nextEvent(t, 3*time.Second); ev.name != "reply" || !strings.Contains(ev.data, "saldo") {
				t.Fatalf("the debtor's new stream: %s %s", ev.name, ev.data)
			}
		})
	}
}
