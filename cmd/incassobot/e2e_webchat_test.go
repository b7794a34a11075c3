package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// The web chat's cookie is its only credential: it is rotated when the
// debtor verifies, the old one stops working, and neither ever reaches the
// dossier, the message records or the log. They name the chat by its
// conversation id, which gives nobody access.
func TestE2EWebChatFilesAConversationIdNeverTheCookie(t *testing.T) {
	t.Parallel()
	s := startE2E(t, e2eConfig{vars: map[string]string{"LOG_LEVEL": "debug"}})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	chatURL, _ := url.Parse(s.url + "/chat")
	resp, err := browser.Get(chatURL.String())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`).FindStringSubmatch(string(page))
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("GET /chat = %d without a CSRF token", resp.StatusCode)
	}
	csrf := m[1]
	cookie := func() string {
		for _, c := range jar.Cookies(chatURL) {
			if c.Name == "ib_chat" {
				return c.Value
			}
		}
		t.Fatal("no session cookie")
		return ""
	}
	post := func(cl *http.Client, id, text string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", s.url+"/chat/messages", strings.NewReader(`{"id":"`+id+`","text":"`+text+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", csrf)
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	first := cookie()
	for i, text := range []string{"hallo", e2eRef + " 1234AB"} {
		if code := post(browser, string(rune('a'+i)), text); code != 202 {
			t.Fatalf("message %q: %d", text, code)
		}
	}
	second := cookie()
	if second == first {
		t.Fatal("the session was not rotated when the debtor verified")
	}
	if code := post(browser, "c", "saldo"); code != 202 {
		t.Fatalf("after rotation: %d", code)
	}
	stale, _ := cookiejar.New(nil)
	stale.SetCookies(chatURL, []*http.Cookie{{Name: "ib_chat", Value: first, Path: "/chat"}})
	if code := post(&http.Client{Jar: stale}, "d", "saldo"); code != http.StatusForbidden {
		t.Fatalf("the cookie from before verification still works: %d", code)
	}

	entries := s.dossier(c.ID)
	var conv string
	for _, e := range entries {
		var body struct{ From string }
		_ = json.Unmarshal(e.Body, &body)
		if e.Kind == casestore.EntryMessageIn && e.Channel == "web" {
			conv = body.From
		}
	}
	if !strings.HasPrefix(conv, "wc_") {
		t.Fatalf("the dossier does not name the web chat by its conversation id (from %q)", conv)
	}
	ctx := context.Background()
	in, err := s.store.InboundMessages(ctx, "web", conv, 10)
	must(t, err, "inbound")
	out := waitOutbox(t, s.store, "web", conv, 10*time.Second)
	if len(in) != 3 || len(out) == 0 {
		t.Fatalf("under conversation %s: %d messages in, %d out; want 3 and the replies", conv, len(in), len(out))
	}
	filed, _ := json.Marshal(struct {
		D   []casestore.DossierEntry
		In  []*casestore.InboundMessage
		Out []*casestore.OutboundMessage
	}{entries, in, out})
	for _, secret := range []string{first, second} {
		if strings.Contains(string(filed), secret) {
			t.Fatalf("a session secret is filed in the dossier or the message records")
		}
		if strings.Contains(s.stderr.String(), secret) {
			t.Fatalf("a session secret is in the server's log")
		}
	}
}
