package twilio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/bot"
)

// evidenceTypes are the files whose bytes are kept: photos and PDFs, the
// evidence a dispute or a payment report needs. Other files come through
// with their type and size only, so the dialog can refuse them politely.
var evidenceTypes = map[string]bool{
	"image/jpeg":      true,
	"image/png":       true,
	"application/pdf": true,
}

// mediaFetcher downloads the files of an inbound message from Twilio.
type mediaFetcher struct {
	cfg    Config
	client *http.Client
}

func newMediaFetcher(cfg Config) *mediaFetcher {
	base := cfg.baseClient()
	api, _ := cfg.apiBase() // a bad APIURL fails NewSender; here it means "no rewrite"
	m := &mediaFetcher{cfg: cfg}
	m.client = &http.Client{
		Transport: &rewriteTransport{base: cfg.transport(), api: api},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !m.allowed(req.URL) {
				return fmt.Errorf("media redirected to %s, not a Twilio host", req.URL.Hostname())
			}
			if base.CheckRedirect != nil {
				return base.CheckRedirect(req, via)
			}
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return nil
		},
		Jar:     base.Jar,
		Timeout: base.Timeout,
	}
	return m
}

// allowed reports whether a media URL is Twilio's own: its API hosts, its
// CDN, or the configured APIURL (a local fake). The URL comes in a signed
// request, but whoever holds the auth token could otherwise make the
// server fetch any address it reaches (SSRF).
func (m *mediaFetcher) allowed(u *url.URL) bool {
	h := strings.ToLower(u.Hostname())
	return isTwilioHost(u) || h == "twiliocdn.com" || strings.HasSuffix(h, ".twiliocdn.com") ||
		m.cfg.APIURL != "" && sameHost(u, m.cfg.APIURL)
}

// fetchAll fetches MediaUrl0…MediaUrlN-1. An error means a file may exist
// but could not be read now (network, Twilio 5xx): the webhook answers 503
// so Twilio calls again. A file Twilio says is gone (404, 410) comes
// through without bytes instead, so the debtor's message is not lost.
func (m *mediaFetcher) fetchAll(ctx context.Context, form url.Values) ([]bot.Media, error) {
	n, _ := strconv.Atoi(form.Get("NumMedia"))
	n = min(max(n, 0), maxMediaPerMessage)
	var out []bot.Media
	for i := range n {
		raw := form.Get("MediaUrl" + strconv.Itoa(i))
		if raw == "" {
			continue
		}
		declared := contentType(form.Get("MediaContentType" + strconv.Itoa(i)))
		md, err := m.fetch(ctx, raw, declared)
		if err != nil {
			return nil, fmt.Errorf("media %d: %w", i, err)
		}
		out = append(out, md)
	}
	return out, nil
}

// fetch reads one file, at most MaxMediaBytes of it.
func (m *mediaFetcher) fetch(ctx context.Context, raw, declared string) (bot.Media, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return bot.Media{}, fmt.Errorf("media URL is not an http(s) URL")
	}
	if !m.allowed(u) {
		// Not fetched, and not retried: the message is filed with the file
		// as one that could not be read, so the debtor is asked again.
		return bot.Media{ContentType: declared}, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return bot.Media{}, err
	}
	// Twilio's media URLs need the account's credentials (when HTTP basic
	// auth for media is on); they are sent to Twilio only, and Go drops
	// them when Twilio redirects to its CDN on another host.
	if isTwilioHost(u) || m.cfg.APIURL != "" && sameHost(u, m.cfg.APIURL) {
		req.SetBasicAuth(m.cfg.AccountSID, m.cfg.AuthToken)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return bot.Media{}, err
	}
	defer resp.Body.Close()
	md := bot.Media{ContentType: declared}
	if md.ContentType == "" {
		md.ContentType = contentType(resp.Header.Get("Content-Type"))
	}
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return md, nil
	case resp.StatusCode != http.StatusOK:
		return bot.Media{}, fmt.Errorf("media fetch answered %s", resp.Status)
	}
	limit := m.cfg.maxMedia()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return bot.Media{}, fmt.Errorf("reading media: %w", err)
	}
	md.Size = max(int64(len(data)), resp.ContentLength)
	if md.Size > limit || !evidenceTypes[md.ContentType] {
		return md, nil
	}
	// The declared type is what the debtor's phone claimed; keep the bytes
	// only when they are what it says, so a renamed file is refused.
	if sniffed := contentType(http.DetectContentType(data)); sniffed != md.ContentType {
		md.ContentType = sniffed
		return md, nil
	}
	md.Data = data
	return md, nil
}

// contentType returns the media type of a Content-Type value, lower case
// and without parameters; "" when there is none.
func contentType(v string) string {
	if v == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(v)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(v))
	}
	return mt
}

func sameHost(u *url.URL, base string) bool {
	b, err := url.Parse(base)
	return err == nil && strings.EqualFold(u.Host, b.Host)
}

// rewriteTransport sends requests for Twilio's hosts to the APIURL base
// instead, so a local fake can stand in for Twilio. Without a base it
// passes requests through unchanged.
type rewriteTransport struct {
	base http.RoundTripper
	api  *url.URL
}

func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.api == nil || !isTwilioHost(req.URL) {
		return t.base.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	rewrite(out, t.api)
	return t.base.RoundTrip(out)
}

// rewrite points req at base, keeping its path below base's own path.
func rewrite(req *http.Request, base *url.URL) {
	req.URL.Scheme = base.Scheme
	req.URL.Host = base.Host
	req.URL.Path = strings.TrimRight(base.Path, "/") + req.URL.Path
	req.URL.RawPath = ""
	req.Host = ""
}
