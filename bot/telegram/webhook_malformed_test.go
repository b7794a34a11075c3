package telegram_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/internal/bottest"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
)

// Oversize, malformed and unauthenticated requests to the Telegram webhook
// are refused with a 4xx that says what is wrong, and updates the bot does
// not handle are acknowledged: either way the real bot behind it
// (PostgreSQL, Redis) stores nothing. A debtor's message last proves the
// counting sees what a request stores.
func TestMalformedTelegramRequestsChangeNothing(t *testing.T) {
	b := bottest.New(t)
	api, cfg := newClient(t, telegramfake.New(t, testToken), nil)
	h := telegram.NewWebhook(cfg, api, b.Router, nil)
	hello := string(msg(101, telegramfake.Message{Text: "Hoeveel moet ik nog betalen?"}))
	huge := string(msg(102, telegramfake.Message{Text: strings.Repeat("betalen ", 140000)})) // 1.1 MB

	cases := []struct {
		label       string
		method      string
		secret      string // "-" sends none
		contentType string // "-" sends none
		body        string
		wantStatus  int
		wantText    string
	}{
		{label: "no secret", secret: "-", body: hello, wantStatus: http.StatusForbidden, wantText: "forbidden"},
		{label: "wrong secret", secret: testSecret + "x", body: hello, wantStatus: http.StatusForbidden, wantText: "forbidden"},
		{label: "a form", contentType: "application/x-www-form-urlencoded", body: "update_id=1&text=hoi",
			wantStatus: http.StatusUnsupportedMediaType, wantText: "application/json"},
		{label: "plain text", contentType: "text/plain", body: hello, wantStatus: http.StatusUnsupportedMediaType, wantText: "application/json"},
		{label: "oversize", body: huge, wantStatus: http.StatusRequestEntityTooLarge, wantText: "update too large"},
		{label: "broken JSON", body: `{"update_id": 104, "message": {`, wantStatus: http.StatusBadRequest, wantText: "not a Telegram update"},
		{label: "JSON array", body: `[` + hello + `]`, wantStatus: http.StatusBadRequest, wantText: "not a Telegram update"},
		{label: "no update_id", body: `{"message":{"message_id":1,"chat":{"id":5551,"type":"private"},"from":{"id":5551},"text":"hoi"}}`,
			wantStatus: http.StatusBadRequest, wantText: "not a Telegram update"},
		{label: "negative update_id", body: `{"update_id":-101,"message":{"message_id":1,"chat":{"id":5551,"type":"private"},"from":{"id":5551},"text":"hoi"}}`,
			wantStatus: http.StatusBadRequest, wantText: "not a Telegram update"},
		{label: "text is a number", body: `{"update_id":105,"message":{"message_id":1,"chat":{"id":5551,"type":"private"},"from":{"id":5551},"text":5}}`,
			wantStatus: http.StatusBadRequest, wantText: "not a Telegram update"},
		{label: "empty body", contentType: "-", body: "", wantStatus: http.StatusBadRequest, wantText: "not a Telegram update"},
		{label: "GET", method: http.MethodGet, wantStatus: http.StatusMethodNotAllowed, wantText: "method not allowed"},
		// Well formed, but nothing the bot answers: acknowledged so
		// Telegram does not retry, and filed nowhere.
		{label: "edited message", body: string(msg(106, telegramfake.Message{Text: "toch niet", Edited: true})), wantStatus: http.StatusOK},
		{label: "group chat", body: string(msg(107, telegramfake.Message{ChatID: -100123, FromID: chat, ChatType: "group", Text: "hoi allemaal"})), wantStatus: http.StatusOK},
		{label: "from a bot", body: string(msg(108, telegramfake.Message{Text: "spam", IsBot: true})), wantStatus: http.StatusOK},
		{label: "no message", body: `{"update_id":109,"callback_query":{"id":"1","data":"x"}}`, wantStatus: http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			before := b.Rows(t)
			method := c.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/webhooks/telegram", strings.NewReader(c.body))
			switch c.contentType {
			case "":
				req.Header.Set("Content-Type", "application/json")
			case "-":
			default:
				req.Header.Set("Content-Type", c.contentType)
			}
			switch c.secret {
			case "":
				req.Header.Set(telegram.SecretHeader, testSecret)
			case "-":
			default:
				req.Header.Set(telegram.SecretHeader, c.secret)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.wantStatus {
				t.Errorf("status %d (%q), want %d", rec.Code, rec.Body, c.wantStatus)
			}
			if !strings.Contains(rec.Body.String(), c.wantText) {
				t.Errorf("answer %q does not say %q", rec.Body, c.wantText)
			}
			before.Unchanged(t, b.Rows(t), c.label)
		})
	}

	before := b.Rows(t)
	req := httptest.NewRequest(http.MethodPost, "/webhooks/telegram", strings.NewReader(hello))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(telegram.SecretHeader, testSecret)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("a debtor's message: %d %q", rec.Code, rec.Body)
	}
	if len(before.Changed(b.Rows(t))) == 0 {
		t.Fatal("a debtor's message stored nothing either: the counts cannot tell")
	}
}
