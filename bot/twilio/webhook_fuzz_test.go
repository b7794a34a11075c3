package twilio_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot/twilio"
)

// noNetwork refuses every outgoing call: a fuzzed MediaUrl must never
// reach a real host.
type noNetwork struct{}

func (noNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in the fuzz test")
}

// fuzzConfig is testConfig with every outgoing call refused.
func fuzzConfig() twilio.Config {
	cfg := testConfig(nil)
	cfg.HTTPClient = &http.Client{Transport: noNetwork{}}
	return cfg
}

// signedPost is body POSTed to url as Twilio posts it, signed over the
// parameters the server will parse from it (an undecodable body is signed
// over what decodes: the server must refuse it before it looks).
func signedPost(target, body string) *http.Request {
	form, _ := url.ParseQuery(body)
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twilio.Signature(authToken, target, form))
	return req
}

// fuzzSeeds are forms Twilio sends and near misses of them.
func fuzzSeeds() []string {
	return []string{
		smsForm("hoeveel moet ik nog betalen?").Encode(),
		with(smsForm("hoi"), "From", "whatsapp:+31612345678", "To", "whatsapp:+3197010000002").Encode(),
		with(smsForm(""), "NumMedia", "1", "MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "MediaContentType0", "image/jpeg").Encode(),
		with(smsForm("hoi"), "From", "messenger:12345").Encode(),
		with(smsForm("hoi"), "From", "0612345678").Encode(),
		with(smsForm("hoi"), "NumMedia", "-3").Encode(),
		"MessageSid=SM1&From=%2B31612345678&Body=%FF%FE%C3",
		"MessageSid=SM1&From=%2B31612345678&Body=a%zz",
		"MessageSid=SM1&MessageSid=SM2&From=%2B31612345678&From=%2B32470123113",
		"MessageSid=SM1&MessageStatus=delivered&To=whatsapp%3A%2B31612345678",
		"MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30008",
		"MessageSid=&MessageStatus=",
		"",
		";;;&&&==",
	}
}

// Every form a signed caller can post either reaches the bot as a well
// formed message or is refused with a 4xx and reaches nothing; a 503 only
// when a media file could not be fetched. Nothing panics.
func FuzzWebhookForm(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		sink := &recordingSink{}
		rec := httptest.NewRecorder()
		twilio.NewWebhook(fuzzConfig(), sink, quietLog()).ServeHTTP(rec, signedPost(inboundURL, body))
		form, decodeErr := url.ParseQuery(body)
		switch rec.Code {
		case http.StatusOK:
			if decodeErr != nil {
				t.Fatalf("200 for a form that does not decode (%v): %q", decodeErr, body)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if strings.TrimSpace(rec.Body.String()) == "" {
				t.Fatalf("%d without saying why", rec.Code)
			}
		case http.StatusServiceUnavailable:
			if !strings.Contains(body, "MediaUrl") {
				t.Fatalf("503 for a form without media: %q", body)
			}
		default:
			t.Fatalf("status %d (%s) for %q", rec.Code, rec.Body, body)
		}
		if rec.Code != http.StatusOK && len(sink.inbound) > 0 {
			t.Fatalf("refused with %d but passed on %+v", rec.Code, sink.inbound)
		}
		if len(sink.inbound) > 1 {
			t.Fatalf("one webhook passed on %d messages", len(sink.inbound))
		}
		for _, in := range sink.inbound {
			if in.ProviderID == "" || in.ProviderID != strings.TrimSpace(form.Get("MessageSid")) {
				t.Fatalf("provider id %q, form's MessageSid %q", in.ProviderID, form.Get("MessageSid"))
			}
			if in.Channel != twilio.ChannelSMS && in.Channel != twilio.ChannelWhatsApp {
				t.Fatalf("channel %q", in.Channel)
			}
			if !e164(in.From) || in.Phone != in.From {
				t.Fatalf("From %q / Phone %q is not one E.164 number", in.From, in.Phone)
			}
			if !utf8.ValidString(in.Text) || utf8.RuneCountInString(in.Text) > 4096 {
				t.Fatalf("text passed on is not valid UTF-8 of at most 4096 characters: %d bytes", len(in.Text))
			}
			// What the debtor wrote arrives as written.
			if b := form.Get("Body"); utf8.ValidString(b) && utf8.RuneCountInString(b) <= 4096 && in.Text != b {
				t.Fatalf("Body %q reached the bot as %q", b, in.Text)
			}
		}
	})
}

// Status callbacks: a known status reaches the bot once, with the bot's
// word for it; anything else is acknowledged or refused, never passed on
// half read.
func FuzzStatusCallback(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	words := map[string]bool{"queued": true, "sent": true, "delivered": true, "read": true, "failed": true, "undelivered": true}
	f.Fuzz(func(t *testing.T, body string) {
		sink := &recordingSink{}
		rec := httptest.NewRecorder()
		twilio.NewStatusWebhook(fuzzConfig(), sink, quietLog()).ServeHTTP(rec, signedPost(statusURL, body))
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d (%s) for %q", rec.Code, rec.Body, body)
		}
		if rec.Code != http.StatusOK && len(sink.statuses) > 0 {
			t.Fatalf("refused with %d but recorded %+v", rec.Code, sink.statuses)
		}
		if len(sink.statuses) > 1 {
			t.Fatalf("one callback recorded %d statuses", len(sink.statuses))
		}
		for _, s := range sink.statuses {
			if s.ProviderID == "" || !words[s.Status] {
				t.Fatalf("recorded %+v: want a MessageSid and one of the bot's status words", s)
			}
			if s.Channel != twilio.ChannelSMS && s.Channel != twilio.ChannelWhatsApp {
				t.Fatalf("channel %q", s.Channel)
			}
		}
	})
}

// e164 is "+", a non-zero digit and 7 to 14 more digits.
func e164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return false
	}
	return strings.Trim(s[1:], "0123456789") == ""
}
