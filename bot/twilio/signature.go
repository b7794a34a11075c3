package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// signatureHeader carries Twilio's signature of a webhook request.
const signatureHeader = "X-Twilio-Signature"

// Signature is Twilio's X-Twilio-Signature for a form POST to fullURL:
// base64(HMAC-SHA1(authToken, fullURL + every POST parameter as name+value,
// sorted by name, then by value for a repeated name)). fullURL is the URL
// exactly as configured in Twilio, query string included.
func Signature(authToken, fullURL string, params url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		values := append([]string(nil), params[name]...)
		sort.Strings(values)
		for _, v := range values {
			b.WriteString(name)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// signedURL is the URL Twilio signed for r: the public base URL plus the
// path and query the request arrived with. Behind a proxy that rewrites
// paths, PublicURL must carry the prefix the proxy strips.
func signedURL(publicURL string, r *http.Request) string {
	return strings.TrimRight(publicURL, "/") + r.URL.RequestURI()
}

// validSignature reports whether r carries Twilio's signature of its form.
// Twilio has signed the same URL with and without an explicit default port
// (twilio-go's validator accepts both), so both forms are tried. An empty
// token or URL accepts nothing: a misconfigured bot must not take unsigned
// input.
func validSignature(authToken, publicURL string, r *http.Request) bool {
	got := r.Header.Get(signatureHeader)
	if authToken == "" || publicURL == "" || got == "" {
		return false
	}
	full := signedURL(publicURL, r)
	for _, candidate := range urlVariants(full) {
		want := Signature(authToken, candidate, r.PostForm)
		if hmac.Equal([]byte(got), []byte(want)) {
			return true
		}
	}
	return false
}

// urlVariants returns u as given and with its default port added or
// removed ("https://h/x" and "https://h:443/x").
func urlVariants(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil {
		return []string{raw}
	}
	def := map[string]string{"https": "443", "http": "80"}[u.Scheme]
	if def == "" {
		return []string{raw}
	}
	alt := *u
	switch u.Port() {
	case "":
		alt.Host = u.Host + ":" + def
	case def:
		alt.Host = u.Hostname()
	default:
		return []string{raw}
	}
	return []string{raw, alt.String()}
}
