package bot

import (
	"context"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus series. A nil *Metrics records nothing,
// so tests and the terminal chat need none.
type Metrics struct {
	MessagesIn    *prometheus.CounterVec   // by channel
	MessagesOut   *prometheus.CounterVec   // by channel: accepted by the provider
	SendsFailed   *prometheus.CounterVec   // by channel and outcome (retry, given_up, withheld)
	Duplicates    *prometheus.CounterVec   // provider retries deduplicated, by channel
	DialogLatency *prometheus.HistogramVec // receive to commit, by channel
	Refused       *prometheus.CounterVec   // messages refused as busy (503), by channel
	ClaimLatency  prometheus.Histogram     // one outbox claim statement
	MarkBatch     prometheus.Histogram     // sent marks recorded per commit
}

// NewMetrics registers the series on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		MessagesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "incassobot_messages_in_total", Help: "Inbound debtor messages committed, by channel."}, []string{"channel"}),
		MessagesOut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "incassobot_messages_out_total", Help: "Outbound messages accepted by the provider, by channel."}, []string{"channel"}),
		SendsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "incassobot_sends_failed_total", Help: "Failed send attempts, by channel and outcome (retry, given_up, or withheld: a bot reply not sent because a collector claimed the chat)."}, []string{"channel", "outcome"}),
		Duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "incassobot_duplicates_total", Help: "Provider retries recognised and not handled again, by channel."}, []string{"channel"}),
		DialogLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "incassobot_dialog_seconds",
			Help:    "Time from receiving a message to committing it with its replies, by channel.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"channel"}),
		Refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "incassobot_messages_refused_total", Help: "Inbound messages refused with 503 because the instance had as many in flight as it admits (MAX_IN_FLIGHT), by channel."}, []string{"channel"}),
		ClaimLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "incassobot_outbox_claim_seconds",
			Help:    "Time one outbox claim (a batch of due messages leased to this instance) took in the store.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		MarkBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "incassobot_outbox_mark_batch_size",
			Help:    "Provider acceptances recorded in one commit by the outbox.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128},
		}),
	}
	reg.MustRegister(m.MessagesIn, m.MessagesOut, m.SendsFailed, m.Duplicates, m.DialogLatency, m.Refused, m.ClaimLatency, m.MarkBatch)
	return m
}

// OutboxGauges are /metrics gauges of how far behind the outbox is, read
// from st at each scrape (casestore.Tx.OutboxBacklog: two index reads):
// incassobot_outbox_oldest_age_seconds, since the oldest message not yet
// handed to a provider was queued (held ones included), and
// incassobot_outbox_claim_lag_seconds, since the earliest message a sender
// could claim now fell due: above a second or two, the senders do not keep
// up. -1 when the store cannot be read.
func OutboxGauges(st casestore.Store, now func() time.Time) []prometheus.Collector {
	read := func(pick func(b casestore.OutboxBacklog) time.Time) func() float64 {
		return func() float64 {
			c, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			t := now()
			b, err := st.OutboxBacklog(c, t)
			if err != nil {
				return -1
			}
			if at := pick(b); !at.IsZero() {
				return max(t.Sub(at).Seconds(), 0)
			}
			return 0
		}
	}
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "incassobot_outbox_oldest_age_seconds",
			Help: "Age of the oldest outbox message not yet handed to a provider (held ones too); 0 when none."},
			read(func(b casestore.OutboxBacklog) time.Time { return b.OldestQueued })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "incassobot_outbox_claim_lag_seconds",
			Help: "How long the earliest claimable outbox message has been due; 0 when none waits."},
			read(func(b casestore.OutboxBacklog) time.Time { return b.OldestDue })),
	}
}

func (m *Metrics) claimed(took time.Duration) {
	if m != nil {
		m.ClaimLatency.Observe(took.Seconds())
	}
}

func (m *Metrics) markBatch(n int) {
	if m != nil {
		m.MarkBatch.Observe(float64(n))
	}
}

func (m *Metrics) received(channel string, took time.Duration, duplicate bool) {
	if m == nil {
		return
	}
	if duplicate {
		m.Duplicates.WithLabelValues(channel).Inc()
		return
	}
	m.MessagesIn.WithLabelValues(channel).Inc()
	m.DialogLatency.WithLabelValues(channel).Observe(took.Seconds())
}

func (m *Metrics) refused(channel string) {
	if m != nil {
		m.Refused.WithLabelValues(channel).Inc()
	}
}

func (m *Metrics) sent(channel string) {
	if m != nil {
		m.MessagesOut.WithLabelValues(channel).Inc()
	}
}

func (m *Metrics) sendFailed(channel, outcome string) {
	if m != nil {
		m.SendsFailed.WithLabelValues(channel, outcome).Inc()
	}
}
