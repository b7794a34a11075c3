package main

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/email"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/dialogs"
)

// channelConfig is the messaging part of the configuration. A channel
// whose credentials are absent is off; off is said at start-up, not an
// error, so the demo runs with nothing configured.
type channelConfig struct {
	PublicURL string // PUBLIC_URL: the base URL providers call and sign

	Twilio    *twilio.Config // nil: SMS and WhatsApp off
	TwilioOff string         // why, when off

	Telegram     *telegram.Config // nil: Telegram off
	TelegramOff  string
	TelegramPoll bool // long polling instead of a webhook (no public URL)

	Email    *email.Config // nil: e-mail off (SMTP_URL unset)
	EmailOff string

	QuietFrom, QuietTo int            // QUIET_HOURS "21-8": no automated messages then
	RatePerSec         map[string]int // OUTBOX_RATE_<CHANNEL>: sends per second, all instances
	// OutboxLease (OUTBOX_LEASE) is how long a sender's claim on a message
	// lasts: after a crash mid-send, the reply goes out once it ran out.
	// 0 is the outbox's default.
	OutboxLease time.Duration
	// MaxInFlight (MAX_IN_FLIGHT) bounds the inbound messages one instance
	// handles at once; beyond it a webhook gets 503 with Retry-After.
	MaxInFlight int
}

// defaultMaxInFlight admits enough messages to keep every database
// connection busy several times over, and few enough that an overload is
// refused at the door instead of growing memory.
const defaultMaxInFlight = 128

// loadChannels reads the channel variables; problems are returned all at
// once, like the rest of the configuration.
func loadChannels(getenv func(string) string) (channelConfig, []error) {
	var errs []error
	c := channelConfig{PublicURL: strings.TrimRight(strings.TrimSpace(getenv("PUBLIC_URL")), "/"), QuietFrom: 21, QuietTo: 8,
		RatePerSec: map[string]int{}, MaxInFlight: defaultMaxInFlight}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, errors.New("PUBLIC_URL: want the base URL providers reach, e.g. https://bot.example.nl"))
		}
	}
	c.Twilio, c.TwilioOff = twilioConfig(getenv, c.PublicURL)
	if t, err := parseTemplates(getenv("TWILIO_WHATSAPP_TEMPLATES")); err != nil {
		errs = append(errs, err)
	} else if c.Twilio != nil {
		c.Twilio.WhatsAppTemplates = t
	}
	c.Telegram, c.TelegramOff, c.TelegramPoll = telegramConfig(getenv, c.PublicURL, &errs)
	c.Email, c.EmailOff = emailConfig(getenv, &errs)
	if q := strings.TrimSpace(getenv("QUIET_HOURS")); q != "" {
		from, to, ok := strings.Cut(q, "-")
		f, err1 := strconv.Atoi(from)
		t, err2 := strconv.Atoi(to)
		if !ok || err1 != nil || err2 != nil || f < 0 || f > 23 || t < 0 || t > 23 {
			errs = append(errs, fmt.Errorf("QUIET_HOURS %q: want FROM-TO in whole hours, e.g. 21-8", q))
		} else {
			c.QuietFrom, c.QuietTo = f, t
		}
	}
	if v := strings.TrimSpace(getenv("OUTBOX_LEASE")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			errs = append(errs, fmt.Errorf("OUTBOX_LEASE %q: want a duration of at least 1s, e.g. 30s", v))
		} else {
			c.OutboxLease = d
		}
	}
	if v := strings.TrimSpace(getenv("MAX_IN_FLIGHT")); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("MAX_IN_FLIGHT %q: want a whole number of messages, at least 1", v))
		} else {
			c.MaxInFlight = n
		}
	}
	for _, ch := range []string{"sms", "whatsapp", "telegram", "web", "email"} {
		name := "OUTBOX_RATE_" + strings.ToUpper(ch)
		if v := strings.TrimSpace(getenv(name)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				errs = append(errs, fmt.Errorf("%s %q: want a whole number of messages per second", name, v))
				continue
			}
			c.RatePerSec[ch] = n
		}
	}
	return c, errs
}

func twilioConfig(getenv func(string) string, publicURL string) (*twilio.Config, string) {
	cfg := &twilio.Config{
		AccountSID:          strings.TrimSpace(getenv("TWILIO_ACCOUNT_SID")),
		AuthToken:           strings.TrimSpace(getenv("TWILIO_AUTH_TOKEN")),
		SMSFrom:             strings.TrimSpace(getenv("TWILIO_SMS_FROM")),
		WhatsAppFrom:        strings.TrimPrefix(strings.TrimSpace(getenv("TWILIO_WHATSAPP_FROM")), "whatsapp:"),
		WhatsAppTemplateSID: strings.TrimSpace(getenv("TWILIO_WHATSAPP_TEMPLATE_SID")),
		APIURL:              strings.TrimSpace(getenv("TWILIO_API_URL")),
		PublicURL:           publicURL,
		MaxMediaBytes:       dialogs.MaxEvidenceSize,
	}
	switch {
	case cfg.AccountSID == "" || cfg.AuthToken == "":
		return nil, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set"
	case cfg.SMSFrom == "" && cfg.WhatsAppFrom == "":
		return nil, "neither TWILIO_SMS_FROM nor TWILIO_WHATSAPP_FROM is set"
	case publicURL == "":
		return nil, "PUBLIC_URL is not set, so Twilio's webhook signatures cannot be checked"
	}
	return cfg, ""
}

func telegramConfig(getenv func(string) string, publicURL string, errs *[]error) (*telegram.Config, string, bool) {
	cfg := &telegram.Config{
		Token:         strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")),
		WebhookSecret: strings.TrimSpace(getenv("TELEGRAM_WEBHOOK_SECRET")),
		APIURL:        strings.TrimSpace(getenv("TELEGRAM_API_URL")),
		MaxMediaBytes: dialogs.MaxEvidenceSize,
	}
	if cfg.Token == "" {
		return nil, "TELEGRAM_BOT_TOKEN is not set", false
	}
	mode := strings.TrimSpace(getenv("TELEGRAM_MODE"))
	switch mode {
	case "poll":
		return cfg, "", true
	case "", "webhook":
		if publicURL == "" || cfg.WebhookSecret == "" {
			if mode == "webhook" {
				*errs = append(*errs, errors.New("TELEGRAM_MODE=webhook needs PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET"))
			}
			return cfg, "", true // no public URL: long polling, fine on a laptop
		}
		return cfg, "", false
	default:
		*errs = append(*errs, fmt.Errorf("TELEGRAM_MODE %q: want webhook or poll", mode))
		return nil, "TELEGRAM_MODE is invalid", false
	}
}

// emailConfig reads SMTP_URL and EMAIL_FROM: e-mail is on only with SMTP_URL.
func emailConfig(getenv func(string) string, errs *[]error) (*email.Config, string) {
	raw := strings.TrimSpace(getenv("SMTP_URL"))
	if raw == "" {
		return nil, "SMTP_URL is not set"
	}
	cfg, err := email.ParseURL(raw, strings.TrimSpace(getenv("EMAIL_FROM")))
	if err != nil {
		*errs = append(*errs, err)
		return nil, err.Error()
	}
	return &cfg, ""
}

// parseTemplates reads TWILIO_WHATSAPP_TEMPLATES: "type=HX…,type=HX…",
// a follow-up message type (docs/FOLLOWUP.md) to its approved template's
// content SID.
func parseTemplates(v string) (map[string]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	out := map[string]string{}
	for _, pair := range strings.Split(v, ",") {
		typ, sid, ok := strings.Cut(strings.TrimSpace(pair), "=")
		typ, sid = strings.TrimSpace(typ), strings.TrimSpace(sid)
		if !ok || typ == "" || !strings.HasPrefix(sid, "HX") {
			return nil, fmt.Errorf("TWILIO_WHATSAPP_TEMPLATES %q: want type=HX… pairs separated by commas", pair)
		}
		out[typ] = sid
	}
	return out, nil
}
