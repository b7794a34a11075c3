package twilio_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
)

// Test credentials: shaped like Twilio's (AC + 32 hex; 32 hex token).
const (
	accountSID = "AC0123456789abcdef0123456789abcdef"
	authToken  = "f00dfeedf00dfeedf00dfeedf00dfeed"
	publicURL  = "https://bot.example.nl"
	inboundURL = publicURL + "/webhooks/twilio"
	statusURL  = publicURL + "/webhooks/twilio/status"
)

var fixedNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// recordingSink keeps what the webhooks delivered; err makes it fail.
type recordingSink struct {
	mu       sync.Mutex
	err      error
	inbound  []bot.Inbound
	statuses []bot.DeliveryStatus
}

func (s *recordingSink) Receive(_ context.Context, in bot.Inbound) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.inbound = append(s.inbound, in)
	return nil
}

func (s *recordingSink) DeliveryStatus(_ context.Context, d bot.DeliveryStatus) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.statuses = append(s.statuses, d)
	return nil
}

var errNotCommitted = errors.New("database is down")

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testConfig(fake *twiliofake.Fake) twilio.Config {
	cfg := twilio.Config{
		AccountSID:          accountSID,
		AuthToken:           authToken,
		SMSFrom:             "+3197010000001",
		WhatsAppFrom:        "+3197010000002",
		PublicURL:           publicURL,
		WhatsAppTemplateSID: "HX0123456789abcdef0123456789abcdef",
		Now:                 func() time.Time { return fixedNow },
	}
	if fake != nil {
		cfg.APIURL = fake.URL
	}
	return cfg
}

// Signing modes for a webhook request.
const (
	signed   = ""         // signed by Twilio for the URL it is sent to
	unsigned = "unsigned" // no X-Twilio-Signature
	forged   = "forged"   // signed with another auth token
)

// webhookRequest is a form POSTed to target; signedFor is the URL the
// signature covers ("" = target), sign one of the modes above.
func webhookRequest(t *testing.T, target, signedFor, sign string, form url.Values) *http.Request {
	t.Helper()
	if signedFor == "" {
		signedFor = target
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	switch sign {
	case signed:
		req.Header.Set("X-Twilio-Signature", twiliofake.Sign(authToken, signedFor, form))
	case forged:
		req.Header.Set("X-Twilio-Signature", twiliofake.Sign("0000000000000000000000000000dead", signedFor, form))
	}
	return req
}

// smsForm is the form Twilio posts for an SMS from +31612345678.
func smsForm(body string) url.Values {
	return url.Values{
		"MessageSid":  {"SM11111111111111111111111111111111"},
		"SmsSid":      {"SM11111111111111111111111111111111"},
		"AccountSid":  {accountSID},
		"From":        {"+31612345678"},
		"To":          {"+3197010000001"},
		"Body":        {body},
		"NumMedia":    {"0"},
		"NumSegments": {"1"},
		"ApiVersion":  {"2010-04-01"},
	}
}

func with(form url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
			continue
		}
		out.Set(kv[i], kv[i+1])
	}
	return out
}
