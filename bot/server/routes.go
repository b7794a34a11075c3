package server

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/casestore"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Deps is everything the HTTP surface needs. A nil channel is off.
type Deps struct {
	Store    casestore.Store
	Hot      hotstate.Store
	Sink     bot.Sink
	Gatherer prometheus.Gatherer
	Log      *slog.Logger
	// MetricsToken, when set, is the bearer token GET /metrics asks for.
	// Without it /metrics answers only requests from this host (loopback,
	// not forwarded by a proxy): the figures are the operator's, not the
	// world's. MetricsElsewhere leaves /metrics off this handler (it is
	// served on METRICS_ADDR).
	MetricsToken     string
	MetricsElsewhere bool
	TrustedProxies   clientip.Trusted

	Twilio *twilio.Config
	// Telegram's webhook is mounted only when TelegramWebhook is set (in
	// polling mode Telegram is reached without one).
	Telegram        *telegram.Client
	TelegramConfig  telegram.Config
	TelegramWebhook bool
	WebChat         http.Handler // serves /chat and below
	Console         http.Handler // serves /console and below: the collectors' console
	Portal          http.Handler // serves /portal and below: the creditors' pages
	API             http.Handler // serves /api/ and below: the creditors' JSON API and its contract
	// ReadyDetail adds lines to /readyz's answer (the spool's depth and
	// oldest age); nil: none.
	ReadyDetail   func() string
	StripeWebhook http.Handler // POST /webhooks/stripe; nil: Stripe is off
	PayLinks      http.Handler // GET /pay/{ref}: the agency's pay links to an online checkout; nil: off
	// EmailWebhook is POST /webhooks/email: the mail provider's inbound
	// route (bot/email); nil: inbound e-mail is off.
	EmailWebhook http.Handler
	// Documents serves GET /documenten/…: the debtor's signed links to the
	// specification and invoice copies (bot/debtordocs); nil: off.
	Documents http.Handler
}

// New returns the server's handler: every route the process answers.
func New(d Deps) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", index(d))
	mux.Handle("GET /healthz", healthz())
	mux.Handle("GET /readyz", readyz(d))
	if d.Gatherer != nil && !d.MetricsElsewhere {
		mux.Handle("GET /metrics", guardMetrics(d, Metrics(d.Gatherer)))
	}
	if d.Twilio != nil {
		mux.Handle("POST /webhooks/twilio", twilio.NewWebhook(*d.Twilio, d.Sink, d.Log))
		mux.Handle("POST /webhooks/twilio/status", twilio.NewStatusWebhook(*d.Twilio, d.Sink, d.Log))
	}
	if d.Telegram != nil && d.TelegramWebhook {
		mux.Handle("POST /webhooks/telegram", telegram.NewWebhook(d.TelegramConfig, d.Telegram, d.Sink, d.Log))
	}
	if d.StripeWebhook != nil {
		mux.Handle("POST /webhooks/stripe", d.StripeWebhook)
	}
	if d.PayLinks != nil {
		mux.Handle("GET /pay/", d.PayLinks)
	}
	if d.EmailWebhook != nil {
		mux.Handle("POST /webhooks/email", d.EmailWebhook)
	}
	if d.Documents != nil {
		mux.Handle("GET /documenten/", d.Documents)
	}
	if d.WebChat != nil {
		mux.Handle("/chat", d.WebChat)
		mux.Handle("/chat/", d.WebChat)
	}
	if d.Console != nil {
		mux.Handle("/console", d.Console)
		mux.Handle("/console/", d.Console)
	}
	if d.Portal != nil {
		mux.Handle("/portal", d.Portal)
		mux.Handle("/portal/", d.Portal)
	}
	if d.API != nil {
		mux.Handle("/api/", d.API)
	}
	return mux
}

func index(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		on := func(b bool) string {
			if b {
				return "on"
			}
			return "off (not configured)"
		}
		fmt.Fprintf(w, "incassobot is running.\n\nGET  /healthz  process is up\nGET  /readyz   store and hot state reachable\nGET  /metrics  Prometheus\nGET  /chat     web chat: %s\nGET  /console  collectors' console: %s\nGET  /portal   creditors' pages: %s\nGET  /api/v1  creditors' JSON API (bearer token; contract at /api/openapi.yaml): %s\nPOST /webhooks/twilio    SMS and WhatsApp: %s\nPOST /webhooks/telegram  Telegram webhook: %s\nPOST /webhooks/email     inbound e-mail: %s\n",
			on(d.WebChat != nil), on(d.Console != nil), on(d.Portal != nil), on(d.API != nil), on(d.Twilio != nil), on(d.Telegram != nil && d.TelegramWebhook), on(d.EmailWebhook != nil))
	})
}

func healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
}

// readyz answers 200 only when the system of record and the hot state both
// answer: a load balancer then sends no webhook to an instance that would
// have to refuse it.
func readyz(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		detail := ""
		// The spool's depth and age are the operator's: only for this
		// host or the bearer of the metrics token.
		if d.ReadyDetail != nil && (d.local(r) || d.MetricsToken != "" && d.bearer(r)) {
			detail = "\n" + d.ReadyDetail()
		}
		if err := d.Store.Ping(ctx); err != nil {
			d.Log.Warn("readiness: store unreachable", "err", err)
			http.Error(w, "store unreachable"+detail, http.StatusServiceUnavailable)
			return
		}
		if d.Hot != nil {
			if err := d.Hot.Ping(ctx); err != nil {
				d.Log.Warn("readiness: hot state unreachable", "err", err)
				http.Error(w, "hot state unreachable"+detail, http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, "ok"+detail)
	})
}

// Metrics is the Prometheus handler of g, for METRICS_ADDR as well.
func Metrics(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}

// bearer reports whether r carries MetricsToken (which must be set).
func (d Deps) bearer(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(d.MetricsToken)) == 1
}

// local reports whether r comes from this host and no proxy forwarded it:
// a loopback peer that is not a trusted proxy and sent no forwarding
// header. A request from a trusted proxy is never local, whatever its
// X-Forwarded-For says or leaves out (empty, unparseable, only trusted
// addresses: clientip.From then falls back to a trusted address): a
// sidecar proxy that sets no X-Forwarded-For must not make the world
// local.
func (d Deps) local(r *http.Request) bool {
	a, err := netip.ParseAddr(clientip.From(r, d.TrustedProxies))
	forwarded := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != ""
	return err == nil && a.IsLoopback() && !forwarded && !d.TrustedProxies.Contains(a)
}

// guardMetrics lets through the bearer of MetricsToken, or without a
// token a client on this host (local).
func guardMetrics(d Deps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.MetricsToken != "" {
			if !d.bearer(r) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics need the bearer token (METRICS_TOKEN)", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if !d.local(r) {
			http.Error(w, "metrics are served to this host only; set METRICS_TOKEN or METRICS_ADDR", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
