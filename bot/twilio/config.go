package twilio

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Limits that protect the bot from oversize input.
const (
	// DefaultMaxMediaBytes is the largest media file kept when
	// Config.MaxMediaBytes is zero: Twilio's own MMS limit is 5 MB.
	DefaultMaxMediaBytes = 5 << 20
	// maxWebhookBody bounds a webhook's form: Twilio's are a few KiB even
	// with ten media URLs, so anything near this is not Twilio.
	maxWebhookBody = 64 << 10
	// maxTextRunes bounds the text handed to the dialog; a longer text is
	// cut, not refused, so the debtor still gets an answer.
	maxTextRunes = 4096
	// maxMediaPerMessage is Twilio's own limit on media in one message.
	maxMediaPerMessage = 10
	// defaultHTTPTimeout bounds one call to Twilio when Config.HTTPClient
	// does not set its own timeout.
	defaultHTTPTimeout = 15 * time.Second
)

// Channel names as the bot knows them (bot.Inbound.Channel).
const (
	ChannelSMS      = "sms"
	ChannelWhatsApp = "whatsapp"
)

// whatsAppPrefix is how Twilio marks a WhatsApp address in From and To.
const whatsAppPrefix = "whatsapp:"

// Config is one Twilio account as the bot uses it.
type Config struct {
	AccountSID string
	AuthToken  string // signs webhooks and authenticates API calls
	// SMSFrom and WhatsAppFrom are the bot's own numbers in E.164;
	// WhatsAppFrom without the "whatsapp:" prefix.
	SMSFrom      string
	WhatsAppFrom string
	// PublicURL is the base URL Twilio calls and signs, e.g.
	// https://bot.example.nl. The webhook verifies signatures against
	// PublicURL + the request path and query, so it must be exactly what is
	// configured in Twilio's console (scheme, host, port).
	PublicURL string
	// APIURL overrides the base URL of the REST API and of media fetches
	// (any *.twilio.com URL is rewritten to it): for local fakes.
	APIURL string
	// WhatsAppTemplateSID is the content SID (HX…) of the approved
	// template sent outside WhatsApp's 24-hour window; its variable {{1}}
	// carries the text.
	WhatsAppTemplateSID string
	// WhatsAppTemplates are the content SIDs of the follow-ups' own
	// approved templates by message type (bot/followup: reminder,
	// installment_reminder, …); a type without one gets
	// WhatsAppTemplateSID. Each has the text as its variable {{1}}.
	WhatsAppTemplates map[string]string
	// MaxMediaBytes is the largest media file whose bytes are kept;
	// DefaultMaxMediaBytes when zero.
	MaxMediaBytes int64
	// HTTPClient makes every outgoing call (API and media); a client with
	// a 15 s timeout when nil. Its Transport is wrapped, never modified.
	HTTPClient *http.Client
	// Now stamps inbound messages and status reports; time.Now when nil.
	Now func() time.Time
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c Config) maxMedia() int64 {
	if c.MaxMediaBytes > 0 {
		return c.MaxMediaBytes
	}
	return DefaultMaxMediaBytes
}

func (c Config) baseClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return &http.Client{Timeout: defaultHTTPTimeout}
}

func (c Config) transport() http.RoundTripper {
	if c.HTTPClient != nil && c.HTTPClient.Transport != nil {
		return c.HTTPClient.Transport
	}
	return http.DefaultTransport
}

// apiBase returns the parsed APIURL, nil when unset.
func (c Config) apiBase() (*url.URL, error) {
	if c.APIURL == "" {
		return nil, nil
	}
	u, err := url.Parse(c.APIURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("twilio: APIURL %q is not an absolute URL", c.APIURL)
	}
	return u, nil
}

// validate reports every problem with a configuration at once.
func (c Config) validate() error {
	var errs []error
	if c.AccountSID == "" {
		errs = append(errs, errors.New("twilio: AccountSID is empty"))
	}
	if c.AuthToken == "" {
		errs = append(errs, errors.New("twilio: AuthToken is empty"))
	}
	// twilio-go refuses credentials with other characters at every call;
	// say so at start-up instead.
	if !alphanumeric(c.AccountSID) || !alphanumeric(c.AuthToken) {
		errs = append(errs, errors.New("twilio: AccountSID and AuthToken must be letters and digits only"))
	}
	if c.SMSFrom == "" && c.WhatsAppFrom == "" {
		errs = append(errs, errors.New("twilio: neither SMSFrom nor WhatsAppFrom is set"))
	}
	for _, n := range [...]struct{ name, value string }{{"SMSFrom", c.SMSFrom}, {"WhatsAppFrom", c.WhatsAppFrom}} {
		if n.value != "" && !isE164(n.value) {
			errs = append(errs, fmt.Errorf("twilio: %s %q is not an E.164 number (+31…)", n.name, n.value))
		}
	}
	if _, err := c.apiBase(); err != nil {
		errs = append(errs, err)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || u.Scheme == "" || u.Host == "" {
			errs = append(errs, fmt.Errorf("twilio: PublicURL %q is not an absolute URL", c.PublicURL))
		}
	}
	return errors.Join(errs...)
}

func alphanumeric(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// isE164 reports whether s has the shape of an E.164 number: "+", a
// non-zero digit, at most 15 digits in all.
func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return strings.Trim(s[1:], "0123456789") == ""
}

// isTwilioHost reports whether host belongs to Twilio's API (api.twilio.com
// and its edge/region variants), whose URLs APIURL replaces.
func isTwilioHost(u *url.URL) bool {
	h := strings.ToLower(u.Hostname())
	return h == "twilio.com" || strings.HasSuffix(h, ".twilio.com")
}
