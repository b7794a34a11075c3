package twilio_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/internal/bottest"
	"github.com/incassobot/incassobot/bot/twilio"
)

// Oversize, malformed and unsigned requests to the Twilio webhooks are
// refused with a 4xx that says what is wrong, and the real bot behind them
// (PostgreSQL, Redis) stores nothing: no inbox row, no dossier entry, no
// reply in the outbox. A well-formed message last proves the counting sees
// what a request stores.
func TestMalformedTwilioRequestsChangeNothing(t *testing.T) {
	b := bottest.New(t)
	inbound := twilio.NewWebhook(fuzzConfig(), b.Router, quietLog())
	status := twilio.NewStatusWebhook(fuzzConfig(), b.Router, quietLog())
	huge := strings.Repeat("betalen ", 9000) // 72 KB: over the 64 KiB a webhook may carry

	cases := []struct {
		label       string
		handler     http.Handler
		target      string
		method      string
		contentType string
		body        string
		sign        string
		wantStatus  int
		wantText    string
	}{
		{label: "oversize message", handler: inbound, target: inboundURL, body: smsForm(huge).Encode(),
			wantStatus: http.StatusRequestEntityTooLarge, wantText: "request body too large"},
		{label: "JSON instead of a form", handler: inbound, target: inboundURL, contentType: "application/json",
			body: `{"MessageSid":"SM1","From":"+31612345678","Body":"hoi"}`, wantStatus: http.StatusUnsupportedMediaType, wantText: "application/x-www-form-urlencoded"},
		{label: "no content type", handler: inbound, target: inboundURL, contentType: "none", body: smsForm("hoi").Encode(),
			wantStatus: http.StatusUnsupportedMediaType, wantText: "application/x-www-form-urlencoded"},
		{label: "broken escape in the form", handler: inbound, target: inboundURL, body: smsForm("hoi").Encode() + "&Body=%zz",
			wantStatus: http.StatusBadRequest, wantText: "malformed form"},
		{label: "no MessageSid", handler: inbound, target: inboundURL, body: with(smsForm("hoi"), "MessageSid", "").Encode(),
			wantStatus: http.StatusBadRequest, wantText: "MessageSid is missing"},
		{label: "no From", handler: inbound, target: inboundURL, body: with(smsForm("hoi"), "From", "").Encode(),
			wantStatus: http.StatusBadRequest, wantText: "From is missing"},
		{label: "From is not a number", handler: inbound, target: inboundURL, body: with(smsForm("hoi"), "From", "bel me").Encode(),
			wantStatus: http.StatusBadRequest, wantText: "From is not a phone number"},
		{label: "NumMedia is not a number", handler: inbound, target: inboundURL, body: with(smsForm("hoi"), "NumMedia", "veel").Encode(),
			wantStatus: http.StatusBadRequest, wantText: `NumMedia "veel" is not a number`},
		{label: "unsigned", handler: inbound, target: inboundURL, body: smsForm("hoi").Encode(), sign: unsigned,
			wantStatus: http.StatusForbidden, wantText: "invalid signature"},
		{label: "signed with another token", handler: inbound, target: inboundURL, body: smsForm("hoi").Encode(), sign: forged,
			wantStatus: http.StatusForbidden, wantText: "invalid signature"},
		{label: "signed for the status URL", handler: inbound, target: inboundURL, body: smsForm("hoi").Encode(), sign: "for:" + statusURL,
			wantStatus: http.StatusForbidden, wantText: "invalid signature"},
		{label: "GET", handler: inbound, target: inboundURL, method: http.MethodGet,
			wantStatus: http.StatusMethodNotAllowed, wantText: "POST only"},

		{label: "status: oversize", handler: status, target: statusURL, body: statusForm("delivered", "+3197010000001").Encode() + "&Pad=" + huge,
			wantStatus: http.StatusRequestEntityTooLarge, wantText: "request body too large"},
		{label: "status: JSON", handler: status, target: statusURL, contentType: "application/json",
			body: `{"MessageSid":"SM1","MessageStatus":"delivered"}`, wantStatus: http.StatusUnsupportedMediaType, wantText: "application/x-www-form-urlencoded"},
		{label: "status: broken escape", handler: status, target: statusURL, body: statusForm("delivered", "+3197010000001").Encode() + "&ErrorCode=%g0",
			wantStatus: http.StatusBadRequest, wantText: "malformed form"},
		{label: "status: no MessageStatus", handler: status, target: statusURL, body: statusForm("", "+3197010000001").Encode(),
			wantStatus: http.StatusBadRequest, wantText: "MessageSid or MessageStatus is missing"},
		{label: "status: no MessageSid", handler: status, target: statusURL, body: with(statusForm("failed", "+3197010000001"), "MessageSid", "").Encode(),
			wantStatus: http.StatusBadRequest, wantText: "MessageSid or MessageStatus is missing"},
		{label: "status: unsigned", handler: status, target: statusURL, body: statusForm("delivered", "+3197010000001").Encode(), sign: unsigned,
			wantStatus: http.StatusForbidden, wantText: "invalid signature"},
		{label: "status: signed with another token", handler: status, target: statusURL, body: statusForm("failed", "+3197010000001").Encode(), sign: forged,
			wantStatus: http.StatusForbidden, wantText: "invalid signature"},
		// Well formed, but for a message the bot never sent: acknowledged
		// (Twilio must not retry it) and not filed anywhere.
		{label: "status: unknown message", handler: status, target: statusURL, body: statusForm("undelivered", "+3197010000001").Encode(),
			wantStatus: http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			before := b.Rows(t)
			rec := httptest.NewRecorder()
			c.handler.ServeHTTP(rec, rawRequest(t, c.method, c.target, c.contentType, c.body, c.sign))
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
	rec := httptest.NewRecorder()
	inbound.ServeHTTP(rec, rawRequest(t, "", inboundURL, "", smsForm("hoeveel moet ik nog betalen?").Encode(), signed))
	if rec.Code != http.StatusOK {
		t.Fatalf("a well-formed message: %d %q", rec.Code, rec.Body)
	}
	if len(before.Changed(b.Rows(t))) == 0 {
		t.Fatal("a well-formed message stored nothing either: the counts cannot tell")
	}
}

// rawRequest is body sent to target as Twilio would, but exactly as
// given: contentType "" is a form, "none" no header; sign is a signing
// mode or "for:<url>" to sign for another address. The signature covers
// what the body decodes to, so only the defect under test is wrong.
func rawRequest(t *testing.T, method, target, contentType, body, sign string) *http.Request {
	t.Helper()
	if method == "" {
		method = http.MethodPost
	}
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	switch contentType {
	case "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case "none":
	default:
		req.Header.Set("Content-Type", contentType)
	}
	form, _ := url.ParseQuery(body)
	signedFor := target
	if u, ok := strings.CutPrefix(sign, "for:"); ok {
		sign, signedFor = signed, u
	}
	switch sign {
	case signed:
		req.Header.Set("X-Twilio-Signature", twilio.Signature(authToken, signedFor, form))
	case forged:
		req.Header.Set("X-Twilio-Signature", twilio.Signature("0000000000000000000000000000dead", signedFor, form))
	}
	return req
}
