package payments

import (
	"context"
	"errors"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// EntryMessageSkipped: an automated message that was not sent, and why.
const EntryMessageSkipped casestore.EntryKind = "message.skipped"

// Result is what Record did.
type Result struct {
	casestore.Applied
	// Thanks is the message to the debtor, nil for a duplicate or when the
	// debtor has no channel the agency can write to (the dossier says so).
	Thanks *casestore.OutboundMessage
}

// Record applies payment in (casestore.ApplyPayment) and thanks the
// debtor, in tx. note is a collector's private note, filed as an entry of
// its own (creditors read payments, not the agency's notes). A payment
// the source reported before returns Duplicate and writes nothing.
func Record(ctx context.Context, tx casestore.Tx, in casestore.IncomingPayment, note string, now time.Time) (Result, error) {
	a, err := casestore.ApplyPayment(ctx, tx, in, now)
	if err != nil || a.Duplicate {
		return Result{Applied: a}, err
	}
	if note != "" {
		n := casestore.DossierEntry{CaseID: a.Case.ID, Kind: casestore.EntryNote, Actor: a.Entry.Actor, Channel: "console",
			Body: bot.EntryBody(map[string]any{"text": note, "payment_id": a.Payment.ID})}
		if err := tx.AppendDossier(ctx, &n); err != nil {
			return Result{}, err
		}
	}
	m, err := thank(ctx, tx, a)
	return Result{Applied: a, Thanks: m}, err
}

// thank puts the thank-you in the outbox, to the debtor's own channel
// (bot.ContactChannel: the preferred one, else the conversation they last
// wrote in about the case, else SMS to the phone on file, else e-mail),
// and files it. It is automated: quiet hours and an
// opt-out hold it back like any message the bot starts.
func thank(ctx context.Context, tx casestore.Tx, a casestore.Applied) (*casestore.OutboundMessage, error) {
	c := a.Case
	channel, to, err := bot.ContactChannel(ctx, tx, c)
	if errors.Is(err, casestore.ErrNotFound) {
		return nil, tx.AppendDossier(ctx, &casestore.DossierEntry{CaseID: c.ID, Kind: EntryMessageSkipped, Actor: casestore.ActorSystem,
			Body: bot.EntryBody(map[string]any{"payment_id": a.Payment.ID, "reason": "no channel: the debtor never wrote and has no phone or e-mail address on file the contact preference allows"})})
	}
	if err != nil {
		return nil, err
	}
	// While a collector holds the chat the bot says nothing there; a
	// collector recording the payment is the one who speaks.
	if _, collector := bot.CollectorOf(a.Entry.Actor); !collector {
		h, err := tx.OpenHandoff(ctx, channel, to)
		if err == nil && h.Status == casestore.HandoffClaimed {
			return nil, tx.AppendDossier(ctx, &casestore.DossierEntry{CaseID: c.ID, Kind: EntryMessageSkipped, Actor: casestore.ActorSystem,
				Channel: channel, Body: bot.EntryBody(map[string]any{"payment_id": a.Payment.ID, "reason": "a collector holds the chat"})})
		}
		if err != nil && !errors.Is(err, casestore.ErrNotFound) {
			return nil, err
		}
	}
	text := ThanksText(a)
	m := casestore.OutboundMessage{Channel: channel, To: to, CaseID: c.ID, Text: text, Automated: true}
	if err := tx.EnqueueOutbound(ctx, &m); err != nil {
		return nil, err
	}
	return &m, tx.AppendDossier(ctx, &casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageOut, Actor: casestore.ActorBot,
		Channel: channel, Body: bot.EntryBody(map[string]any{"text": text, "outbound_id": m.ID, "payment_id": a.Payment.ID})})
}
