package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// guardBotReply runs send unless m is a bot reply whose conversation a
// collector has claimed: after a claim commits the bot says nothing more
// in that chat. The turn reads the handoff under a share lock
// (stillTheBots), so no bot reply is committed after the claim; a reply
// committed just before it may still be in the outbox, and this check,
// the last step before the provider call, keeps it from going out. It is
// marked failed ("withheld") with a delivery.withheld entry in the
// dossier, so the collector sees in the console what the assistant had
// wanted to say and that the debtor did not get it.
//
// When the chat waits in the collectors' queue (the only state from which
// a claim can come), the check and the provider call run in one
// transaction that holds the handoff row under a share lock, so a claim
// waits until the send has returned: "sent before the claim" and
// "withheld" are the only outcomes, never a send that starts after the
// claim committed. A chat without an open handoff (nearly every send)
// takes no lock. A handoff requested and claimed within the moment
// between that unlocked read and the provider call is not covered: the
// reply was committed before the debtor was even queued.
//
// Only bot replies (BotReply) are withheld: a collector's own messages
// and the take-over notice are the collector's; reminders and payment
// notices are not conversation (they follow MayAutomate and quiet hours)
// and a collector stops them with the case's flags, not with a claim. A
// queued handoff withholds nothing: the bot still tells the debtor that a
// person will come.
//
// It returns true when it did not run send: withheld, or the handoff
// could not be read and the message waits for a later attempt.
func (o *Outbox) guardBotReply(ctx context.Context, m *casestore.OutboundMessage, send func()) (withheld bool) {
	if !m.BotReply {
		send()
		return false
	}
	h, err := o.Store.OpenHandoff(ctx, m.Channel, m.To)
	switch {
	case errors.Is(err, casestore.ErrNotFound):
		send()
		return false
	case err != nil:
		o.handoffUnreadable(ctx, m, err)
		return true
	case h.Status == casestore.HandoffClaimed:
		o.withhold(ctx, m, h)
		return true
	}
	// Queued: check again and send under the share lock.
	var claimed *casestore.Handoff
	sent := false
	err = o.Store.InTx(ctx, func(tx casestore.Tx) error {
		if sent {
			return nil // a re-run of the transaction after the send: never twice
		}
		h, err := tx.OpenHandoff(ctx, m.Channel, m.To)
		switch {
		case err == nil && h.Status == casestore.HandoffClaimed:
			claimed = h
			return nil
		case err != nil && !errors.Is(err, casestore.ErrNotFound):
			return err
		}
		sent = true
		send()
		return nil
	})
	switch {
	case sent:
		return false
	case claimed != nil:
		o.withhold(ctx, m, claimed)
	default:
		o.handoffUnreadable(ctx, m, err)
	}
	return true
}

func (o *Outbox) handoffUnreadable(ctx context.Context, m *casestore.OutboundMessage, err error) {
	o.record(ctx, m, &SendError{Err: errors.Join(errors.New("reading the conversation's handoff"), err), Temporary: true}, time.Time{}, "")
}

// withhold marks m failed as withheld and files delivery.withheld.
func (o *Outbox) withhold(ctx context.Context, m *casestore.OutboundMessage, h *casestore.Handoff) {
	o.Metrics.sendFailed(m.Channel, "withheld")
	o.Log.Info("outbox: bot reply withheld, a collector claimed the conversation", "outbound", m.ID, "channel", m.Channel, "handoff", h.ID)
	// The reply of a debtor not yet identified belongs to no case; the
	// handoff knows the case the collector is working on.
	caseID := cmp.Or(m.CaseID, h.CaseID)
	err := o.Store.InTx(ctx, func(tx casestore.Tx) error {
		if err := tx.MarkFailed(ctx, m.ID, m.Attempts, WithheldReason); err != nil {
			return err
		}
		if caseID == 0 {
			return nil
		}
		return tx.AppendDossier(ctx, &casestore.DossierEntry{
			CaseID: caseID, Kind: EntryDeliveryWithheld, Actor: casestore.ActorSystem, Channel: m.Channel,
			Body: EntryBody(map[string]any{"outbound_id": m.ID, "text": m.Text, "handoff_id": h.ID,
				"collector_id": h.CollectorID, "reason": WithheldReason}),
		})
	})
	o.mark(ctx, m, err)
	if err == nil && o.Hot != nil && caseID != 0 {
		// The collector's open page shows the new dossier line at once.
		b, _ := json.Marshal(Activity{Kind: ActivityDossier, Channel: m.Channel, Address: m.To, CaseID: caseID,
			HandoffID: h.ID, HeldBy: h.CollectorID})
		if err := o.Hot.Publish(ctx, ConsoleTopic, b); err != nil {
			o.Log.Warn("outbox: announcing a withheld reply to the console failed", "err", err)
		}
	}
}

// EntryDeliveryWithheld: a bot reply not sent because a collector claimed
// the conversation after it was committed.
const EntryDeliveryWithheld casestore.EntryKind = "delivery.withheld"

// WithheldReason is the outbox row's last error for a withheld reply.
const WithheldReason = "withheld: a collector claimed the conversation"
