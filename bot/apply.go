package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// commit writes one inbound message and everything the dialog decided about
// it: the message, the dialog's entries, its effects and the replies. It runs
// inside one transaction, so either all of it is in the dossier or none.
func (cv *Conversations) commit(ctx context.Context, tx casestore.Tx, in Inbound, view dialogs.View, steps []dialogs.Result, turn *Turn) error {
	// The store may run this function again after a serialization failure:
	// start from nothing each time.
	turn.Entries, turn.Effects = nil, nil
	final := steps[len(steps)-1].State
	cases := conversationCases(final, view)
	if err := recordInbound(ctx, tx, in, cases); err != nil {
		return err
	}
	// Entries wait in pending and go to the store together (writeTurn):
	// before an effect, which may file entries of its own, and at the end
	// with the replies for the outbox.
	var pending []*casestore.DossierEntry
	appendEntry := func(e casestore.DossierEntry) error {
		if e.CaseID == 0 {
			return nil // no case known yet: nothing to file it under
		}
		if e.Channel == "" {
			e.Channel = in.Channel
		}
		if e.Actor == "" {
			e.Actor = casestore.ActorBot
		}
		pending = append(pending, &e)
		return nil
	}
	flush := func(out []*casestore.OutboundMessage) error {
		err := writeTurn(ctx, tx, pending, out)
		for _, e := range pending {
			if e.ID != 0 {
				turn.Entries = append(turn.Entries, *e)
			}
		}
		pending = nil
		return err
	}

	if final.Verified {
		// Files sent before verification are not kept (the dialog says so).
		if err := storeEvidence(ctx, tx, in, final.CaseID); err != nil {
			return err
		}
	}
	for _, id := range cases {
		if err := appendEntry(messageIn(id, in)); err != nil {
			return err
		}
	}
	for _, s := range steps {
		for _, e := range s.Entries {
			if err := appendEntry(e); err != nil {
				return err
			}
		}
		for _, ef := range s.Effects {
			if err := flush(nil); err != nil {
				return err
			}
			if err := applyEffect(ctx, tx, ef, in, appendEntry, cv.FollowUps); err != nil {
				return fmt.Errorf("bot: effect %s: %w", ef.Kind(), err)
			}
			turn.Effects = append(turn.Effects, ef.Kind())
		}
	}
	for _, id := range cases {
		for _, r := range turn.Replies {
			if err := appendEntry(messageOut(id, in.Channel, r)); err != nil {
				return err
			}
		}
	}
	var out []*casestore.OutboundMessage
	if cv.Deliver {
		out = outboundReplies(in, cases, turn.Replies)
	}
	return flush(out)
}

// batchTx is a transaction that writes dossier entries and outbox
// messages in one round trip (casestore/postgres); see writeTurn.
type batchTx interface {
	AppendBatch(ctx context.Context, entries []*casestore.DossierEntry, out []*casestore.OutboundMessage) error
}

// writeTurn appends entries to the dossier in order, then puts out in the
// outbox in order, so the replies leave only once the transaction
// commits. One round trip where the store batches: a turn writes three to
// ten rows, and a round trip each was most of a message's time
// (docs/BENCHMARKS.md).
func writeTurn(ctx context.Context, tx casestore.Tx, entries []*casestore.DossierEntry, out []*casestore.OutboundMessage) error {
	if len(entries) == 0 && len(out) == 0 {
		return nil
	}
	if b, ok := tx.(batchTx); ok {
		if err := b.AppendBatch(ctx, entries, out); err != nil {
			return fmt.Errorf("bot: dossier and outbox: %w", err)
		}
		return nil
	}
	for _, e := range entries {
		if err := tx.AppendDossier(ctx, e); err != nil {
			return fmt.Errorf("bot: dossier %s: %w", e.Kind, err)
		}
	}
	for _, m := range out {
		if err := tx.EnqueueOutbound(ctx, m); err != nil {
			return fmt.Errorf("bot: outbox: %w", err)
		}
	}
	return nil
}

// errDuplicate aborts the transaction of a message already committed.
var errDuplicate = errors.New("bot: duplicate delivery")

// recordInbound files the message in the inbox, which also deduplicates:
// a provider retry (same channel and provider id) aborts the transaction.
func recordInbound(ctx context.Context, tx casestore.Tx, in Inbound, cases []int64) error {
	m := casestore.InboundMessage{Channel: in.Channel, ProviderID: in.ProviderID, From: in.From, ReceivedAt: in.At}
	if len(cases) > 0 {
		m.CaseID = cases[0]
	}
	body := map[string]any{"text": in.Text}
	if len(in.Media) > 0 {
		body["media"] = in.Media
	}
	if len(in.removed) > 0 {
		body["removed"] = in.removed
	}
	m.Body = EntryBody(body)
	err := tx.RecordInbound(ctx, &m)
	if errors.Is(err, casestore.ErrConflict) {
		return errDuplicate
	}
	return err
}

// outboundReplies are the replies as outbox messages, in order, to the
// address the debtor wrote from.
func outboundReplies(in Inbound, cases []int64, replies []dialogs.Reply) []*casestore.OutboundMessage {
	var caseID int64
	if len(cases) > 0 {
		caseID = cases[0]
	}
	out := make([]*casestore.OutboundMessage, 0, len(replies))
	for _, r := range replies {
		out = append(out, &casestore.OutboundMessage{Channel: in.Channel, To: in.From, CaseID: caseID,
			Text: r.Text, Options: r.Options, AskPhone: r.AskPhone, BotReply: true})
	}
	return out
}

// conversationCases are the dossiers this conversation's messages belong
// in: the verified case, or before verification the cases on file for the
// sender's phone (the number is the debtor's own). A stranger's messages
// are filed under no case.
func conversationCases(final dialogs.State, view dialogs.View) []int64 {
	if final.Verified && final.CaseID != 0 {
		return []int64{final.CaseID}
	}
	if view.Case != nil {
		return []int64{view.Case.ID}
	}
	ids := make([]int64, 0, len(view.PhoneCases))
	for _, c := range view.PhoneCases {
		ids = append(ids, c.ID)
	}
	return ids
}

func messageIn(caseID int64, in Inbound) casestore.DossierEntry {
	body := map[string]any{"text": in.Text, "from": in.From, "at": in.At.UTC()}
	if in.ProviderID != "" {
		body["provider_id"] = in.ProviderID
	}
	if len(in.Media) > 0 {
		body["media"] = in.Media
	}
	if len(in.removed) > 0 {
		body["removed"] = in.removed // what the debtor sent that no reader should get (sanitise.go)
	}
	return casestore.DossierEntry{CaseID: caseID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor, Channel: in.Channel, Body: EntryBody(body)}
}

func messageOut(caseID int64, channel string, r dialogs.Reply) casestore.DossierEntry {
	body := map[string]any{"text": r.Text}
	if len(r.Options) > 0 {
		body["options"] = r.Options
	}
	return casestore.DossierEntry{CaseID: caseID, Kind: casestore.EntryMessageOut, Actor: casestore.ActorBot, Channel: channel, Body: EntryBody(body)}
}

// applyEffect makes one effect durable inside the transaction. Work for
// collectors (tasks, callbacks) is filed in the dossier, where the console
// finds it. A verification lock needs nothing here: the attempt counters
// that decide it were kept before the attempt was judged (attempts.go).
func applyEffect(ctx context.Context, tx casestore.Tx, ef dialogs.Effect, in Inbound, appendEntry func(casestore.DossierEntry) error, fu FollowUps) error {
	switch e := ef.(type) {
	case dialogs.OpenDispute:
		d := e.Dispute
		if err := tx.AddDispute(ctx, &d); err != nil {
			return err
		}
		if d.InvoiceID != nil && e.InvoiceStatus != "" {
			return tx.SetInvoiceStatus(ctx, *d.InvoiceID, e.InvoiceStatus)
		}
		if e.CaseStatus != "" {
			return tx.SetCaseStatus(ctx, d.CaseID, e.CaseStatus)
		}
	case dialogs.SetInvoiceStatus:
		return tx.SetInvoiceStatus(ctx, e.InvoiceID, e.Status)
	case dialogs.SetCaseStatus:
		return tx.SetCaseStatus(ctx, e.CaseID, e.Status)
	case dialogs.ProposePlan:
		p := e.Plan
		if p.ID != 0 {
			if err := acceptOffer(ctx, tx, p); err != nil { // a collector's counter-offer (decisions.go)
				return err
			}
		} else if err := tx.AddPlan(ctx, &p); err != nil {
			return err
		}
		// An agreed plan's reminders and checks; a pending one waits for
		// the collector's approval (the console schedules them then).
		return PlanActivated(ctx, tx, fu, p.CaseID, p.ID)
	case dialogs.MakePromise:
		p := e.Promise
		if err := tx.AddPromise(ctx, &p); err != nil {
			return err
		}
		return promiseMade(ctx, tx, fu, &p)
	case dialogs.ReportPayment:
		if e.InvoiceID != nil {
			if err := tx.SetInvoiceStatus(ctx, *e.InvoiceID, casestore.InvoicePaused); err != nil {
				return err
			}
		} else if err := tx.SetCaseStatus(ctx, e.CaseID, casestore.StatusOnHold); err != nil {
			return err
		}
		return appendEntry(effectEntry(e.CaseID, "payment.reported", casestore.ActorDebtor, e))
	case dialogs.CollectorTask:
		return appendEntry(effectEntry(e.CaseID, "task.opened", casestore.ActorBot, e))
	case dialogs.RequestCallback:
		return appendEntry(effectEntry(e.CaseID, "callback.requested", casestore.ActorDebtor, e))
	case dialogs.OptOut:
		// Durable: the sender checks it before any automated message.
		return tx.SetOptOut(ctx, in.Channel, in.From, true, in.At)
	case dialogs.OptIn:
		return tx.SetOptOut(ctx, in.Channel, in.From, false, in.At)
	case dialogs.Handoff:
		_, err := requestHandoff(ctx, tx, in, e)
		return err
	case dialogs.SetContactPreference:
		return applyContactPreference(ctx, tx, e, in)
	case dialogs.LockVerification:
		// The dialog files its own entry. The lock is the sender's spent
		// attempt counter (attempts.go), never the whole case: a stranger
		// must not lock the debtor out.
	default:
		return fmt.Errorf("unknown effect %T", ef)
	}
	return nil
}

func effectEntry(caseID int64, kind casestore.EntryKind, actor casestore.Actor, body any) casestore.DossierEntry {
	return casestore.DossierEntry{CaseID: caseID, Kind: kind, Actor: actor, Body: EntryBody(body)}
}

// afterCommit updates hot state once the dossier holds the turn, and
// releases the conversation: the dialog position is stored in the same
// round trip as the release. (Verification lockouts are not hot state:
// the attempt counters are in the store, see attempts.go.) A failure here loses no data: at worst
// the position in the dialog.
func (cv *Conversations) afterCommit(ctx context.Context, lease *hotstate.Lease, key string, in Inbound, steps []dialogs.Result) {
	final := steps[len(steps)-1].State
	for _, s := range steps {
		for _, ef := range s.Effects {
			if e, ok := ef.(dialogs.Handoff); ok {
				cv.announce(ctx, Activity{Kind: ActivityRequested, Channel: in.Channel, Address: in.From, CaseID: e.CaseID})
			}
		}
	}
	if b, err := json.Marshal(final); err == nil {
		if err := lease.SetUnlock(ctx, dialogStatePrefix+key, b, StateTTL); err != nil {
			cv.log().Warn("saving dialog state failed", "err", err)
		}
	}
}

// EntryBody encodes a dossier entry's body built from plain values (it
// cannot fail for them); the console files its entries with it too.
func EntryBody(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}

// applyContactPreference merges what the debtor asked into the debtor's
// stored preference ("bel me niet" adds no calls to a preferred channel;
// a channel replaces the one before) and files the change in the dossier
// (casestore.ChangeContactPreference), so every automated message
// respects it (casestore.MayAutomate).
func applyContactPreference(ctx context.Context, tx casestore.Tx, e dialogs.SetContactPreference, in Inbound) error {
	c, err := tx.Case(ctx, e.CaseID)
	if err != nil {
		return err
	}
	p, err := tx.ContactPreference(ctx, c.DebtorID)
	if err != nil {
		return err
	}
	if e.NoCalls {
		p.NoCalls = true
	}
	if e.Channel != "" {
		p.Channel, p.WrittenOnly = e.Channel, e.WrittenOnly
	}
	_, err = casestore.ChangeContactPreference(ctx, tx, e.CaseID, p, casestore.ActorDebtor, in.Channel)
	return err
}
