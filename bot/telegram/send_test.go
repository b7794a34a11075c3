package telegram_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
)

func TestSend(t *testing.T) {
	type button = telegramfake.Button
	cases := []struct {
		Label       string
		Msg         bot.Outgoing
		WantText    string
		WantButtons [][]button // nil: the keyboard is removed
	}{
		{Label: "plain text removes any earlier keyboard",
			Msg: bot.Outgoing{Text: "Dank u. Uw betaling is verwerkt."}, WantText: "Dank u. Uw betaling is verwerkt."},
		{Label: "markup characters are sent as they are",
			Msg:      bot.Outgoing{Text: "Kenmerk *IB_2026* <b>[link](https://x.nl)</b> `code`"},
			WantText: "Kenmerk *IB_2026* <b>[link](https://x.nl)</b> `code`"},
		{Label: "options become one button per row",
			Msg:         bot.Outgoing{Text: "Wat wilt u doen?", Options: []string{"Saldo", "Regeling", "Medewerker"}},
			WantText:    "Wat wilt u doen?",
			WantButtons: [][]button{{{Text: "Saldo"}}, {{Text: "Regeling"}}, {{Text: "Medewerker"}}}},
		{Label: "ask phone with the default label",
			Msg:         bot.Outgoing{Text: "Deel uw nummer.", AskPhone: true},
			WantText:    "Deel uw nummer.",
			WantButtons: [][]button{{{Text: telegram.DefaultShareLabel, RequestContact: true}}}},
		{Label: "ask phone with the dialog's label and one more option",
			Msg:         bot.Outgoing{Text: "Share your number.", AskPhone: true, Options: []string{"📱 Share my number", "Talk to a person"}},
			WantText:    "Share your number.",
			WantButtons: [][]button{{{Text: "📱 Share my number", RequestContact: true}}, {{Text: "Talk to a person"}}}},
	}
	fake := telegramfake.New(t, testToken)
	api, _ := newClient(t, fake, nil)
	for i, tc := range cases {
		t.Run(tc.Label, func(t *testing.T) {
			tc.Msg.Channel, tc.Msg.To = "telegram", "5551"
			id, err := api.Send(context.Background(), tc.Msg)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			sent := fake.Sent()
			if len(sent) != i+1 {
				t.Fatalf("%d messages at Telegram, want %d", len(sent), i+1)
			}
			got := sent[i]
			if id != strconv.Itoa(got.MessageID) {
				t.Errorf("Send returned id %q, Telegram gave message_id %d", id, got.MessageID)
			}
			if got.ChatID != chat || got.Text != tc.WantText || got.ParseMode != "" {
				t.Errorf("sent chat %d text %q parse_mode %q, want %d %q and no parse mode", got.ChatID, got.Text, got.ParseMode, chat, tc.WantText)
			}
			checkKeyboard(t, got.Markup, tc.WantButtons)
		})
	}
}

func checkKeyboard(t *testing.T, m *telegramfake.Markup, want [][]telegramfake.Button) {
	t.Helper()
	switch {
	case m == nil:
		t.Errorf("no reply_markup sent")
	case want == nil && !m.RemoveKeyboard:
		t.Errorf("markup %+v, want the keyboard removed", m)
	case want != nil && !(reflect.DeepEqual(m.Keyboard, want) && m.OneTimeKeyboard && m.ResizeKeyboard):
		t.Errorf("keyboard %+v (one-time %v, resize %v), want %+v one-time and resized", m.Keyboard, m.OneTimeKeyboard, m.ResizeKeyboard, want)
	}
}

func TestSendErrorsSayWhetherToRetry(t *testing.T) {
	cases := []struct {
		Label          string
		Setup          func(*telegramfake.Server)
		To             string
		WantRetry      bool
		WantRetryAfter time.Duration
	}{
		{Label: "flood control 429 with retry_after", Setup: func(f *telegramfake.Server) { f.FailNext("sendMessage", 429, 7, 1) },
			WantRetry: true, WantRetryAfter: 7 * time.Second},
		{Label: "Telegram 500", Setup: func(f *telegramfake.Server) { f.FailNext("sendMessage", 500, 0, 1) }, WantRetry: true},
		{Label: "Telegram 502", Setup: func(f *telegramfake.Server) { f.FailNext("sendMessage", 502, 0, 1) }, WantRetry: true},
		{Label: "bot blocked by the user 403", Setup: func(f *telegramfake.Server) { f.Block(chat) }, WantRetry: false},
		{Label: "chat not found 400", To: "123456789", Setup: func(f *telegramfake.Server) { f.FailNext("sendMessage", 400, 0, 1) }, WantRetry: false},
		{Label: "not a chat id", To: "+31612345678x", WantRetry: false},
	}
	for _, tc := range cases {
		t.Run(tc.Label, func(t *testing.T) {
			fake := telegramfake.New(t, testToken)
			api, _ := newClient(t, fake, nil)
			if tc.Setup != nil {
				tc.Setup(fake)
			}
			to := tc.To
			if to == "" {
				to = "5551"
			}
			_, err := api.Send(context.Background(), bot.Outgoing{Channel: "telegram", To: to, Text: "Herinnering"})
			var se *bot.SendError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want a *bot.SendError", err, err)
			}
			if se.Retryable() != tc.WantRetry || bot.IsRetryable(err) != tc.WantRetry || se.RetryAfter != tc.WantRetryAfter {
				t.Errorf("%v: retryable %v after %v, want %v after %v", err, se.Retryable(), se.RetryAfter, tc.WantRetry, tc.WantRetryAfter)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error %q contains the bot token", err)
			}
			if n := len(fake.Sent()); n != 0 {
				t.Errorf("%d message(s) delivered, want 0", n)
			}
		})
	}
}

func TestSendCancelledIsRetryable(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	api, _ := newClient(t, fake, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := api.Send(ctx, bot.Outgoing{Channel: "telegram", To: "5551", Text: "Herinnering"})
	if err == nil || !bot.IsRetryable(err) {
		t.Errorf("Send with a cancelled context: %v, want a retryable error", err)
	}
	if n := len(fake.Sent()); n != 0 {
		t.Errorf("%d message(s) delivered, want 0", n)
	}
}

// A text over 4096 characters goes as several messages, each within the
// limit as Telegram counts it (UTF-16 units — the fake refuses more), cut
// between paragraphs, with the keyboard on the last.
func TestSendSplitsALongText(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	api, _ := newClient(t, fake, nil)
	var paragraphs []string
	for i := range 60 {
		paragraphs = append(paragraphs, strings.TrimSpace("Factuur "+strconv.Itoa(i+1)+" 💶: "+strings.Repeat("openstaand bedrag ", 8)))
	}
	text := strings.Join(paragraphs, "\n\n")
	id, err := api.Send(context.Background(), bot.Outgoing{Channel: "telegram", To: "5551", Text: text, Options: []string{"Betalen", "Regeling"}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := fake.Sent()
	if len(sent) < 3 {
		t.Fatalf("%d message(s) for %d UTF-16 units, want at least 3", len(sent), len(utf16.Encode([]rune(text))))
	}
	var texts []string
	for i, m := range sent {
		texts = append(texts, m.Text)
		if !strings.HasPrefix(m.Text, "Factuur ") {
			t.Errorf("part %d starts %q, want it to start at a paragraph", i+1, m.Text[:20])
		}
		last := i == len(sent)-1
		if hasKeyboard := m.Markup != nil && len(m.Markup.Keyboard) > 0; hasKeyboard != last {
			t.Errorf("part %d of %d has keyboard %v, want it only on the last", i+1, len(sent), hasKeyboard)
		}
	}
	if joined := strings.Join(texts, "\n\n"); joined != text {
		t.Errorf("the parts joined again differ from the text")
	}
	if id != strconv.Itoa(sent[len(sent)-1].MessageID) {
		t.Errorf("Send returned %q, want the last part's id %d", id, sent[len(sent)-1].MessageID)
	}
}

func TestNewClientWithAWrongTokenFailsWithoutShowingIt(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	wrong := "7000000001:AAH-revoked-token"
	_, err := telegram.NewClient(telegram.Config{Token: wrong, APIURL: fake.URL})
	if err == nil {
		t.Fatal("NewClient with a wrong token succeeded")
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error %q contains the token", err)
	}
	if _, err := telegram.NewClient(telegram.Config{APIURL: fake.URL}); err == nil {
		t.Error("NewClient without a token succeeded")
	}
}

func TestNewClientUnreachableAPIDoesNotShowToken(t *testing.T) {
	_, err := telegram.NewClient(telegram.Config{Token: testToken, APIURL: "http://127.0.0.1:1", RequestTimeout: time.Second})
	if err == nil {
		t.Fatal("NewClient against a closed port succeeded")
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("error %q contains the bot token", err)
	}
}

func TestSetWebhook(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	api, _ := newClient(t, fake, nil)
	if err := api.SetWebhook("https://bot.example.nl/webhooks/telegram", testSecret); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	if url, secret := fake.Webhook(); url != "https://bot.example.nl/webhooks/telegram" || secret != testSecret {
		t.Errorf("Telegram has webhook %q secret %q", url, secret)
	}
	for _, bad := range []struct{ url, secret string }{
		{"http://bot.example.nl/webhooks/telegram", testSecret}, // Telegram only calls https
		{"https://bot.example.nl/webhooks/telegram", ""},
		{"https://bot.example.nl/webhooks/telegram", "has spaces in it"},
	} {
		if err := api.SetWebhook(bad.url, bad.secret); err == nil {
			t.Errorf("SetWebhook(%q, %q) succeeded, want an error", bad.url, bad.secret)
		}
	}
	if n := fake.Calls("setWebhook"); n != 1 {
		t.Errorf("setWebhook called %d times, want 1 (bad input refused before calling)", n)
	}
}
