package twilio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	twclient "github.com/twilio/twilio-go/client"
)

func newSender(t *testing.T, cfg twilio.Config) *twilio.Sender {
	t.Helper()
	s, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return s
}

// TestSenderSendsWhatTwilioExpects runs the real twilio-go client against
// the fake and checks the form Twilio would receive.
func TestSenderSendsWhatTwilioExpects(t *testing.T) {
	tests := []struct {
		Label string
		Cfg   func(*twilio.Config)
		Msg   bot.Outgoing
		Want  twiliofake.Message
	}{
		{Label: "SMS", Msg: bot.Outgoing{Channel: "sms", To: "+31612345678", Text: "Uw saldo is € 125,40.", Options: []string{"1", "2"}},
			Want: twiliofake.Message{From: "+3197010000001", To: "+31612345678", Body: "Uw saldo is € 125,40.", StatusCallback: statusURL}},
		{Label: "WhatsApp", Msg: bot.Outgoing{Channel: "whatsapp", To: "+32470123456", Text: "Bonjour 👋"},
			Want: twiliofake.Message{From: "whatsapp:+3197010000002", To: "whatsapp:+32470123456", Body: "Bonjour 👋", StatusCallback: statusURL}},
		{Label: "WhatsApp template outside the 24-hour window", Msg: bot.Outgoing{Channel: "whatsapp", To: "+31612345678", Text: "Herinnering: \"factuur\" 2026-01", Template: true},
			Want: twiliofake.Message{From: "whatsapp:+3197010000002", To: "whatsapp:+31612345678", ContentSid: "HX0123456789abcdef0123456789abcdef",
				ContentVariables: `{"1":"Herinnering: \"factuur\" 2026-01"}`, StatusCallback: statusURL}},
		{Label: "a follow-up's own template by its message type",
			Cfg: func(c *twilio.Config) {
				c.WhatsAppTemplates = map[string]string{"installment_reminder": "HXaaaabbbbccccddddeeeeffff00001111"}
			},
			Msg: bot.Outgoing{Channel: "whatsapp", To: "+31612345678", Text: "Herinnering: termijn", Template: true, TemplateType: "installment_reminder"},
			Want: twiliofake.Message{From: "whatsapp:+3197010000002", To: "whatsapp:+31612345678", ContentSid: "HXaaaabbbbccccddddeeeeffff00001111",
				ContentVariables: `{"1":"Herinnering: termijn"}`, StatusCallback: statusURL}},
		{Label: "a type without its own template gets the general one",
			Cfg: func(c *twilio.Config) {
				c.WhatsAppTemplates = map[string]string{"installment_reminder": "HXaaaabbbbccccddddeeeeffff00001111"}
			},
			Msg: bot.Outgoing{Channel: "whatsapp", To: "+31612345678", Text: "Herinnering", Template: true, TemplateType: "reminder"},
			Want: twiliofake.Message{From: "whatsapp:+3197010000002", To: "whatsapp:+31612345678", ContentSid: "HX0123456789abcdef0123456789abcdef",
				ContentVariables: `{"1":"Herinnering"}`, StatusCallback: statusURL}},
		{Label: "a follow-up inside the window goes as plain text",
			Cfg: func(c *twilio.Config) {
				c.WhatsAppTemplates = map[string]string{"installment_reminder": "HXaaaabbbbccccddddeeeeffff00001111"}
			},
			Msg:  bot.Outgoing{Channel: "whatsapp", To: "+31612345678", Text: "Herinnering", TemplateType: "installment_reminder"},
			Want: twiliofake.Message{From: "whatsapp:+3197010000002", To: "whatsapp:+31612345678", Body: "Herinnering", StatusCallback: statusURL}},
		{Label: "template without a configured SID falls back to the text",
			Cfg:  func(c *twilio.Config) { c.WhatsAppTemplateSID = "" },
			Msg:  bot.Outgoing{Channel: "whatsapp", To: "+31612345678", Text: "Herinnering", Template: true},
			Want: twiliofake.Message{From: "whatsapp:+3197010000002", To: "whatsapp:+31612345678", Body: "Herinnering", StatusCallback: statusURL}},
		{Label: "template flag means nothing on SMS", Msg: bot.Outgoing{Channel: "sms", To: "+31612345678", Text: "Herinnering", Template: true},
			Want: twiliofake.Message{From: "+3197010000001", To: "+31612345678", Body: "Herinnering", StatusCallback: statusURL}},
		{Label: "no status callback without a public URL", Cfg: func(c *twilio.Config) { c.PublicURL = "" },
			Msg:  bot.Outgoing{Channel: "sms", To: "+31612345678", Text: "Hallo"},
			Want: twiliofake.Message{From: "+3197010000001", To: "+31612345678", Body: "Hallo"}},
	}
	for _, tc := range tests {
		t.Run(tc.Label, func(t *testing.T) {
			fake := twiliofake.New(t, accountSID, authToken)
			cfg := testConfig(fake)
			if tc.Cfg != nil {
				tc.Cfg(&cfg)
			}
			sid, err := newSender(t, cfg).Send(context.Background(), tc.Msg)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			msgs := fake.Messages()
			if len(msgs) != 1 {
				t.Fatalf("fake got %d messages, want 1", len(msgs))
			}
			got := msgs[0]
			if sid != got.SID || !strings.HasPrefix(sid, "SM") {
				t.Errorf("Send returned %q, Twilio created %q", sid, got.SID)
			}
			tc.Want.SID, tc.Want.At, tc.Want.MediaURL = got.SID, got.At, got.MediaURL
			if got.From != tc.Want.From || got.To != tc.Want.To || got.Body != tc.Want.Body ||
				got.ContentSid != tc.Want.ContentSid || got.ContentVariables != tc.Want.ContentVariables ||
				got.StatusCallback != tc.Want.StatusCallback {
				t.Errorf("Twilio received\n %+v\nwant\n %+v", got, tc.Want)
			}
		})
	}
}

func TestSenderErrorsSayWhetherToRetry(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		Label          string
		Script         func(*twiliofake.Fake)
		APIURL         string // overrides the fake
		AuthToken      string // overrides the account's
		Msg            bot.Outgoing
		WantRetry      bool
		WantRetryAfter time.Duration
		WantCode       int // Twilio's error code, 0 when none
	}{
		{Label: "rate limited, with Retry-After", Script: func(f *twiliofake.Fake) { f.FailNextRetryAfter(429, 20429, 1, 7*time.Second) },
			WantRetry: true, WantRetryAfter: 7 * time.Second, WantCode: 20429},
		{Label: "Twilio down", Script: func(f *twiliofake.Fake) { f.FailNext(503, 20503, 1) }, WantRetry: true, WantCode: 20503},
		{Label: "invalid number", Script: func(f *twiliofake.Fake) { f.FailNext(400, 21211, 1) }, WantCode: 21211},
		{Label: "recipient unsubscribed (STOP)", Script: func(f *twiliofake.Fake) { f.FailNext(400, 21610, 1) }, WantCode: 21610},
		{Label: "wrong auth token", AuthToken: "0000000000000000000000000000dead", WantCode: 20003},
		{Label: "network unreachable", APIURL: closed.URL, WantRetry: true},
		{Label: "recipient not E.164: refused before calling Twilio", Msg: bot.Outgoing{Channel: "sms", To: "0612345678", Text: "Hallo"}},
		{Label: "unknown channel", Msg: bot.Outgoing{Channel: "telegram", To: "+31612345678", Text: "Hallo"}},
		{Label: "empty text", Msg: bot.Outgoing{Channel: "sms", To: "+31612345678", Text: "  "}},
	}
	for _, tc := range tests {
		t.Run(tc.Label, func(t *testing.T) {
			fake := twiliofake.New(t, accountSID, authToken)
			if tc.Script != nil {
				tc.Script(fake)
			}
			cfg := testConfig(fake)
			if tc.APIURL != "" {
				cfg.APIURL = tc.APIURL
			}
			if tc.AuthToken != "" {
				cfg.AuthToken = tc.AuthToken
			}
			msg := tc.Msg
			if msg.Channel == "" {
				msg = bot.Outgoing{Channel: "sms", To: "+31612345678", Text: "Hallo"}
			}
			_, err := newSender(t, cfg).Send(context.Background(), msg)
			var se *bot.SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send error = %v (%T), want a *bot.SendError", err, err)
			}
			if se.Retryable() != tc.WantRetry || bot.IsRetryable(err) != tc.WantRetry {
				t.Errorf("retryable = %v, want %v (%v)", se.Retryable(), tc.WantRetry, err)
			}
			if se.RetryAfter != tc.WantRetryAfter {
				t.Errorf("RetryAfter = %v, want %v", se.RetryAfter, tc.WantRetryAfter)
			}
			var rest *twclient.TwilioRestError
			if tc.WantCode != 0 && (!errors.As(err, &rest) || rest.Code != tc.WantCode) {
				t.Errorf("error %v does not carry Twilio code %d", err, tc.WantCode)
			}
			if n := len(fake.Messages()); n != 0 {
				t.Errorf("fake accepted %d messages, want none", n)
			}
		})
	}
}

func TestSenderSucceedsAfterRateLimit(t *testing.T) {
	fake := twiliofake.New(t, accountSID, authToken)
	fake.FailNext(429, 20429, 1)
	s := newSender(t, testConfig(fake))
	msg := bot.Outgoing{Channel: "sms", To: "+31612345678", Text: "Hallo"}
	if _, err := s.Send(context.Background(), msg); !bot.IsRetryable(err) {
		t.Fatalf("first send: %v, want a retryable error", err)
	}
	sid, err := s.Send(context.Background(), msg)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if got := fake.WaitForMessages(t, 1, time.Second); got[0].SID != sid {
		t.Errorf("retry returned %q, Twilio created %q", sid, got[0].SID)
	}
}

// twilio-go builds its requests without a context; the Sender must still
// stop waiting when the caller's context ends.
func TestSenderHonoursContext(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(release)
	cfg := testConfig(nil)
	cfg.APIURL = hang.URL
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newSender(t, cfg).Send(ctx, bot.Outgoing{Channel: "sms", To: "+31612345678", Text: "Hallo"})
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Send took %v after its context ended", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !bot.IsRetryable(err) {
		t.Errorf("Send error = %v, want a retryable deadline error", err)
	}
}

func TestSenderSplitsLongSMSIntoMessages(t *testing.T) {
	fake := twiliofake.New(t, accountSID, authToken)
	para := "Uw betalingsregeling is vastgelegd. U betaalt zes termijnen van € 52,50, steeds op de eerste van de maand. " +
		"De eerste termijn is op 1 april 2026. Lukt het een keer niet, laat het ons dan op tijd weten. "
	text := strings.TrimSpace(strings.Repeat(para, 3)) + "\n\n" + strings.TrimSpace(strings.Repeat(para, 3))
	sid, err := newSender(t, testConfig(fake)).Send(context.Background(), bot.Outgoing{Channel: "sms", To: "+31612345678", Text: text})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := fake.WaitForMessages(t, 2, time.Second)
	if sid != msgs[0].SID {
		t.Errorf("Send returned %q, want the first message's SID %q", sid, msgs[0].SID)
	}
	var bodies []string
	for _, m := range msgs {
		if n := twilio.Segments(m.Body); n > twilio.MaxSegmentsPerMessage {
			t.Errorf("a message takes %d segments: %q", n, m.Body)
		}
		bodies = append(bodies, m.Body)
	}
	if want := twilio.SplitSMS(text); strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Errorf("messages sent = %q, want SplitSMS's parts %q", bodies, want)
	}
}

func TestNewSenderReportsEveryConfigProblem(t *testing.T) {
	_, err := twilio.NewSender(twilio.Config{AuthToken: "bad-token!", SMSFrom: "0612345678", APIURL: "not a url"})
	if err == nil {
		t.Fatal("NewSender accepted a broken config")
	}
	for _, want := range []string{"AccountSID is empty", "letters and digits", "SMSFrom", "APIURL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// TestStatusCallbackRoundTrip sends a message through the fake and lets
// the fake report its delivery to the status webhook at the callback URL
// the Sender gave, signed as Twilio signs it.
func TestStatusCallbackRoundTrip(t *testing.T) {
	fake := twiliofake.New(t, accountSID, authToken)
	sink := &recordingSink{}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	defer srv.Close()
	cfg := testConfig(fake)
	cfg.PublicURL = srv.URL
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/twilio/status", twilio.NewStatusWebhook(cfg, sink, quietLog()))
	handler = mux

	sid, err := newSender(t, cfg).Send(context.Background(), bot.Outgoing{Channel: "whatsapp", To: "+31612345678", Text: "Hallo"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if code := fake.ReportStatus(t, sid, "undelivered", "63016"); code != http.StatusOK {
		t.Fatalf("status webhook answered %d", code)
	}
	want := bot.DeliveryStatus{Channel: "whatsapp", ProviderID: sid, Status: "undelivered", ErrorCode: "63016", At: fixedNow}
	if len(sink.statuses) != 1 || sink.statuses[0] != want {
		t.Errorf("statuses = %+v, want [%+v]", sink.statuses, want)
	}
}

// FindSent finds a message Twilio accepted by listing the recipient's
// messages (the real twilio-go list call against the fake's list, paged):
// the outbox asks it before it sends again a reply whose sender died.
func TestFindSentAsksTwilioWhetherAMessageWentOut(t *testing.T) {
	fake := twiliofake.New(t, accountSID, authToken)
	s := newSender(t, testConfig(fake))
	ctx := context.Background()
	since := time.Now().Add(-time.Minute)
	reply := bot.Outgoing{ID: 41, Channel: "sms", To: "+31612345678", Text: "Uw saldo is € 125,40."}
	none := func(string) bool { return false }
	if sid, err := s.FindSent(ctx, reply, since, none); err != nil || sid != "" {
		t.Fatalf("before it was sent: FindSent = %q, %v; want not found", sid, err)
	}
	for i := range 120 { // more than two pages of others, to the same and other numbers
		to := "+31612345678"
		if i%2 == 0 {
			to = "+31687654321"
		}
		if _, err := s.Send(ctx, bot.Outgoing{Channel: "sms", To: to, Text: "ander bericht"}); err != nil {
			t.Fatal(err)
		}
	}
	sent, err := s.Send(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	for range 60 {
		if _, err := s.Send(ctx, bot.Outgoing{Channel: "sms", To: "+31612345678", Text: "later bericht"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := fake.Messages()[120].StatusCallback; got != statusURL+"?outbound=41" {
		t.Errorf("status callback %q, want the outbox id in it", got)
	}
	if sid, err := s.FindSent(ctx, reply, since, none); err != nil || sid != sent {
		t.Fatalf("FindSent = %q, %v; want %q", sid, err, sent)
	}
	if sid, err := s.FindSent(ctx, reply, since, func(id string) bool { return id == sent }); err != nil || sid != "" {
		t.Fatalf("FindSent with its SID known for another message = %q, %v; want not found", sid, err)
	}
	if sid, err := s.FindSent(ctx, reply, time.Now().Add(time.Hour), none); err != nil || sid != "" {
		t.Fatalf("FindSent after it was sent = %q, %v; want not found", sid, err)
	}
}
