package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot"
	twclient "github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

// Sender sends messages through Twilio's Messages API with twilio-go. It
// is safe for concurrent use.
type Sender struct {
	cfg Config
}

var (
	_ bot.Sender          = (*Sender)(nil)
	_ bot.DeliveryChecker = (*Sender)(nil)
)

// NewSender checks cfg and returns a Sender; every problem with cfg is
// reported at once.
func NewSender(cfg Config) (*Sender, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Sender{cfg: cfg}, nil
}

// Send delivers m on "sms" or "whatsapp" and returns the MessageSid.
//
// A text longer than one message (3 SMS segments; 1600 characters on
// WhatsApp) goes out as several messages, cut at paragraphs, sentences or
// words, and Send returns the first one's SID. When a later part fails
// after the first went out, Send returns the first SID with an error that
// is not retryable: retrying the whole text would repeat what the debtor
// already has.
//
// With Template set on WhatsApp (outside the 24-hour window) and a
// template configured (the message type's own in WhatsAppTemplates, else
// WhatsAppTemplateSID), the approved template is sent with the text as
// its variable {{1}}, in one message.
func (s *Sender) Send(ctx context.Context, m bot.Outgoing) (string, error) {
	from, to, err := s.addresses(m)
	if err != nil {
		return "", permanent(err)
	}
	if strings.TrimSpace(m.Text) == "" {
		return "", permanent(errors.New("twilio: message text is empty"))
	}
	if sid := s.templateSID(m); sid != "" {
		vars, _ := json.Marshal(map[string]string{"1": m.Text})
		p := s.params(from, to, m.ID).SetContentSid(sid).SetContentVariables(string(vars))
		return s.create(ctx, p)
	}
	parts := SplitSMS(m.Text)
	if m.Channel == ChannelWhatsApp {
		parts = splitWhatsApp(m.Text)
	}
	var first string
	for i, part := range parts {
		sid, err := s.create(ctx, s.params(from, to, m.ID).SetBody(part))
		switch {
		case err != nil && i == 0:
			return "", err
		case err != nil:
			return first, permanent(fmt.Errorf("twilio: sent %d of %d parts, then: %w", i, len(parts), err))
		case i == 0:
			first = sid
		}
	}
	return first, nil
}

// addresses returns Twilio's From and To for m.
func (s *Sender) addresses(m bot.Outgoing) (from, to string, err error) {
	to = strings.TrimPrefix(m.To, whatsAppPrefix)
	if !isE164(to) {
		return "", "", fmt.Errorf("twilio: recipient %q is not an E.164 number", m.To)
	}
	switch m.Channel {
	case ChannelSMS:
		if s.cfg.SMSFrom == "" {
			return "", "", errors.New("twilio: no SMSFrom number configured")
		}
		return s.cfg.SMSFrom, to, nil
	case ChannelWhatsApp:
		if s.cfg.WhatsAppFrom == "" {
			return "", "", errors.New("twilio: no WhatsAppFrom number configured")
		}
		return whatsAppPrefix + s.cfg.WhatsAppFrom, whatsAppPrefix + to, nil
	}
	return "", "", fmt.Errorf("twilio: channel %q is not sms or whatsapp", m.Channel)
}

// params are a message's From and To, and its status callback URL, which
// carries the outbox id (outbound) so that Twilio keeps our reference
// with the message.
func (s *Sender) params(from, to string, outbound int64) *api.CreateMessageParams {
	p := &api.CreateMessageParams{}
	p.SetFrom(from).SetTo(to)
	if s.cfg.PublicURL != "" {
		cb := strings.TrimRight(s.cfg.PublicURL, "/") + "/webhooks/twilio/status"
		if outbound != 0 {
			cb += "?outbound=" + strconv.FormatInt(outbound, 10)
		}
		p.SetStatusCallback(cb)
	}
	return p
}

// FindSent asks Twilio's Messages API for the messages from the bot's
// number to m.To sent after since, and returns the SID of the one that is
// m: the same text (its first part, for a text sent in parts), under a
// SID the outbox does not know for another message. A template message
// (its text is Twilio's rendering) is never found: it is sent again.
func (s *Sender) FindSent(ctx context.Context, m bot.Outgoing, since time.Time, known func(string) bool) (string, error) {
	from, to, err := s.addresses(m)
	if err != nil || s.templateSID(m) != "" {
		return "", nil
	}
	first := SplitSMS(m.Text)
	if m.Channel == ChannelWhatsApp {
		first = splitWhatsApp(m.Text)
	}
	if len(first) == 0 {
		return "", nil
	}
	svc, rec := s.service(ctx)
	p := &api.ListMessageParams{}
	p.SetFrom(from).SetTo(to).SetDateSentAfter(since.UTC()).SetPageSize(100).SetLimit(500)
	msgs, err := svc.ListMessage(p)
	if err != nil {
		return "", classify(ctx, err, rec)
	}
	for _, got := range msgs {
		if got.Sid != nil && got.Body != nil && *got.Body == first[0] && !known(*got.Sid) {
			return *got.Sid, nil
		}
	}
	return "", nil
}

// create sends one message. twilio-go builds its requests without a
// context and keeps no response headers on errors, so every call gets its
// own client whose transport attaches ctx, points Twilio's host at APIURL
// and notes the status and Retry-After of the response.
func (s *Sender) create(ctx context.Context, p *api.CreateMessageParams) (string, error) {
	svc, rec := s.service(ctx)
	msg, err := svc.CreateMessage(p)
	if err != nil {
		return "", classify(ctx, err, rec)
	}
	if msg.Sid == nil || *msg.Sid == "" {
		// Twilio accepted it; sending again would send it twice.
		return "", permanent(errors.New("twilio: message accepted without a SID"))
	}
	return *msg.Sid, nil
}

// service is the API for one call (see create), with the transport that
// records its response.
func (s *Sender) service(ctx context.Context) (*api.ApiService, *callTransport) {
	apiURL, _ := s.cfg.apiBase() // validated in NewSender
	base := s.cfg.baseClient()
	rec := &callTransport{ctx: ctx, base: s.cfg.transport(), api: apiURL}
	c := &twclient.Client{
		Credentials: twclient.NewCredentials(s.cfg.AccountSID, s.cfg.AuthToken),
		HTTPClient: &http.Client{
			Transport: rec,
			// Twilio's own default: a redirect is an answer, not a hop.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Timeout:       base.Timeout,
		},
	}
	c.SetAccountSid(s.cfg.AccountSID)
	return api.NewApiServiceWithClient(c), rec
}

// classify turns a failed call into a bot.SendError: Twilio's 429 and 5xx,
// network errors and timeouts may pass; other refusals (21211 invalid
// number, 21610 unsubscribed recipient, 63016 outside the window) will not.
func classify(ctx context.Context, err error, rec *callTransport) error {
	var rest *twclient.TwilioRestError
	status := rec.status
	if errors.As(err, &rest) && rest.Status != 0 {
		status = rest.Status
	}
	switch {
	case ctx.Err() != nil:
		return &bot.SendError{Err: fmt.Errorf("twilio: %w", ctx.Err()), Temporary: true}
	case status == 0:
		// No response at all: the network or a timeout.
		return &bot.SendError{Err: fmt.Errorf("twilio: %w", err), Temporary: true}
	case status == http.StatusTooManyRequests || status >= 500:
		return &bot.SendError{Err: fmt.Errorf("twilio: %w", err), Temporary: true, RetryAfter: rec.retryAfter}
	case status >= 200 && status < 300:
		// Accepted, but the answer was unreadable: the message may be out.
		return permanent(fmt.Errorf("twilio: accepted, response unreadable: %w", err))
	}
	return permanent(fmt.Errorf("twilio: %w", err))
}

func permanent(err error) error { return &bot.SendError{Err: err, Temporary: false} }

// callTransport serves one API call: it attaches the caller's context,
// rewrites Twilio's host to APIURL and records the response's status and
// Retry-After. One call is one request, so no locking is needed; the
// fields are read after the call returned.
type callTransport struct {
	ctx  context.Context
	base http.RoundTripper
	api  *url.URL

	status     int
	retryAfter time.Duration
}

func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(t.ctx)
	if t.api != nil && isTwilioHost(out.URL) {
		rewrite(out, t.api)
	}
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	t.status = resp.StatusCode
	t.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return resp, nil
}

// maxRetryAfter caps the provider's hint: a reply the outbox holds back
// longer than this on one header's word is as good as lost to the debtor.
const maxRetryAfter = time.Hour

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date,
// capped at maxRetryAfter (a huge number of seconds would otherwise
// overflow into a negative or tiny duration).
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter)
	}
	return 0
}

// templateSID is the content SID m goes out as, "" when it goes as text:
// on WhatsApp outside the window, its type's own template, else the
// general one.
func (s *Sender) templateSID(m bot.Outgoing) string {
	if m.Channel != ChannelWhatsApp || !m.Template {
		return ""
	}
	if sid := s.cfg.WhatsAppTemplates[m.TemplateType]; sid != "" && m.TemplateType != "" {
		return sid
	}
	return s.cfg.WhatsAppTemplateSID
}
