package bot

import (
	"context"
	"errors"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// sentBefore handles a message claimed from a sender whose lease ran out
// mid-send: the provider may have accepted it before that sender died.
// A channel that can be asked (DeliveryChecker) is asked, and a message
// found there is marked sent, not sent again; true means it was (or that
// asking failed, and the message waits for a later attempt rather than
// risk a duplicate). Where the provider cannot be asked, the resend goes
// ahead and a delivery.uncertain entry tells the dossier's reader the
// debtor may have it twice.
func (o *Outbox) sentBefore(ctx context.Context, m *casestore.OutboundMessage, sender Sender, out Outgoing) bool {
	checker, ok := sender.(DeliveryChecker)
	if !ok {
		o.fileUncertain(ctx, m)
		return false
	}
	known, err := o.knownProviderIDs(ctx, m)
	if err == nil {
		// Clocks differ: look a minute before the message was queued.
		var id string
		id, err = checker.FindSent(ctx, out, m.CreatedAt.Add(-time.Minute), known)
		if err == nil && id != "" {
			o.Log.Info("outbox: the provider already had a message whose sender died; marked sent, not resent",
				"outbound", m.ID, "channel", m.Channel)
			o.Metrics.sent(m.Channel)
			if err := o.Store.MarkSent(ctx, m.ID, m.Attempts, id, o.Now()); err != nil {
				o.Log.Warn("outbox: found at the provider but could not mark sent", "outbound", m.ID, "err", err)
			}
			return true
		}
	}
	if err != nil {
		o.record(ctx, m, &SendError{Err: errors.Join(errors.New("asking the provider whether it was sent"), err), Temporary: true}, time.Time{}, "")
		return true
	}
	return false
}

// knownProviderIDs are the provider ids of the recipient's other recent
// messages: a message found at the provider under one of them is not m.
func (o *Outbox) knownProviderIDs(ctx context.Context, m *casestore.OutboundMessage) (func(string) bool, error) {
	recent, err := o.Store.OutboundFor(ctx, m.Channel, m.To, 200)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, r := range recent {
		if r.ID != m.ID && r.ProviderID != "" {
			ids[r.ProviderID] = true
		}
	}
	return func(id string) bool { return ids[id] }, nil
}

// fileUncertain says in the case's dossier that a reply goes out again
// after its sender died mid-send, so the debtor may receive it twice.
func (o *Outbox) fileUncertain(ctx context.Context, m *casestore.OutboundMessage) {
	o.Log.Warn("outbox: resending a message whose sender died mid-send; the debtor may get it twice",
		"outbound", m.ID, "channel", m.Channel)
	if m.CaseID == 0 {
		return
	}
	err := o.Store.AppendDossier(ctx, &casestore.DossierEntry{
		CaseID: m.CaseID, Kind: EntryDeliveryUncertain, Actor: casestore.ActorSystem, Channel: m.Channel,
		Body: EntryBody(map[string]any{"outbound_id": m.ID, "attempt": m.Attempts,
			"reason": "sent again after the sender stopped before recording the first send; the provider cannot be asked"}),
	})
	if err != nil {
		o.Log.Warn("outbox: filing delivery.uncertain failed", "outbound", m.ID, "err", err)
	}
}

// EntryDeliveryUncertain marks a reply sent again after a crash on a
// channel whose provider cannot say whether the first send went out.
const EntryDeliveryUncertain casestore.EntryKind = "delivery.uncertain"
