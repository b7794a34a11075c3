package loadgen

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Config is one load run.
type Config struct {
	Target    string // the server, e.g. http://127.0.0.1:8080
	PublicURL string // the server's PUBLIC_URL, which Twilio signatures cover; default Target
	Accounts  Accounts
	Debtors   []Debtor

	Rate     float64       // messages per second over all debtors; 0 = as fast as replies allow
	Duration time.Duration // no new message after this; 0 = until Messages
	Messages int           // at most this many messages; 0 = until Duration

	DuplicateShare float64       // share of messages whose webhook is delivered twice
	MaxAttempts    int           // webhook attempts before giving up (default 5)
	Backoff        time.Duration // first retry's wait, doubling (default 200ms)
	RequestTimeout time.Duration // one webhook call (default 15s, as Twilio)
	ReplyTimeout   time.Duration // a debtor waits this long for a reply (default 15s)
	ReplySettle    time.Duration // quiet time that ends a reply (default 30ms)

	Progress io.Writer       // a line every second; nil = none
	Store    casestore.Store // for the audit; nil = audit skipped
	Seed     uint64          // randomness (duplicates); 0 = from the clock
}

func (c *Config) defaults() error {
	c.Target = strings.TrimRight(c.Target, "/")
	if c.PublicURL == "" {
		c.PublicURL = c.Target
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	switch {
	case c.Target == "":
		return errors.New("loadgen: no target server")
	case len(c.Debtors) == 0:
		return errors.New("loadgen: no debtors")
	case c.Duration <= 0 && c.Messages <= 0:
		return errors.New("loadgen: give a duration or a number of messages")
	case c.DuplicateShare < 0 || c.DuplicateShare > 1:
		return errors.New("loadgen: the duplicate share is between 0 and 1")
	case c.Rate < 0:
		return errors.New("loadgen: the rate is not negative")
	}
	setDefault(&c.RequestTimeout, 15*time.Second)
	setDefault(&c.ReplyTimeout, 15*time.Second)
	setDefault(&c.ReplySettle, 30*time.Millisecond)
	setDefault(&c.Backoff, 200*time.Millisecond)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 5
	}
	if c.Seed == 0 {
		c.Seed = uint64(time.Now().UnixNano())
	}
	return nil
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

// runner is one run in progress.
type runner struct {
	cfg      Config
	prov     *Provider
	post     *poster
	stats    *Stats
	updateID atomic.Int64 // Telegram update ids, unique per run
	budget   atomic.Int64 // messages still to send when Messages > 0

	paceMu sync.Mutex
	next   time.Time // the next message's slot when Rate > 0
}

// Run sends the load, waits for the replies and, with a store, audits it.
// prov must be the provider the server sends its replies to.
func Run(ctx context.Context, cfg Config, prov *Provider) (*Report, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, prov: prov, stats: newStats()}
	r.post = &poster{client: &http.Client{Timeout: cfg.RequestTimeout, Transport: &http.Transport{
		MaxIdleConnsPerHost: len(cfg.Debtors) * 2}}, target: cfg.Target, maxAttempts: cfg.MaxAttempts, backoff: cfg.Backoff, stats: r.stats}
	// Update ids must never repeat across runs against one database, or
	// the bot would take them for retries: start from the clock.
	r.updateID.Store(time.Now().UnixMicro())
	r.budget.Store(int64(cfg.Messages))
	runCtx := ctx
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	start := time.Now()
	stopProgress := r.progress(start)
	var wg sync.WaitGroup
	for i, d := range cfg.Debtors {
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		wg.Add(1)
		go func() { defer wg.Done(); r.converse(runCtx, d, rng) }()
	}
	wg.Wait()
	elapsed := time.Since(start)
	stopProgress()
	rep := r.stats.report(elapsed)
	if cfg.Store == nil {
		rep.Audit = &Audit{Skipped: "no database given (--database-url): the store was not audited"}
		return rep, nil
	}
	a, err := audit(ctx, cfg.Store, prov, cfg.Debtors, r.stats, cfg.ReplyTimeout)
	if err != nil {
		return rep, fmt.Errorf("audit: %w", err)
	}
	rep.Audit = a
	return rep, nil
}

// take reserves the next message: false when the run is over (time up,
// or the message budget spent). With a rate, it waits for the message's slot.
func (r *runner) take(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	if r.cfg.Messages > 0 && r.budget.Add(-1) < 0 {
		return false
	}
	if r.cfg.Rate <= 0 {
		return true
	}
	r.paceMu.Lock()
	now := time.Now()
	if r.next.Before(now) {
		r.next = now
	}
	slot := r.next
	r.next = r.next.Add(time.Duration(float64(time.Second) / r.cfg.Rate))
	r.paceMu.Unlock()
	select {
	case <-time.After(time.Until(slot)):
		return true
	case <-ctx.Done():
		return false
	}
}

// progress prints a line every second until the returned func is called.
func (r *runner) progress(start time.Time) func() {
	if r.cfg.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		var last int64
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			acc := r.stats.accepted.Load()
			fmt.Fprintf(r.cfg.Progress, "loadgen %3.0fs: sent %d  ok %d  failed %d  no reply %d  dup %d  replies %d  %d msg/s  outbox %s\n",
				time.Since(start).Seconds(), r.stats.sent.Load(), acc, r.stats.failed.Load(), r.stats.noReply.Load(),
				r.stats.dupSent.Load(), r.stats.replies.Load(), acc-last, r.outboxDepth())
			last = acc
		}
	}()
	return func() { close(done); wg.Wait() }
}

// outboxDepth reads the server's incassobot_outbox_depth from /metrics.
func (r *runner) outboxDepth() string {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.cfg.Target+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "?"
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "incassobot_outbox_depth "); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				return strconv.Itoa(int(f))
			}
		}
	}
	return "?"
}
