package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/console"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/email"
	"github.com/incassobot/incassobot/bot/followup"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/portal"
	"github.com/incassobot/incassobot/bot/server"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/bot/webchat"
	"github.com/incassobot/incassobot/casestore"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// admissionQueue is how long a message that finds the instance full waits
// for a slot before it is refused: a burst of a few hundred milliseconds
// is absorbed, a sustained overload is not.
const admissionQueue = 250 * time.Millisecond

func init() {
	register(command{name: "serve", summary: "serve the bot: webhooks, web chat, health and metrics on ADDR", run: cmdServe})
}

// running is the bot of one process: what serve wires together.
type running struct {
	deps     server.Deps
	webchat  *webchat.WebChat
	outbox   *bot.Outbox
	telegram *telegram.Client
	poll     bool
	console  *console.Console
	router   *bot.Router
	reg      *prometheus.Registry
	// followups runs the follow-up jobs (nil when FOLLOWUP=off).
	followups *followup.Engine
}

// wireBot builds the router, the outbox sender and the channels from the
// configuration. It only wires: every part is its own package.
func wireBot(ctx context.Context, e *env, cfg config, st casestore.Store, hot hotstate.Store) (*running, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "incassobot_outbox_depth", Help: "Messages waiting in the outbox (pending or being sent).",
	}, func() float64 {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := st.OutboxDepth(c)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
	reg.MustRegister(bot.OutboxGauges(st, e.now)...)
	metrics := bot.NewMetrics(reg)
	ch := cfg.Channels
	senders := map[string]bot.Sender{}
	r := &running{}
	if ch.Twilio != nil {
		s, err := twilio.NewSender(*ch.Twilio)
		if err != nil {
			return nil, fmt.Errorf("Twilio: %w", err)
		}
		if ch.Twilio.SMSFrom != "" {
			senders["sms"] = s
		}
		if ch.Twilio.WhatsAppFrom != "" {
			senders["whatsapp"] = s
		}
		e.log.Info("channel on", "channel", "sms", "on", ch.Twilio.SMSFrom != "")
		e.log.Info("channel on", "channel", "whatsapp", "on", ch.Twilio.WhatsAppFrom != "")
	} else {
		e.log.Info("channels sms and whatsapp are off", "why", ch.TwilioOff)
	}
	if ch.Telegram != nil {
		c, err := telegram.NewClient(*ch.Telegram)
		if err != nil {
			return nil, fmt.Errorf("Telegram: %w", err)
		}
		senders["telegram"] = c
		r.telegram, r.poll = c, ch.TelegramPoll
		if !ch.TelegramPoll {
			if err := c.SetWebhook(ch.PublicURL+"/webhooks/telegram", ch.Telegram.WebhookSecret); err != nil {
				return nil, fmt.Errorf("Telegram: set webhook: %w", err)
			}
		}
		e.log.Info("channel on", "channel", "telegram", "mode", map[bool]string{true: "long polling", false: "webhook"}[ch.TelegramPoll])
	} else {
		e.log.Info("channel telegram is off", "why", ch.TelegramOff)
	}
	if ch.Email != nil {
		c, err := email.NewClient(*ch.Email)
		if err != nil {
			return nil, err
		}
		senders[email.Channel] = c
		e.log.Info("channel on", "channel", email.Channel, "smtp", fmt.Sprintf("%s:%d", ch.Email.Host, ch.Email.Port))
	} else {
		e.log.Info("channel email is off", "why", ch.EmailOff)
	}
	conv := &bot.Conversations{Store: st, Hot: hot, Now: e.now, Log: e.log, Deliver: true, Office: cfg.Office}
	conv.Agency = cfg.agency()
	r.outbox = &bot.Outbox{Store: st, Hot: hot, Senders: senders, Now: e.now, Log: e.log, Metrics: metrics,
		RatePerSec: ch.RatePerSec, QuietFrom: ch.QuietFrom, QuietTo: ch.QuietTo, Lease: ch.OutboxLease}
	admit := bot.NewAdmission(ch.MaxInFlight, admissionQueue)
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "incassobot_messages_in_flight", Help: "Inbound messages this instance is handling now (at most MAX_IN_FLIGHT).",
	}, func() float64 { return float64(admit.InFlight()) }))
	router := &bot.Router{Conversations: conv, Outbox: r.outbox, Store: st, Metrics: metrics, Admit: admit}
	r.router, r.reg = router, reg
	r.webchat = webchat.New(webchat.Config{
		Secure:  strings.HasPrefix(ch.PublicURL, "https://"),
		History: webHistory(st),
		Now:     e.now,
		Agency:  cfg.AgencyName,
		Verified: func(ctx context.Context, conversation string) bool {
			st, ok := bot.DialogState(ctx, hot, webchat.Channel, conversation)
			return ok && st.Verified
		},
		TrustedProxies: cfg.TrustedProxies,
	}, router, hot, e.log)
	senders[webchat.Channel] = r.webchat
	var fu bot.FollowUps
	var fuJobs console.FollowUpJobs
	if !cfg.Followup.Off {
		eng, err := newFollowUps(e, cfg, st, func(c *casestore.Case) string {
			if conv.PayLink != nil { // set by wirePayments below when Stripe is on
				return conv.PayLink(c)
			}
			return ""
		}, r.outbox.Wake)
		if err != nil {
			return nil, err
		}
		r.followups, fu, fuJobs, conv.FollowUps = eng, eng, eng, eng
	}
	secure := strings.HasPrefix(ch.PublicURL, "https://")
	con := console.New(console.Deps{FollowUps: fu, FollowUpJobs: fuJobs, TrustedProxies: cfg.TrustedProxies, Store: st, Hot: hot, Log: e.log, Now: e.now, Wake: r.outbox.Wake, Lease: cfg.ClaimLease, Agency: cfg.AgencyName,
		Auth: &auth.Auth{Store: st, Hot: hot, Now: e.now, Secure: secure, Log: e.log}})
	r.console = con
	// The creditors' pages and API: the same accounts and sessions, their
	// own login page; AGENCY_NAME heads a printable export.
	creditorAuth := &auth.Auth{Store: st, Hot: hot, Now: e.now, Secure: secure, Log: e.log, LoginPage: portal.LoginPath}
	pages := portal.New(portal.Deps{TrustedProxies: cfg.TrustedProxies, Store: st, Auth: creditorAuth, Log: e.log, Now: e.now,
		Agency: portal.Agency{Name: cfg.AgencyName, Address: cfg.AgencyAddress, KvK: cfg.AgencyKvK, WKI: cfg.AgencyWKI}})
	creditorAPI := api.New(api.Deps{Store: st, Auth: creditorAuth, Log: e.log, Now: e.now})
	r.deps = server.Deps{Store: st, Hot: hot, Sink: router, Gatherer: reg, Log: e.log, WebChat: r.webchat.Handler(),
		MetricsToken: cfg.MetricsToken, MetricsElsewhere: cfg.MetricsAddr != "", TrustedProxies: cfg.TrustedProxies,
		Console: con.Handler(), Portal: pages.Handler(), API: creditorAPI.Handler(),
		Twilio: ch.Twilio, Telegram: r.telegram, TelegramWebhook: r.telegram != nil && !r.poll}
	if ch.Telegram != nil {
		r.deps.TelegramConfig = *ch.Telegram
	}
	wirePayments(e, cfg, st, r, conv)
	wireDocuments(e, cfg, st, r, conv)
	return r, nil
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "")
	if _, err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	cfg, st, err := e.openConfigured(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := seedIfEmpty(ctx, e, st); err != nil {
		return err
	}
	hot, err := openHot(ctx, cfg)
	if err != nil {
		return err
	}
	defer hot.Close()
	r, err := wireBot(ctx, e, cfg, st, hot)
	if err != nil {
		return err
	}
	if cfg.MetricsAddr != "" {
		stopMetrics, err := serveAside("METRICS_ADDR", cfg.MetricsAddr, "/metrics", server.Metrics(r.deps.Gatherer), e.log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	sp, err := openSpool(e, cfg, r)
	if err != nil {
		return err
	}
	defer sp.Close()
	if cfg.PprofAddr != "" {
		stopPprof, err := startPprof(cfg.PprofAddr, e.log)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           server.New(r.deps),
		ReadHeaderTimeout: 10 * time.Second,
		// A client gets a minute to send a request (a photo from a slow
		// phone included) and to take its answer; event streams lift the
		// write deadline for themselves (bot/internal/sse). An idle
		// keep-alive connection is closed after two minutes.
		ReadTimeout:  time.Minute,
		WriteTimeout: time.Minute,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(e.log.Handler(), slog.LevelWarn),
	}
	// Open event streams would hold Shutdown until browsers leave.
	srv.RegisterOnShutdown(r.webchat.Close)
	srv.RegisterOnShutdown(r.console.Close)
	fmt.Fprintf(e.stdout, "incassobot listening on http://%s\n", ln.Addr())
	e.log.Info("serving", "addr", ln.Addr().String(), "store", st.desc, "hot", hotDesc(cfg))

	// The follow-ups (River's workers) run until the server stops; a job
	// under way when it stops finishes, or is run again after its lease.
	if r.followups != nil {
		if err := r.followups.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("follow-ups: %w", err)
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			_ = r.followups.Stop(stopCtx)
		}()
	}
	// The outbox sender, the expiry of unanswered claims and the Telegram
	// poller stop with the server.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var workers sync.WaitGroup
	workers.Add(3)
	go func() { defer workers.Done(); r.outbox.Run(workCtx) }()
	go func() { defer workers.Done(); sp.Run(workCtx, r.router.Replay, st.Ping) }()
	go func() {
		defer workers.Done()
		bot.ExpireClaims(workCtx, st, hot, e.now, expiryCheckEvery(cfg.ClaimLease), e.log)
	}()
	if r.telegram != nil && r.poll {
		workers.Add(1)
		go func() {
			defer workers.Done()
			if err := r.telegram.Poll(workCtx, r.deps.Sink, e.log); err != nil && workCtx.Err() == nil {
				e.log.Error("telegram polling stopped", "err", err)
			}
		}()
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err = <-served:
		err = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		// Requests in flight get a bounded time to finish; the signal that
		// cancelled ctx must not cut them off mid-answer.
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err = srv.Shutdown(shutdownCtx); err != nil {
			err = fmt.Errorf("shutdown: %w", err)
		} else if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = fmt.Errorf("serve: %w", serr)
		}
	}
	stopWork()
	workers.Wait()
	if err == nil {
		e.log.Info("stopped")
	}
	return err
}

// webHistory reads a web chat session's conversation from the store, so a
// debtor who reloads the page sees it again.
func webHistory(st casestore.Store) func(ctx context.Context, conversation string) ([]webchat.Line, error) {
	return func(ctx context.Context, conversation string) ([]webchat.Line, error) {
		lines, err := bot.History(ctx, st, webchat.Channel, conversation, 100)
		if err != nil {
			return nil, err
		}
		out := make([]webchat.Line, len(lines))
		for i, l := range lines {
			out[i] = webchat.Line{From: "bot", Text: l.Text, Options: l.Options}
			if l.FromDebtor {
				out[i].From = "debtor"
			}
		}
		return out, nil
	}
}

func hotDesc(cfg config) string {
	if cfg.RedisURL == "" {
		return "in-process memory"
	}
	return "redis " + redactURL(cfg.RedisURL)
}

// expiryCheckEvery is how often serve returns lapsed claims to the queue:
// every 30 s, or more often for a short CLAIM_LEASE, so a chat waits at
// most about a tenth of its lease longer than configured.
func expiryCheckEvery(lease time.Duration) time.Duration {
	if lease <= 0 {
		return 30 * time.Second
	}
	return min(30*time.Second, max(time.Second/2, lease/10))
}
