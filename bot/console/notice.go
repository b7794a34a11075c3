package console

import (
	"context"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// handoffNotice is what the debtor is told when a person takes over their
// chat or hands it back, in the chat's language.
type handoffNotice func(lang casestore.Language, channel string) string

func (c *Console) takeOverNotice(collector string) handoffNotice {
	return func(lang casestore.Language, channel string) string {
		return dialogs.TakeOverText(lang, channel, collector, c.d.Agency)
	}
}

// tellDebtor queues notice to the debtor of h on their own channel, inside
// tx, so the debtor hears of a claim or hand-back exactly when it
// happened; like any message.out, the dossier says who sent it.
func (c *Console) tellDebtor(ctx context.Context, tx casestore.Tx, h *casestore.Handoff, by int64, notice handoffNotice) error {
	var debtor *casestore.Debtor
	if h.CaseID != 0 {
		cs, err := tx.Case(ctx, h.CaseID)
		if err != nil {
			return err
		}
		debtor = &cs.Debtor
	}
	st, _ := bot.DialogState(ctx, c.d.Hot, h.Channel, h.Address)
	text := notice(dialogs.ReplyLanguage(st, debtor), h.Channel)
	m := casestore.OutboundMessage{Channel: h.Channel, To: h.Address, CaseID: h.CaseID, Text: text}
	if err := tx.EnqueueOutbound(ctx, &m); err != nil {
		return err
	}
	if h.CaseID == 0 {
		return nil // no dossier yet: the outbox keeps what was said
	}
	e := casestore.DossierEntry{CaseID: h.CaseID, Kind: casestore.EntryMessageOut, Actor: bot.CollectorActor(by),
		Channel: h.Channel, Body: bot.EntryBody(map[string]any{"text": text, "outbound_id": m.ID, "handoff_id": h.ID})}
	return tx.AppendDossier(ctx, &e)
}
