package telegram_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
)

// Whatever JSON arrives with the right secret, the webhook either passes
// on one well formed message, acknowledges an update the bot ignores, or
// refuses it with a 4xx (503 when a file could not be fetched) — and
// never panics.
func FuzzWebhookUpdate(f *testing.F) {
	for _, m := range []telegramfake.Message{
		{Text: "Hoeveel moet ik nog betalen?"},
		{Text: "edit", Edited: true},
		{ChatID: -100123, FromID: chat, ChatType: "group", Text: "hi all"},
		{Contact: &telegramfake.Contact{PhoneNumber: "+32 470 12 34 56", UserID: chat}},
		{Contact: &telegramfake.Contact{PhoneNumber: "0031612345678", UserID: chat}},
		{Caption: "bewijs", Photo: []telegramfake.PhotoSize{{FileID: "ph-m", Width: 320, Height: 320, FileSize: 1000}}},
		{Document: &telegramfake.Document{FileID: "doc-pdf", MimeType: "application/pdf", FileSize: 60}},
		{Voice: &telegramfake.Voice{FileID: "voice-1", Duration: 3, MimeType: "audio/ogg", FileSize: 4000}},
		{Sticker: &telegramfake.Sticker{FileID: "st-1", Width: 512, Height: 512}},
	} {
		f.Add(msg(4242, m))
	}
	for _, s := range []string{
		`{"update_id": 104, "message": {`, `{"hello": "world"}`, `{"update_id": -1}`, `{"update_id": 1e99}`,
		`{"update_id":7,"message":{"chat":{"id":5551,"type":"private"},"from":{"id":5551},"text":"\ud800 \xff"}}`,
		`{"update_id":7,"message":{"chat":{"id":5551,"type":"private"},"from":{"id":5551},"date":-99999999999,"text":"a"}}`,
		`{"update_id":7} trailing`, `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	fake := telegramfake.New(f, testToken)
	fake.AddFile("doc-pdf", "documents/file_1.pdf", "application/pdf", pdfBytes)
	cfg := telegram.Config{Token: testToken, WebhookSecret: testSecret, APIURL: fake.URL, MaxMediaBytes: 4096, RequestTimeout: 5 * time.Second}
	api, err := telegram.NewClient(cfg)
	if err != nil {
		f.Fatalf("NewClient: %v", err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sink := &recordingSink{}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/telegram", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(telegram.SecretHeader, testSecret)
		rec := httptest.NewRecorder()
		telegram.NewWebhook(cfg, api, sink, nil).ServeHTTP(rec, req)
		attempts, committed := sink.snapshot()
		switch rec.Code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if strings.TrimSpace(rec.Body.String()) == "" {
				t.Fatalf("%d without saying why", rec.Code)
			}
		case http.StatusServiceUnavailable:
			if len(committed) > 0 {
				t.Fatalf("503 after passing the message on")
			}
		default:
			t.Fatalf("status %d (%s) for %q", rec.Code, rec.Body, body)
		}
		if rec.Code != http.StatusOK && len(attempts) > 0 {
			t.Fatalf("refused with %d but passed on %+v", rec.Code, attempts)
		}
		if len(attempts) > 1 {
			t.Fatalf("one update passed on %d messages", len(attempts))
		}
		for _, in := range committed {
			id, ok := strings.CutPrefix(in.ProviderID, "upd:")
			if n, err := strconv.Atoi(id); !ok || err != nil || n <= 0 {
				t.Fatalf("provider id %q is not upd:<positive update id>", in.ProviderID)
			}
			if _, err := strconv.ParseInt(in.From, 10, 64); err != nil {
				t.Fatalf("From %q is not a chat id", in.From)
			}
			if !utf8.ValidString(in.Text) || utf8.RuneCountInString(in.Text) > 4096 {
				t.Fatalf("text is not valid UTF-8 of at most 4096 characters (%d bytes)", len(in.Text))
			}
			// What the debtor wrote (or the caption of what they sent)
			// arrives as written.
			var sent struct {
				Message struct{ Text, Caption string } `json:"message"`
			}
			if err := json.Unmarshal(body, &sent); err != nil {
				t.Fatalf("passed on an update encoding/json does not read: %v", err)
			}
			want := sent.Message.Text
			if want == "" {
				want = sent.Message.Caption
			}
			if utf8.RuneCountInString(want) <= 4096 && in.Text != want {
				t.Fatalf("text %q reached the bot as %q", want, in.Text)
			}
			if in.PhoneShared != (in.Phone != "") {
				t.Fatalf("PhoneShared %v with phone %q", in.PhoneShared, in.Phone)
			}
			if in.Phone != "" && !e164(in.Phone) {
				t.Fatalf("shared phone %q is not E.164", in.Phone)
			}
			for _, m := range in.Media {
				if int64(len(m.Data)) > cfg.MaxMediaBytes {
					t.Fatalf("kept %d bytes of a file, over the %d limit", len(m.Data), cfg.MaxMediaBytes)
				}
			}
		}
	})
}

// e164 is "+", a non-zero digit and 7 to 14 more digits.
func e164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return false
	}
	return strings.Trim(s[1:], "0123456789") == ""
}
