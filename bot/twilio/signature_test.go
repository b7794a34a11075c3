package twilio_test

import (
	"net/url"
	"testing"

	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	twclient "github.com/twilio/twilio-go/client"
)

// TestSignatureMatchesTwilio checks both signature implementations (the
// channel's verifier and the fake's signer, written apart) against the
// reference vector in twilio-go's own tests
// (client/request_validator_test.go, v1.31.0) and against twilio-go's
// RequestValidator on forms like the ones Twilio sends.
func TestSignatureMatchesTwilio(t *testing.T) {
	const refURL = "https://mycompany.com/myapp.php?foo=1&bar=2"
	const refSignature = "vOEb5UThFn24KEfnOFLQY2AE5FY=" // token "12345"
	refParams := url.Values{
		"Digits": {"1234"}, "CallSid": {"CA1234567890ABCDE"}, "To": {"+18005551212"},
		"Caller": {"+14158675309"}, "From": {"+14158675309"},
		"ReasonConferenceEnded": {"test"}, "Reason": {"Participant"},
	}
	if got := twilio.Signature("12345", refURL, refParams); got != refSignature {
		t.Errorf("twilio.Signature(reference) = %q, want %q", got, refSignature)
	}
	if got := twiliofake.Sign("12345", refURL, refParams); got != refSignature {
		t.Errorf("twiliofake.Sign(reference) = %q, want %q", got, refSignature)
	}

	forms := map[string]url.Values{
		"sms":      smsForm("Ik betaal €50 op 1 april & dan de rest"),
		"empty":    {},
		"unicode":  with(smsForm("Merci 😀, ça va?"), "From", "whatsapp:+32470123456"),
		"repeated": {"a": {"2", "1"}, "B": {"x"}},
		"sorting":  {"MediaUrl10": {"x"}, "MediaUrl2": {"y"}, "Body": {"z"}},
	}
	validator := twclient.NewRequestValidator(authToken)
	for name, form := range forms {
		ours := twilio.Signature(authToken, inboundURL, form)
		if fake := twiliofake.Sign(authToken, inboundURL, form); fake != ours {
			t.Errorf("%s: fake signs %q, channel computes %q", name, fake, ours)
		}
		if name == "repeated" {
			continue // twilio-go's validator reads only the first value of a name
		}
		if !validator.ValidateBody(inboundURL, []byte(form.Encode()), ours) {
			t.Errorf("%s: twilio-go's RequestValidator rejects our signature %q", name, ours)
		}
	}
}
