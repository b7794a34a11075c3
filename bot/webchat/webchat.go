package webchat

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/internal/webpage"
)

// Channel is the bot.Inbound channel name of the web chat.
const Channel = "web"

// Defaults for Config.
const (
	DefaultMaxMessageBytes = 4 << 10
	DefaultHeartbeat       = 15 * time.Second
	DefaultMessagesPerMin  = 30
	// Per client address (see Config.TrustedProxies) and in total.
	DefaultClientMessagesPerMin = 120
	DefaultMessagesPerMinTotal  = 6000
	DefaultSessionsPerMin       = 20
	DefaultStreamsPerClient     = 8
	DefaultStreamsPerSession    = 3
	DefaultMaxStreams           = 2000
)

// Config says how the web chat behaves. The zero Config is usable.
type Config struct {
	// Secure marks the session cookie Secure: set it whenever the chat is
	// served over TLS (directly or behind a TLS-terminating proxy).
	Secure bool
	// MaxMessageBytes is the longest message a debtor may send, in bytes
	// of UTF-8; default 4 KiB.
	MaxMessageBytes int
	// History, when set, returns the earlier lines of a session's
	// conversation (oldest first). The events stream sends them first on
	// every (re)connect, so replies published while the browser was away
	// are not lost to the debtor: live delivery is best effort.
	History func(ctx context.Context, conversation string) ([]Line, error)
	// Verified reports whether the conversation has verified (the bot's
	// dialog state); the session's secret is then rotated. Nil: never.
	Verified func(ctx context.Context, conversation string) bool
	// SessionIdle and SessionMax bound a session (see session.go):
	// defaults 30 minutes without a request, 8 hours in all.
	SessionIdle, SessionMax time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client address the per-client limits count against.
	TrustedProxies clientip.Trusted
	// Heartbeat is how often an idle events stream gets a comment line,
	// so proxies do not cut it; default 15 s.
	Heartbeat time.Duration
	// MessagesPerMinute bounds what one session may send (spam, scripted
	// guessing); default 30. Negative: no limit.
	MessagesPerMinute int
	// ClientMessagesPerMinute bounds what one client address may send in
	// all its sessions (default 120), MessagesPerMinuteTotal what every
	// client together may send to all instances (default 6000), and
	// SessionsPerMinute how many new sessions one address may start
	// (default 20). Negative: no limit.
	ClientMessagesPerMinute, MessagesPerMinuteTotal, SessionsPerMinute int
	// StreamsPerClient, StreamsPerSession and MaxStreams bound the open
	// events streams of this instance, per client (default 8), per chat
	// session (default 3: a debtor with the chat open in a few tabs) and
	// in all (default 2000): each holds a connection and a goroutine.
	//
	// Every per-client limit counts a client by its clientip.Bucket: an
	// IPv4 address, or an IPv6 address's /64.
	StreamsPerClient, StreamsPerSession, MaxStreams int
	// Now is the clock for Inbound.At; time.Now when nil.
	Now func() time.Time
	// Agency is the collection agency's name, at the top of the page: a
	// debtor sees whom they talk to before giving any detail. Default
	// "incassobot".
	Agency string
}

// Line is one message of a session's conversation, for History.
type Line struct {
	From    string   `json:"from"` // "debtor" or "bot" (a collector's reply counts as "bot")
	Text    string   `json:"text"`
	Options []string `json:"options,omitempty"`
}

// WebChat serves the web chat and delivers the bot's replies to it.
type WebChat struct {
	cfg  Config
	sink bot.Sink
	hot  hotstate.Store
	log  *slog.Logger

	streams streamCount

	closing   chan struct{} // closed by Close: every events stream ends
	closeOnce sync.Once
}

var _ bot.Sender = (*WebChat)(nil)

// New returns the web chat. Messages go to sink; replies travel through
// hot's publish/subscribe so that any instance may send them.
func New(cfg Config, sink bot.Sink, hot hotstate.Store, log *slog.Logger) *WebChat {
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = DefaultHeartbeat
	}
	defaultTo(&cfg.MessagesPerMinute, DefaultMessagesPerMin)
	defaultTo(&cfg.ClientMessagesPerMinute, DefaultClientMessagesPerMin)
	defaultTo(&cfg.MessagesPerMinuteTotal, DefaultMessagesPerMinTotal)
	defaultTo(&cfg.SessionsPerMinute, DefaultSessionsPerMin)
	defaultTo(&cfg.StreamsPerClient, DefaultStreamsPerClient)
	defaultTo(&cfg.StreamsPerSession, DefaultStreamsPerSession)
	defaultTo(&cfg.MaxStreams, DefaultMaxStreams)
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = DefaultSessionIdle
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = DefaultSessionMax
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Agency == "" {
		cfg.Agency = "incassobot"
	}
	if log == nil {
		log = slog.Default()
	}
	return &WebChat{cfg: cfg, sink: sink, hot: hot, log: log, closing: make(chan struct{})}
}

func defaultTo(n *int, def int) {
	if *n == 0 {
		*n = def
	}
}

// Close ends every open events stream, so that http.Server.Shutdown (which
// waits for running handlers) need not wait for browsers to leave. Call it
// from Server.RegisterOnShutdown. The browsers reconnect to another
// instance by themselves.
func (wc *WebChat) Close() {
	wc.closeOnce.Do(func() { close(wc.closing) })
}

// Handler serves the whole web chat surface:
//
//	GET  /chat            the page (sets the session cookie)
//	GET  /chat/static/…   its script and style sheet
//	POST /chat/messages   a debtor's message (session cookie + CSRF header)
//	POST /chat/files      a photo or PDF as evidence (multipart; the same)
//	GET  /chat/events     the bot's replies as Server-Sent Events
func (wc *WebChat) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /chat", wc.page())
	mux.Handle("GET /chat/static/", wc.static())
	mux.Handle("POST /chat/messages", wc.messages())
	mux.Handle("POST /chat/files", wc.files())
	mux.Handle("GET /chat/events", wc.events())
	return webpage.Secure(security, mux)
}

// topic is the hot-state topic a conversation's replies are published on.
func topic(conversation string) string { return "web:" + conversation }

// security lets the browser run nothing but our own files: no inline
// script, no foreign host, no framing, no type sniffing, no referrer.
var security = webpage.Policy{
	CSP:      "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	Referrer: "no-referrer",
}
