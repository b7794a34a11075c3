package telegram_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
)

// File contents with real signatures: the channel checks the bytes, not
// only the type the sender's app declared.
var (
	jpegBytes = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{7}, 1000)...)
	pngBytes  = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 200)...)
	pdfBytes  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
	// bigBytes is over the tests' 4096-byte MaxMediaBytes.
	bigBytes = append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{'x'}, 5000)...)
)

func msg(updateID int, m telegramfake.Message) []byte {
	m.UpdateID, m.Date = updateID, sentAt
	if m.ChatID == 0 {
		m.ChatID = chat
	}
	return m.Update()
}

// inbound is the Inbound a message of chat with update id id becomes.
func inbound(id string, edit func(*bot.Inbound)) *bot.Inbound {
	in := bot.Inbound{Channel: "telegram", ProviderID: "upd:" + id, From: "5551", At: sentAt}
	if edit != nil {
		edit(&in)
	}
	return &in
}

type webhookCase struct {
	Label       string
	Body        []byte
	Headers     map[string]string // nil: the right secret
	Method      string
	Setup       func(fake *telegramfake.Server)
	SinkErr     error
	WantStatus  int
	WantInbound *bot.Inbound // nil: nothing reaches the sink
}

func TestWebhook(t *testing.T) {
	cases := []webhookCase{
		{Label: "text message", Body: msg(101, telegramfake.Message{Text: "Hoeveel moet ik nog betalen?"}),
			WantStatus: 200, WantInbound: inbound("101", func(in *bot.Inbound) { in.Text = "Hoeveel moet ik nog betalen?" })},
		{Label: "missing secret", Body: msg(102, telegramfake.Message{Text: "hi"}), Headers: map[string]string{},
			WantStatus: 403},
		{Label: "wrong secret", Body: msg(103, telegramfake.Message{Text: "hi"}),
			Headers: map[string]string{telegram.SecretHeader: "webhook-secret_124"}, WantStatus: 403},
		{Label: "secret with a different case", Body: msg(103, telegramfake.Message{Text: "hi"}),
			Headers: map[string]string{telegram.SecretHeader: strings.ToUpper(testSecret)}, WantStatus: 403},
		{Label: "broken JSON", Body: []byte(`{"update_id": 104, "message": {`), WantStatus: 400},
		{Label: "JSON that is not an update", Body: []byte(`{"hello": "world"}`), WantStatus: 400},
		{Label: "body over 1 MiB", Body: append([]byte(`{"update_id":1,"x":"`), bytes.Repeat([]byte("a"), 1<<20)...), WantStatus: 413},
		{Label: "GET is not a webhook call", Method: http.MethodGet, WantStatus: 405},
		{Label: "edited message is ignored", Body: msg(105, telegramfake.Message{Text: "edit", Edited: true}), WantStatus: 200},
		{Label: "group chat is ignored", Body: msg(106, telegramfake.Message{ChatID: -100123, FromID: chat, ChatType: "group", Text: "hi all"}), WantStatus: 200},
		{Label: "another bot is ignored", Body: msg(107, telegramfake.Message{Text: "beep", IsBot: true}), WantStatus: 200},
		{Label: "own contact shared with the button", Body: msg(110, telegramfake.Message{Contact: &telegramfake.Contact{PhoneNumber: "31612345678", UserID: chat}}),
			WantStatus: 200, WantInbound: inbound("110", func(in *bot.Inbound) { in.Phone, in.PhoneShared = "+31612345678", true })},
		{Label: "own Belgian number written with + and spaces", Body: msg(111, telegramfake.Message{Contact: &telegramfake.Contact{PhoneNumber: "+32 470 12 34 56", UserID: chat}}),
			WantStatus: 200, WantInbound: inbound("111", func(in *bot.Inbound) { in.Phone, in.PhoneShared = "+32470123456", true })},
		{Label: "someone else's contact gives no phone", Body: msg(112, telegramfake.Message{Contact: &telegramfake.Contact{PhoneNumber: "31687654321", UserID: 999}}),
			WantStatus: 200, WantInbound: inbound("112", nil)},
		{Label: "a contact card without a Telegram user gives no phone", Body: msg(113, telegramfake.Message{Contact: &telegramfake.Contact{PhoneNumber: "31687654321"}}),
			WantStatus: 200, WantInbound: inbound("113", nil)},
		{Label: "photo: largest size within the limit is fetched",
			Body: msg(120, telegramfake.Message{Caption: "bewijs van betaling", Photo: []telegramfake.PhotoSize{
				{FileID: "ph-s", Width: 90, Height: 90, FileSize: len(pngBytes)},
				{FileID: "ph-m", Width: 320, Height: 320, FileSize: len(jpegBytes)},
				{FileID: "ph-l", Width: 1280, Height: 1280, FileSize: 90000}}}),
			Setup: func(f *telegramfake.Server) {
				f.AddFile("ph-s", "photos/s.jpg", "image/jpeg", pngBytes)
				f.AddFile("ph-m", "photos/m.jpg", "image/jpeg", jpegBytes)
			},
			WantStatus: 200, WantInbound: inbound("120", func(in *bot.Inbound) {
				in.Text = "bewijs van betaling"
				in.Media = []bot.Media{{ContentType: "image/jpeg", Size: int64(len(jpegBytes)), Data: jpegBytes}}
			})},
		{Label: "photo: every size over the limit gives Size only",
			Body: msg(121, telegramfake.Message{Photo: []telegramfake.PhotoSize{
				{FileID: "big-s", Width: 90, Height: 90, FileSize: 5000}, {FileID: "big-l", Width: 800, Height: 800, FileSize: 90000}}}),
			WantStatus: 200, WantInbound: inbound("121", func(in *bot.Inbound) { in.Media = []bot.Media{{ContentType: "image/jpeg", Size: 5000}} })},
		{Label: "PDF document is fetched",
			Body: msg(122, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-pdf", FileName: "afschrift.pdf", MimeType: "application/pdf", FileSize: len(pdfBytes)}}),
			Setup: func(f *telegramfake.Server) {
				f.AddFile("doc-pdf", "documents/file_1.pdf", "application/pdf", pdfBytes)
			},
			WantStatus: 200, WantInbound: inbound("122", func(in *bot.Inbound) {
				in.Media = []bot.Media{{ContentType: "application/pdf", Size: int64(len(pdfBytes)), Data: pdfBytes}}
			})},
		{Label: "PNG document is fetched",
			Body:       msg(123, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-png", MimeType: "image/png"}}),
			Setup:      func(f *telegramfake.Server) { f.AddFile("doc-png", "documents/file_2.png", "image/png", pngBytes) },
			WantStatus: 200, WantInbound: inbound("123", func(in *bot.Inbound) {
				in.Media = []bot.Media{{ContentType: "image/png", Size: int64(len(pngBytes)), Data: pngBytes}}
			})},
		{Label: "a 'PDF' whose bytes are text is not kept",
			Body: msg(124, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-fake", MimeType: "application/pdf", FileSize: 11}}),
			Setup: func(f *telegramfake.Server) {
				f.AddFile("doc-fake", "documents/file_3.pdf", "application/pdf", []byte("hello world"))
			},
			WantStatus: 200, WantInbound: inbound("124", func(in *bot.Inbound) { in.Media = []bot.Media{{ContentType: "text/plain", Size: 11}} })},
		{Label: "Word document: type and size, not fetched",
			Body: msg(125, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-word",
				MimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", FileSize: 1234}}),
			WantStatus: 200, WantInbound: inbound("125", func(in *bot.Inbound) {
				in.Media = []bot.Media{{ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Size: 1234}}
			})},
		{Label: "voice note: type and size, no data",
			Body:       msg(126, telegramfake.Message{Voice: &telegramfake.Voice{FileID: "voice-1", Duration: 3, MimeType: "audio/ogg", FileSize: 4000}}),
			WantStatus: 200, WantInbound: inbound("126", func(in *bot.Inbound) { in.Media = []bot.Media{{ContentType: "audio/ogg", Size: 4000}} })},
		{Label: "sticker: no data",
			Body:       msg(127, telegramfake.Message{Sticker: &telegramfake.Sticker{FileID: "st-1", Width: 512, Height: 512, Emoji: "👍"}}),
			WantStatus: 200, WantInbound: inbound("127", func(in *bot.Inbound) { in.Media = []bot.Media{{ContentType: "image/webp"}} })},
		{Label: "oversize PDF (size known): Size only, nothing downloaded",
			Body:       msg(128, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-big", MimeType: "application/pdf", FileSize: len(bigBytes)}}),
			Setup:      func(f *telegramfake.Server) { f.FailNext("getFile", 500, 0, 1); f.FailNext("file", 500, 0, 1) }, // would turn a fetch into a 503
			WantStatus: 200, WantInbound: inbound("128", func(in *bot.Inbound) {
				in.Media = []bot.Media{{ContentType: "application/pdf", Size: int64(len(bigBytes))}}
			})},
		{Label: "oversize PDF (size known from getFile): not downloaded",
			Body: msg(129, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-big2", MimeType: "application/pdf"}}),
			Setup: func(f *telegramfake.Server) {
				f.AddFile("doc-big2", "documents/big.pdf", "application/pdf", bigBytes)
				f.FailNext("file", 500, 0, 1) // would turn a download into a 503
			},
			WantStatus: 200, WantInbound: inbound("129", func(in *bot.Inbound) {
				in.Media = []bot.Media{{ContentType: "application/pdf", Size: int64(len(bigBytes))}}
			})},
		{Label: "oversize PDF (size unknown everywhere): download stops past the limit",
			Body: msg(133, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-big3", MimeType: "application/pdf"}}),
			Setup: func(f *telegramfake.Server) {
				f.OmitFileSize = true
				f.AddFile("doc-big3", "documents/big3.pdf", "application/pdf", bigBytes)
			},
			// Size is "more than the 4096-byte limit": the bytes read before stopping.
			WantStatus: 200, WantInbound: inbound("133", func(in *bot.Inbound) { in.Media = []bot.Media{{ContentType: "application/pdf", Size: 4097}} })},
		{Label: "getFile fails at Telegram: 503 so Telegram retries",
			Body: msg(130, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-pdf", MimeType: "application/pdf"}}),
			Setup: func(f *telegramfake.Server) {
				f.AddFile("doc-pdf", "documents/file_1.pdf", "application/pdf", pdfBytes)
				f.FailNext("getFile", 502, 0, 1)
			},
			WantStatus: 503},
		{Label: "download fails: 503",
			Body: msg(131, telegramfake.Message{Photo: []telegramfake.PhotoSize{{FileID: "ph-m", Width: 320, Height: 320}}}),
			Setup: func(f *telegramfake.Server) {
				f.AddFile("ph-m", "photos/m.jpg", "image/jpeg", jpegBytes)
				f.FailNext("file", 500, 0, 1)
			},
			WantStatus: 503},
		{Label: "file Telegram refuses for good (invalid file_id): passed on without data",
			Body:       msg(132, telegramfake.Message{Document: &telegramfake.Document{FileID: "gone", MimeType: "application/pdf", FileSize: 100}}),
			WantStatus: 200, WantInbound: inbound("132", func(in *bot.Inbound) { in.Media = []bot.Media{{ContentType: "application/pdf", Size: 100}} })},
		{Label: "sink cannot commit: 500 so Telegram retries", Body: msg(140, telegramfake.Message{Text: "hallo"}),
			SinkErr: errors.New("database is down"), WantStatus: 500},
		{Label: "over-long text is capped at 4096 characters", Body: msg(141, telegramfake.Message{Text: strings.Repeat("é", 5000)}),
			WantStatus: 200, WantInbound: inbound("141", func(in *bot.Inbound) { in.Text = strings.Repeat("é", 4096) })},
	}
	for _, tc := range cases {
		t.Run(tc.Label, func(t *testing.T) { runWebhookCase(t, tc) })
	}
}

// runWebhookCase posts tc.Body to a webhook backed by a real client on a
// fresh fake, and checks the status and what reached the sink.
func runWebhookCase(t *testing.T, tc webhookCase) {
	fake := telegramfake.New(t, testToken)
	if tc.Setup != nil {
		tc.Setup(fake)
	}
	api, cfg := newClient(t, fake, nil)
	sink := &recordingSink{}
	if tc.SinkErr != nil {
		sink.fail = func(bot.Inbound, int) error { return tc.SinkErr }
	}
	h := telegram.NewWebhook(cfg, api, sink, testLog(t))

	method := tc.Method
	if method == "" {
		method = http.MethodPost
	}
	req := httptest.NewRequest(method, "/webhooks/telegram", bytes.NewReader(tc.Body))
	req.Header.Set("Content-Type", "application/json")
	headers := tc.Headers
	if headers == nil {
		headers = map[string]string{telegram.SecretHeader: testSecret}
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if rec.Code != tc.WantStatus {
		t.Errorf("status %d, want %d (body %q)", rec.Code, tc.WantStatus, rec.Body.String())
	}
	attempts, committed := sink.snapshot()
	switch {
	case tc.WantInbound == nil && tc.SinkErr == nil && len(attempts) > 0:
		t.Errorf("sink got %+v, want nothing", attempts)
	case tc.WantInbound != nil && len(committed) != 1:
		t.Errorf("sink committed %d messages, want 1", len(committed))
	case tc.WantInbound != nil && !reflect.DeepEqual(committed[0], *tc.WantInbound):
		t.Errorf("inbound\n got %+v\nwant %+v", brief(committed[0]), brief(*tc.WantInbound))
	}
}

// brief prints an Inbound with its media data as a length, not bytes.
func brief(in bot.Inbound) any {
	type media struct {
		ContentType string
		Size        int64
		DataLen     int
	}
	ms := []media{}
	for _, m := range in.Media {
		ms = append(ms, media{m.ContentType, m.Size, len(m.Data)})
	}
	in.Media = nil
	if len(in.Text) > 40 {
		in.Text = in.Text[:40] + "…"
	}
	return struct {
		bot.Inbound
		Media []media
	}{in, ms}
}

func TestWebhookWithoutConfiguredSecretRefusesEverything(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	api, cfg := newClient(t, fake, func(c *telegram.Config) { c.WebhookSecret = "" })
	sink := &recordingSink{}
	h := telegram.NewWebhook(cfg, api, sink, testLog(t))
	for _, header := range []string{"", "anything"} {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/telegram", bytes.NewReader(msg(1, telegramfake.Message{Text: "hi"})))
		req.Header.Set(telegram.SecretHeader, header)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("secret header %q with no secret configured: status %d, want 403", header, rec.Code)
		}
	}
	if attempts, _ := sink.snapshot(); len(attempts) != 0 {
		t.Errorf("sink called %d times, want 0", len(attempts))
	}
}

// A webhook retry after a failed fetch delivers the same ProviderID, which
// is what lets the router deduplicate.
func TestWebhookRetryAfterFailedFetchKeepsProviderID(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	fake.AddFile("doc-pdf", "documents/file_1.pdf", "application/pdf", pdfBytes)
	fake.FailNext("getFile", 500, 0, 1)
	api, cfg := newClient(t, fake, nil)
	sink := &recordingSink{}
	h := telegram.NewWebhook(cfg, api, sink, testLog(t))
	body := msg(777, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-pdf", MimeType: "application/pdf"}})
	var codes []int
	for range 2 {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/telegram", bytes.NewReader(body))
		req.Header.Set(telegram.SecretHeader, testSecret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		codes = append(codes, rec.Code)
	}
	if !reflect.DeepEqual(codes, []int{503, 200}) {
		t.Fatalf("statuses %v, want [503 200]", codes)
	}
	_, committed := sink.snapshot()
	if len(committed) != 1 || committed[0].ProviderID != "upd:777" || !bytes.Equal(committed[0].Media[0].Data, pdfBytes) {
		t.Errorf("committed %+v, want upd:777 with the PDF", committed)
	}
}
