package loadgen

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Stats are the run's counters and latency samples, safe for concurrent use.
type Stats struct {
	sent, accepted, failed, replies, noReply atomic.Int64
	dupSent, dupAccepted, retries            atomic.Int64

	mu        sync.Mutex
	webhook   []time.Duration // every accepted attempt
	reply     []time.Duration // first send of a message → its first reply at the fake
	errors    map[string]int
	acceptedM []acceptedMessage
}

// acceptedMessage is a webhook the server answered 2xx: the audit looks
// for each in the system of record.
type acceptedMessage struct {
	channel, from, providerID string
	duplicated                bool
}

func newStats() *Stats { return &Stats{errors: map[string]int{}} }

func (s *Stats) webhookDone(d time.Duration) {
	s.mu.Lock()
	s.webhook = append(s.webhook, d)
	s.mu.Unlock()
}

func (s *Stats) replied(d time.Duration) {
	s.replies.Add(1)
	s.mu.Lock()
	s.reply = append(s.reply, d)
	s.mu.Unlock()
}

func (s *Stats) fail(kind string) {
	s.mu.Lock()
	s.errors[kind]++
	s.mu.Unlock()
}

func (s *Stats) retried() { s.retries.Add(1) }

func (s *Stats) accept(w webhook, duplicated bool) {
	s.mu.Lock()
	s.acceptedM = append(s.acceptedM, acceptedMessage{channel: w.channel, from: w.from, providerID: w.providerID, duplicated: duplicated})
	s.mu.Unlock()
}

// Latencies summarises samples.
type Latencies struct {
	N                  int
	P50, P95, P99, Max time.Duration
}

func summarise(samples []time.Duration) Latencies {
	if len(samples) == 0 {
		return Latencies{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	return Latencies{N: len(s), P50: percentile(s, 0.50), P95: percentile(s, 0.95), P99: percentile(s, 0.99), Max: s[len(s)-1]}
}

// percentile is the nearest-rank percentile of sorted samples.
func percentile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func (l Latencies) String() string {
	if l.N == 0 {
		return "no samples"
	}
	return fmt.Sprintf("p50 %s  p95 %s  p99 %s  max %s  (n=%d)", ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max), l.N)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}

// Report is what a run measured and, when a store was given, what the
// audit found.
type Report struct {
	Elapsed        time.Duration
	Sent           int64 // messages (not counting retries and duplicates)
	Accepted       int64
	Failed         int64 // given up or refused
	Replies        int64
	NoReply        int64 // no reply within the reply timeout
	Retries        int64
	DuplicatesSent int64
	DuplicatesOK   int64
	MessagesPerSec float64
	Webhook, Reply Latencies
	Errors         map[string]int
	Audit          *Audit
}

func (s *Stats) report(elapsed time.Duration) *Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &Report{
		Elapsed: elapsed, Sent: s.sent.Load(), Accepted: s.accepted.Load(), Failed: s.failed.Load(),
		Replies: s.replies.Load(), NoReply: s.noReply.Load(), Retries: s.retries.Load(),
		DuplicatesSent: s.dupSent.Load(), DuplicatesOK: s.dupAccepted.Load(),
		Webhook: summarise(s.webhook), Reply: summarise(s.reply), Errors: map[string]int{},
	}
	for k, v := range s.errors {
		r.Errors[k] = v
	}
	if elapsed > 0 {
		r.MessagesPerSec = float64(r.Accepted) / elapsed.Seconds()
	}
	return r
}

// Write prints the report for a person.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "loadgen: %d messages in %s: %.1f accepted msg/s\n", r.Sent, r.Elapsed.Round(time.Millisecond), r.MessagesPerSec)
	fmt.Fprintf(w, "  accepted %d, failed %d, retried attempts %d\n", r.Accepted, r.Failed, r.Retries)
	fmt.Fprintf(w, "  duplicates sent %d (accepted %d)\n", r.DuplicatesSent, r.DuplicatesOK)
	fmt.Fprintf(w, "  replies received %d, messages without a reply in time %d\n", r.Replies, r.NoReply)
	fmt.Fprintf(w, "  webhook latency:       %s\n", r.Webhook)
	fmt.Fprintf(w, "  time to reply at fake: %s\n", r.Reply)
	if len(r.Errors) == 0 {
		fmt.Fprintln(w, "  errors: none")
	} else {
		fmt.Fprintln(w, "  errors by kind:")
		kinds := make([]string, 0, len(r.Errors))
		for k := range r.Errors {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			fmt.Fprintf(w, "    %-40s %d\n", k, r.Errors[k])
		}
	}
	if r.Audit != nil {
		r.Audit.Write(w)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
