package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// ExpireClaims returns chats a collector claimed but left unanswered past
// the lease to the queue, every interval, until ctx ends. Every instance
// may run it: the store makes each expiry happen once (and logs it, so a
// supervisor sees which chats nobody answers).
func ExpireClaims(ctx context.Context, st casestore.Store, now func() time.Time, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := st.ExpireHandoffs(ctx, now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("expiring unanswered claims failed", "err", err)
		case n > 0:
			log.Info("unanswered claims returned to the queue", "handoffs", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
