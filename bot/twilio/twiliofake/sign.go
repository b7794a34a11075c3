package twiliofake

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// Sign computes X-Twilio-Signature for a form POST to fullURL the way
// Twilio does: HMAC-SHA1 keyed with the auth token over the URL followed by
// each parameter's name and value, sorted by name (and by value for a
// repeated name), base64-encoded. It is written apart from the channel's
// verifier on purpose, so each checks the other.
func Sign(authToken, fullURL string, params url.Values) string {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	data := fullURL
	for _, k := range names {
		vs := append([]string(nil), params[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			data += k + v
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignedForm returns a POST of form to fullURL, form-encoded and signed
// with authToken as Twilio would send it. Serve it to a handler directly
// or send it with http.DefaultClient.Do.
func SignedForm(t testing.TB, authToken, fullURL string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, fullURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("twiliofake: building request for %s: %v", fullURL, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", Sign(authToken, fullURL, form))
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	return req
}
