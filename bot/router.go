package bot

import (
	"context"
	"errors"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Router is the bot as the channels see it (a Sink): every inbound message
// goes through Conversations, which commits it with its replies in the
// outbox; then the Outbox is woken to deliver them.
type Router struct {
	Conversations *Conversations
	Outbox        *Outbox // may be nil (nothing to wake)
	Store         casestore.Store
	Metrics       *Metrics // may be nil
	// Spool keeps a message on the instance's disk when its commit fails
	// (bot/spool), to be replayed through Replay; nil: a failed commit is
	// an error and the provider must retry.
	Spool Receipts
	// Admit bounds the messages handled at once (ErrBusy beyond it); nil:
	// no bound.
	Admit *Admission
}

// Receipts is a durable receipt for messages the store could not take.
type Receipts interface {
	// Put keeps in durably; nil only once it is on disk.
	Put(ctx context.Context, in Inbound) error
	// Holds reports whether the conversation has messages waiting there.
	Holds(conversationKey string) bool
}

var _ Sink = (*Router)(nil)

// Receive handles one message. nil means committed (or a retry of a
// message committed before), or kept in the Spool to be committed later;
// the webhook may answer 2xx.
func (r *Router) Receive(ctx context.Context, in Inbound) error {
	release, err := r.Admit.enter(ctx)
	if err != nil {
		r.Metrics.refused(in.Channel)
		return err
	}
	defer release()
	if r.Spool == nil {
		return r.Replay(ctx, in)
	}
	if in.At.IsZero() {
		in.At = time.Now() // the dossier shows when it arrived, not when it was replayed
	}
	if !r.Spool.Holds(in.ConversationKey()) { // else it waits behind the spooled ones
		err := r.Replay(ctx, in)
		if err == nil {
			return nil
		}
		if r.Conversations != nil {
			r.Conversations.log().Warn("message not committed; spooling it", "channel", in.Channel, "err", err)
		}
	}
	// A fresh context: the provider hanging up must not cost the message.
	return r.Spool.Put(context.WithoutCancel(ctx), in)
}

// Replay handles one message through the conversation runtime, with no
// spool: what Receive does, and what the spool replays a message with.
func (r *Router) Replay(ctx context.Context, in Inbound) error {
	start := time.Now()
	turn, err := r.Conversations.Handle(ctx, in)
	if err != nil {
		return err
	}
	r.Metrics.received(in.Channel, time.Since(start), turn.Duplicate)
	if r.Outbox != nil && !turn.Duplicate {
		r.Outbox.Wake()
	}
	return nil
}

// DeliveryStatus applies a provider's report and, when it changes what we
// know (delivered, or failed after all), files it in the case's dossier.
// A report for a message we do not know is ignored.
func (r *Router) DeliveryStatus(ctx context.Context, s DeliveryStatus) error {
	status, ok := providerStatus[s.Status]
	if !ok || s.ProviderID == "" {
		return nil // queued, accepted, sending …: nothing we record
	}
	err := r.Store.InTx(ctx, func(tx casestore.Tx) error {
		m, moved, err := tx.SetDeliveryStatus(ctx, s.Channel, s.ProviderID, status, s.ErrorCode)
		if err != nil {
			return err
		}
		if !moved || m.CaseID == 0 {
			return nil // a repeated or late report: already filed
		}
		return tx.AppendDossier(ctx, &casestore.DossierEntry{
			CaseID: m.CaseID, Kind: casestore.EntryKind("delivery." + string(status)), Actor: casestore.ActorSystem,
			Channel: s.Channel, Body: EntryBody(map[string]any{"outbound_id": m.ID, "provider_id": s.ProviderID, "error_code": s.ErrorCode}),
		})
	})
	if errors.Is(err, casestore.ErrNotFound) {
		return nil
	}
	return err
}

// providerStatus maps the providers' words to the outbox's.
var providerStatus = map[string]casestore.OutboundStatus{
	"delivered":   casestore.OutboundDelivered,
	"read":        casestore.OutboundDelivered,
	"failed":      casestore.OutboundFailed,
	"undelivered": casestore.OutboundFailed,
}
