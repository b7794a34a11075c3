package telegram

import (
	"net/http"
	"time"
)

// Channel is the name this package gives its messages (bot.Inbound.Channel).
const Channel = "telegram"

// Defaults for the optional Config fields.
const (
	DefaultAPIURL         = "https://api.telegram.org"
	DefaultMaxMediaBytes  = 5 << 20
	DefaultPollTimeout    = 30 * time.Second
	DefaultPollBackoff    = time.Second
	DefaultRequestTimeout = 20 * time.Second
)

// maxPollBackoff caps the wait between failed polls: long enough not to
// hammer a Telegram outage, short enough that debtors are not kept waiting.
const maxPollBackoff = time.Minute

// Config is what the Telegram channel needs. Only Token is required for
// sending and polling; the webhook also needs WebhookSecret.
type Config struct {
	Token         string // the bot token from @BotFather
	WebhookSecret string // X-Telegram-Bot-Api-Secret-Token; 1–256 of A–Z a–z 0–9 _ -
	APIURL        string // default https://api.telegram.org; tests point it at telegramfake
	// MaxMediaBytes bounds a file fetched from Telegram; a larger one
	// reaches the bot as bot.Media with Size and no Data. Default 5 MiB.
	MaxMediaBytes int64
	// HTTPClient makes the API calls. Give it no Timeout shorter than
	// PollTimeout: every call already carries its own deadline (context).
	HTTPClient *http.Client

	PollTimeout    time.Duration    // getUpdates long-poll wait; default 30 s (whole seconds)
	PollBackoff    time.Duration    // first wait after a failed poll or commit; doubles to 1 min
	RequestTimeout time.Duration    // deadline of every other API call and download; default 20 s
	Now            func() time.Time // for messages without a date; default time.Now
}

func (cfg Config) withDefaults() Config {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.MaxMediaBytes <= 0 {
		cfg.MaxMediaBytes = DefaultMaxMediaBytes
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = DefaultPollTimeout
	}
	if cfg.PollBackoff <= 0 {
		cfg.PollBackoff = DefaultPollBackoff
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}
