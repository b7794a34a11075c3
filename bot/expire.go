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
		at := now()
		n, err := st.ExpireHandoffs(ctx, at)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("expiring unanswered claims failed", "err", err)
		case n > 0:
			log.Info("unanswered claims returned to the queue", "handoffs", n)
			announceExpired(ctx, st, hot, at, log)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// expiredScan bounds the open chats announceExpired looks through.
const expiredScan = 1000

// announceExpired tells the consoles which chats ExpireHandoffs just
// returned: the open ones whose last log line is an expiry at at. When
// they cannot be told apart, one announcement without a chat makes every
// open page reload what it shows.
func announceExpired(ctx context.Context, st casestore.Store, hot hotstate.Store, at time.Time, log *slog.Logger) {
	if hot == nil {
		return
	}
	publish := func(a Activity) {
		b, _ := json.Marshal(a) // plain fields: cannot fail
		if err := hot.Publish(ctx, ConsoleTopic, b); err != nil {
			log.Warn("announcing an expired claim failed", "err", err)
		}
	}
	open, err := st.Queue(ctx, casestore.QueueFilter{IncludeClaimed: true, Limit: expiredScan})
	if err != nil {
		publish(Activity{Kind: ActivityExpired})
		return
	}
	for _, h := range open {
		if h.TimesExpired == 0 || h.Status != casestore.HandoffQueued {
			continue
		}
		events, err := st.HandoffLog(ctx, h.ID)
		if err != nil || len(events) == 0 {
			continue
		}
		last := events[len(events)-1]
		// The stores keep microseconds, not nanoseconds: compare with slack.
		if last.Action == casestore.ActionExpired && last.At.Sub(at).Abs() < time.Second {
			publish(Activity{Kind: ActivityExpired, Channel: h.Channel, Address: h.Address,
				CaseID: h.CaseID, HandoffID: h.ID, LapsedBy: last.CollectorID})
		}
	}
}
