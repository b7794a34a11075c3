package bot

import (
	"context"
	"errors"
	"strconv"

	"github.com/incassobot/incassobot/casestore"
)

// Notice is a message the bot or a collector starts to a case's debtor on
// a channel of choice (an e-mail reply, a reminder), rather than an
// answer on the channel the debtor wrote from.
type Notice struct {
	CaseID    int64
	Channel   string // "email", "sms", …
	To        string // the debtor's address on that channel
	Text      string
	Options   []string
	Automated bool            // a reminder: opt-out, preference and quiet hours apply
	Actor     casestore.Actor // who says it; default the bot
	// Attachments name the case's documents the message carries where the
	// channel can (e-mail): AttachSpecification, AttachInvoice(id).
	Attachments []string
}

// Names of documents a Notice can carry.
const AttachSpecification = "specification"

// AttachInvoice names the creditor's copy of invoice id.
func AttachInvoice(id int64) string { return "invoice:" + strconv.FormatInt(id, 10) }

// Notify puts n in the outbox with its message.out entry in the case's
// dossier, both in tx, and returns the queued message. The outbox
// delivers it after the commit (Outbox.Wake).
func Notify(ctx context.Context, tx casestore.Tx, n Notice) (*casestore.OutboundMessage, error) {
	if n.CaseID == 0 {
		return nil, errors.New("notify: a notice belongs to a case")
	}
	m := casestore.OutboundMessage{Channel: n.Channel, To: n.To, CaseID: n.CaseID, Text: n.Text,
		Options: n.Options, Automated: n.Automated, Attachments: n.Attachments}
	if err := tx.EnqueueOutbound(ctx, &m); err != nil {
		return nil, err
	}
	actor := n.Actor
	if actor == "" {
		actor = casestore.ActorBot
	}
	body := map[string]any{"text": n.Text, "to": n.To, "outbound_id": m.ID}
	if n.Automated {
		body["automated"] = true
	}
	if len(n.Attachments) > 0 {
		body["attachments"] = n.Attachments
	}
	e := casestore.DossierEntry{CaseID: n.CaseID, Kind: casestore.EntryMessageOut, Actor: actor, Channel: n.Channel, Body: EntryBody(body)}
	if err := tx.AppendDossier(ctx, &e); err != nil {
		return nil, err
	}
	return &m, nil
}
