package main

import (
	"fmt"
	"time"

	"github.com/incassobot/incassobot/bot/spool"
	"github.com/prometheus/client_golang/prometheus"
)

// openSpool opens SPOOL_DIR's spool and wires it: the router keeps there
// what the store cannot commit, /metrics and /readyz show its depth and
// oldest age. serve runs its replay (Spool.Run) with the other workers.
func openSpool(e *env, cfg config, r *running) (*spool.Spool, error) {
	sp, err := spool.Open(cfg.SpoolDir, e.log)
	if err != nil {
		return nil, err
	}
	r.router.Spool = sp
	oldestAge := func() float64 {
		if _, oldest := sp.Stats(); !oldest.IsZero() {
			return time.Since(oldest).Seconds()
		}
		return 0
	}
	r.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "incassobot_spool_depth",
			Help: "Messages kept in this instance's spool because the store could not commit them."},
			func() float64 { n, _ := sp.Stats(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "incassobot_spool_oldest_age_seconds",
			Help: "How long the oldest spooled message has waited; 0 when the spool is empty."}, oldestAge))
	r.deps.ReadyDetail = func() string {
		n, _ := sp.Stats()
		return fmt.Sprintf("spool: %d message(s), oldest %.0fs", n, oldestAge())
	}
	return sp, nil
}
