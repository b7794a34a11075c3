package webchat_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/internal/bottest"
	"github.com/incassobot/incassobot/bot/webchat"
)

// Oversize and malformed messages, and requests without a session the
// page handed out, are refused with a 4xx and a JSON error the page can
// show; the real bot behind the chat (PostgreSQL, Redis) stores nothing.
// A debtor's message proves the counting sees what a request stores, and
// the one after it, over the rate limit, is refused too.
func TestMalformedWebChatRequestsChangeNothing(t *testing.T) {
	b := bottest.New(t)
	wc := webchat.New(webchat.Config{MessagesPerMinute: 1}, b.Router, b.Hot, nil)
	t.Cleanup(wc.Close)
	h := wc.Handler()
	_, bs := openPage(t, h, nil)
	_, other := openPage(t, h, nil)
	never := &http.Cookie{Name: "ib_chat", Value: "AAAAAAAAAAAAAAAAAAAAAA"} // the right shape, never handed out
	crooked := &http.Cookie{Name: "ib_chat", Value: "../../admin"}
	ok := `{"id":"m-1","text":"Hoeveel moet ik nog betalen?"}`

	cases := []struct {
		label       string
		method      string
		path        string
		cookie      *http.Cookie
		csrf        string
		contentType string
		body        string
		wantStatus  int
		wantText    string
	}{
		{label: "text over 4 KiB", body: `{"id":"m-1","text":"` + strings.Repeat("x", 4097) + `"}`,
			wantStatus: http.StatusRequestEntityTooLarge, wantText: "message longer than 4096 bytes"},
		{label: "body far over the limit", body: `{"id":"m-1","text":"` + strings.Repeat(`\u00e9`, 6000) + `"}`,
			wantStatus: http.StatusRequestEntityTooLarge, wantText: "message too long"},
		{label: "broken JSON", body: `{"id":"m-1","text":"hoi"`, wantStatus: http.StatusBadRequest, wantText: "broken JSON"},
		{label: "unknown field", body: `{"id":"m-1","text":"hoi","case":"IB-2026-000777"}`, wantStatus: http.StatusBadRequest, wantText: "broken JSON"},
		{label: "text is not a string", body: `{"id":"m-1","text":["hoi"]}`, wantStatus: http.StatusBadRequest, wantText: "broken JSON"},
		{label: "two messages in one", body: ok + ok, wantStatus: http.StatusBadRequest, wantText: "one JSON object expected"},
		{label: "empty text", body: `{"id":"m-1","text":"  \n "}`, wantStatus: http.StatusBadRequest, wantText: "text is empty"},
		{label: "no id", body: `{"text":"hoi"}`, wantStatus: http.StatusBadRequest, wantText: "id: 1 to 64"},
		{label: "id with a space", body: `{"id":"m 1","text":"hoi"}`, wantStatus: http.StatusBadRequest, wantText: "id: 1 to 64"},
		{label: "a form", contentType: "application/x-www-form-urlencoded", body: "id=m-1&text=hoi",
			wantStatus: http.StatusUnsupportedMediaType, wantText: "send application/json"},
		{label: "no session", cookie: &http.Cookie{}, body: ok, wantStatus: http.StatusForbidden, wantText: "session or CSRF token missing or invalid"},
		{label: "unknown session", cookie: never, body: ok, wantStatus: http.StatusForbidden, wantText: "session or CSRF token missing or invalid"},
		{label: "crooked session", cookie: crooked, body: ok, wantStatus: http.StatusForbidden, wantText: "session or CSRF token missing or invalid"},
		{label: "no CSRF token", csrf: "-", body: ok, wantStatus: http.StatusForbidden, wantText: "session or CSRF token missing or invalid"},
		{label: "another session's CSRF token", csrf: other.csrf, body: ok, wantStatus: http.StatusForbidden, wantText: "session or CSRF token missing or invalid"},
		{label: "events without a session", method: http.MethodGet, path: "/chat/events", cookie: &http.Cookie{},
			wantStatus: http.StatusForbidden, wantText: "no chat session"},
		{label: "events of a crooked session", method: http.MethodGet, path: "/chat/events", cookie: crooked,
			wantStatus: http.StatusForbidden, wantText: "no chat session"},
	}
	send := func(t *testing.T, method, path string, cookie *http.Cookie, csrf, contentType, body string) *httptest.ResponseRecorder {
		t.Helper()
		if method == "" {
			method, path = http.MethodPost, "/chat/messages"
		}
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		switch {
		case cookie == nil:
			req.AddCookie(bs.cookie)
		case cookie.Name != "":
			req.Header.Set("Cookie", cookie.Name+"="+cookie.Value)
		}
		switch csrf {
		case "":
			req.Header.Set("X-CSRF-Token", bs.csrf)
		case "-":
		default:
			req.Header.Set("X-CSRF-Token", csrf)
		}
		if contentType == "" {
			contentType = "application/json"
		}
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	check := func(t *testing.T, rec *httptest.ResponseRecorder, wantStatus int, wantText string) {
		t.Helper()
		if rec.Code != wantStatus {
			t.Errorf("status %d (%q), want %d", rec.Code, rec.Body, wantStatus)
		}
		if !strings.Contains(rec.Body.String(), `"error":"`+wantText) {
			t.Errorf("answer %q does not give the error %q", rec.Body, wantText)
		}
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			before := b.Rows(t)
			rec := send(t, c.method, c.path, c.cookie, c.csrf, c.contentType, c.body)
			check(t, rec, c.wantStatus, c.wantText)
			before.Unchanged(t, b.Rows(t), c.label)
		})
	}

	before := b.Rows(t)
	if rec := send(t, "", "", nil, "", "", ok); rec.Code != http.StatusAccepted {
		t.Fatalf("a debtor's message: %d %q", rec.Code, rec.Body)
	}
	stored := b.Rows(t)
	if len(before.Changed(stored)) == 0 {
		t.Fatal("a debtor's message stored nothing either: the counts cannot tell")
	}
	rec := send(t, "", "", nil, "", "", `{"id":"m-2","text":"en nu?"}`)
	check(t, rec, http.StatusTooManyRequests, "too many messages")
	stored.Unchanged(t, b.Rows(t), "a message over the rate limit")
}
