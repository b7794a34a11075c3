package email_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/email"
)

type keepSink struct{ got []bot.Inbound }

func (s *keepSink) Receive(_ context.Context, in bot.Inbound) error {
	s.got = append(s.got, in)
	return nil
}
func (s *keepSink) DeliveryStatus(context.Context, bot.DeliveryStatus) error {
	return nil
}

// Whatever a correctly signed request carries in its mail fields, the
// webhook answers with a status of its contract, and what it hands on is
// valid UTF-8 within the size limit, from a lower-case address, without
// any quoted line.
func FuzzWebhookForm(f *testing.F) {
	f.Add("Jan <j@example.test>", "m1", "Ik betaal vrijdag.\n\nOp di schreef x:\n> citaat", `[["X-Mailgun-Spf","Pass"]]`)
	f.Add("", "", "", "")
	f.Add("a@b", "<>", "\x00\xff> x", `[["Authentication-Results","x; dkim=pass"]]`)
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, from, id, body, headers string) {
		sink := &keepSink{}
		h := email.NewWebhook(email.Inbound{SigningKey: signingKey, Now: func() time.Time { return now }}, sink,
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		form := mailForm(from, id, body, headers, now)
		form.Set("Message-Id", id)
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/webhooks/email", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 406:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		for _, in := range sink.got {
			if !utf8.ValidString(in.Text) || utf8.RuneCountInString(in.Text) > 4096 || in.From != strings.ToLower(in.From) || in.Phone != in.From {
				t.Fatalf("handed on %+v", in)
			}
			for _, l := range strings.Split(in.Text, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), ">") {
					t.Fatalf("a quoted line reached the bot: %q", in.Text)
				}
			}
		}
	})
}
