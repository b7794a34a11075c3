package bot

import (
	"time"

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
	}
	reg.MustRegister(m.MessagesIn, m.MessagesOut, m.SendsFailed, m.Duplicates, m.DialogLatency, m.Refused)
	return m
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
