package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
)

// ExpireClaims returns chats a collector claimed but left unanswered past
// the lease to the queue, every interval, until ctx ends. Every instance
// may run it: the store makes each expiry happen once (and logs it, so a
// supervisor sees which chats nobody answers). Each chat returned is
// announced on ConsoleTopic through hot (nil: not announced), so open
// queues and chat pages show it at once.
func ExpireClaims(ctx context.Context, st casestore.Store, hot hotstate.Store, now func() time.Time, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		expired, err := st.ExpireHandoffs(ctx, now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("expiring unanswered claims failed", "err", err)
		case len(expired) > 0:
			log.Info("unanswered claims returned to the queue", "handoffs", len(expired))
			announceExpired(ctx, hot, expired, log)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// announceExpired tells the consoles which chats ExpireHandoffs just
// returned to the queue, and whose claim lapsed.
func announceExpired(ctx context.Context, hot hotstate.Store, expired []casestore.ExpiredClaim, log *slog.Logger) {
	if hot == nil {
		return
	}
	for _, e := range expired {
		h := e.Handoff
		b, _ := json.Marshal(Activity{Kind: ActivityExpired, Channel: h.Channel, Address: h.Address,
			CaseID: h.CaseID, HandoffID: h.ID, LapsedBy: e.LapsedBy}) // plain fields: cannot fail
		if err := hot.Publish(ctx, ConsoleTopic, b); err != nil {
			log.Warn("announcing an expired claim failed", "err", err)
		}
	}
}
