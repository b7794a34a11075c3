package bot

import (
	"context"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// record files a send's failure or a hold: retry later with backoff, or
// give up and say why in the case's dossier.
func (o *Outbox) record(ctx context.Context, m *casestore.OutboundMessage, sendErr error, holdUntil time.Time, why string) {
	now := o.Now()
	switch {
	case why == "quiet hours":
		o.mark(ctx, m, o.Store.MarkRetry(ctx, m.ID, m.Attempts, why, holdUntil))
		return
	case why != "":
		o.giveUp(ctx, m, why)
		return
	}
	if IsRetryable(sendErr) && m.Attempts < o.MaxAttempts {
		next := now.Add(backoff(m.Attempts))
		if se, ok := sendErr.(*SendError); ok && se.RetryAfter > 0 {
			next = now.Add(se.RetryAfter)
		}
		o.Metrics.sendFailed(m.Channel, "retry")
		o.Log.Info("outbox: send failed, will retry", "outbound", m.ID, "channel", m.Channel, "attempt", m.Attempts, "err", sendErr)
		o.mark(ctx, m, o.Store.MarkRetry(ctx, m.ID, m.Attempts, sendErr.Error(), next))
		return
	}
	o.giveUp(ctx, m, sendErr.Error())
}

// giveUp marks the message failed and files why in the case's dossier, in
// one transaction, so a collector sees the debtor did not get it.
func (o *Outbox) giveUp(ctx context.Context, m *casestore.OutboundMessage, why string) {
	o.Metrics.sendFailed(m.Channel, "given_up")
	o.Log.Warn("outbox: giving up", "outbound", m.ID, "channel", m.Channel, "attempts", m.Attempts, "reason", why)
	err := o.Store.InTx(ctx, func(tx casestore.Tx) error {
		if err := tx.MarkFailed(ctx, m.ID, m.Attempts, why); err != nil {
			return err
		}
		if m.CaseID == 0 {
			return nil
		}
		return tx.AppendDossier(ctx, &casestore.DossierEntry{
			CaseID: m.CaseID, Kind: "delivery.failed", Actor: casestore.ActorSystem, Channel: m.Channel,
			Body: EntryBody(map[string]any{"outbound_id": m.ID, "attempts": m.Attempts, "reason": why}),
		})
	})
	o.mark(ctx, m, err)
}

func (o *Outbox) mark(_ context.Context, m *casestore.OutboundMessage, err error) {
	if err != nil {
		o.Log.Warn("outbox: recording the outcome failed; the lease will run out and it is tried again", "outbound", m.ID, "err", err)
	}
}

// backoff after the nth attempt: 1s, 2s, 4s … capped at 5 minutes.
func backoff(attempt int) time.Duration {
	d := time.Second << min(attempt-1, 9)
	return min(d, 5*time.Minute)
}
