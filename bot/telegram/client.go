package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/incassobot/incassobot/bot"
)

// Client talks to the Telegram Bot API through go-telegram-bot-api. It is
// the channel's bot.Sender, polls for updates (Poll) and fetches the files
// debtors send. Safe for concurrent use.
type Client struct {
	api *tgbotapi.BotAPI
	cfg Config
}

var _ bot.Sender = (*Client)(nil)

// NewClient checks the token with getMe (go-telegram-bot-api does that on
// construction) and returns a client for the API at cfg.APIURL.
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token configured")
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	// The library formats its endpoint with Sprintf(endpoint, token, method):
	// a literal % in the URL must not be read as a verb.
	endpoint := strings.ReplaceAll(cfg.APIURL, "%", "%%") + "/bot%s/%s"
	c := &Client{cfg: cfg}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.RequestTimeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, endpoint, contextDoer{ctx, cfg.HTTPClient})
	if err != nil {
		return nil, c.describe("getMe", err)
	}
	api.Client = cfg.HTTPClient // every later call goes through with(ctx)
	c.api = api
	return c, nil
}

// Username is the bot's @username (without the @), as getMe reported it.
func (c *Client) Username() string { return c.api.Self.UserName }

// contextDoer binds one context to the library's HTTP calls:
// go-telegram-bot-api v5 builds its requests without a context, so this is
// how a call gets a deadline and stops when the caller is cancelled.
type contextDoer struct {
	ctx    context.Context
	client *http.Client
}

func (d contextDoer) Do(req *http.Request) (*http.Response, error) {
	return d.client.Do(req.WithContext(d.ctx))
}

// with returns a shallow copy of the library's BotAPI whose requests run
// under ctx. Copying is cheap (a handful of fields) and keeps concurrent
// calls from sharing one context.
func (c *Client) with(ctx context.Context) *tgbotapi.BotAPI {
	api := *c.api
	api.Client = contextDoer{ctx, c.cfg.HTTPClient}
	return &api
}

// webhookSecretChars is what Telegram accepts as secret_token.
var webhookSecretChars = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// SetWebhook tells Telegram to POST updates to url with secret in the
// X-Telegram-Bot-Api-Secret-Token header, and only message updates: the
// bot does nothing with edits, channel posts or callbacks.
//
// go-telegram-bot-api v5.5.1's WebhookConfig has no secret_token field, so
// the request is made with MakeRequest and explicit parameters.
func (c *Client) SetWebhook(url, secret string) error {
	if !strings.HasPrefix(url, "https://") {
		return fmt.Errorf("telegram: webhook URL %q: Telegram only calls https URLs", url)
	}
	if !webhookSecretChars.MatchString(secret) {
		return errors.New("telegram: webhook secret must be 1–256 characters A–Z, a–z, 0–9, _ or -")
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.RequestTimeout)
	defer cancel()
	params := tgbotapi.Params{"url": url, "secret_token": secret, "allowed_updates": `["message"]`}
	if _, err := c.with(ctx).MakeRequest("setWebhook", params); err != nil {
		return c.describe("setWebhook", err)
	}
	return nil
}

// deleteWebhook removes the webhook so getUpdates works: Telegram refuses
// long polling (409) while a webhook is set. Pending updates are kept.
func (c *Client) deleteWebhook(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	if _, err := c.with(ctx).Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		return c.describe("deleteWebhook", err)
	}
	return nil
}

// apiError returns the Bot API's error in err, if it is one.
func apiError(err error) (*tgbotapi.Error, bool) {
	var tgErr *tgbotapi.Error
	if errors.As(err, &tgErr) {
		return tgErr, true
	}
	return nil, false
}

// maxRetryAfter caps Telegram's flood-control hint: a reply the outbox
// holds back longer than this on one answer's word is as good as lost.
const maxRetryAfter = time.Hour

// temporary reports whether trying the same call later can succeed: flood
// control (429), Telegram's own trouble (5xx), a network failure or an
// unreadable answer, and our configuration (401 revoked token, 404 wrong
// API URL) — an operator can fix those without the message being lost.
// Everything else 4xx is about this request (chat not found, blocked).
func temporary(err error) (retry bool, after time.Duration) {
	tgErr, ok := apiError(err)
	if !ok {
		return true, 0
	}
	if tgErr.RetryAfter > 0 {
		// Capped before multiplying: a huge count would wrap round to a
		// short or negative wait.
		after = time.Duration(min(tgErr.RetryAfter, int(maxRetryAfter/time.Second))) * time.Second
	}
	switch {
	case tgErr.Code == http.StatusTooManyRequests, tgErr.Code >= 500, tgErr.Code == 0:
		return true, after
	case tgErr.Code == http.StatusUnauthorized, tgErr.Code == http.StatusNotFound:
		return true, after
	}
	return false, after
}

// describe names a failed call for logs and errors without anything a
// debtor wrote and without the bot token: the library's network errors are
// *url.Error values whose URL is .../bot<token>/<method>, so the URL is
// dropped and any remaining copy of the token is masked.
func (c *Client) describe(method string, err error) error {
	if tgErr, ok := apiError(err); ok {
		return fmt.Errorf("telegram: %s: %d %w", method, tgErr.Code, tgErr)
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	msg := fmt.Sprintf("telegram: %s: %v", method, err)
	return &redactedError{msg: strings.ReplaceAll(msg, c.cfg.Token, "<token>"), err: err}
}

// redactedError is an error whose message has been cleaned of secrets.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
