package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// maxReplyBytes bounds a reply or a note: a WhatsApp message takes 4096
// characters, and a collector's answer is a few sentences.
const maxReplyBytes = 4000

// formText is the form's text, or the canned reply picked (when the text
// is empty): the page works without its script too.
func formText(r *http.Request) (string, error) {
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" {
		if i, err := strconv.Atoi(r.PostFormValue("canned")); err == nil && i >= 0 && i < len(cannedReplies) {
			text = cannedReplies[i].Text
		}
	}
	switch {
	case text == "":
		return "", formError("Het bericht is leeg: typ een antwoord of kies een standaardantwoord.")
	case len(text) > maxReplyBytes || !utf8.ValidString(text):
		return "", formError(fmt.Sprintf("Het bericht is langer dan %d tekens; maak het korter.", maxReplyBytes))
	}
	return text, nil
}

// reply sends the collector's answer to the debtor's own channel and
// address. One transaction: the lease is extended (so a collector who no
// longer holds the chat sends nothing), the message enters the outbox and
// the dossier says who wrote it. The outbox sender delivers it.
func (c *Console) reply(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	text, err := formText(r)
	if err != nil {
		c.fail(w, r, err, "het antwoord versturen")
		return
	}
	var h *casestore.Handoff
	err = c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		var err error
		if h, err = tx.TouchHandoff(ctx, id, me.ID, c.d.Now(), c.d.Lease); err != nil {
			return err
		}
		// Under the collector's first name: never taken for the bot's.
		m := casestore.OutboundMessage{Channel: h.Channel, To: h.Address, CaseID: h.CaseID, Text: dialogs.CollectorReplyText(h.Channel, me.Name, text)}
		if err := tx.EnqueueOutbound(ctx, &m); err != nil {
			return err
		}
		if h.CaseID == 0 {
			return nil // no dossier yet: the outbox keeps what was said
		}
		e := casestore.DossierEntry{CaseID: h.CaseID, Kind: casestore.EntryMessageOut, Actor: bot.CollectorActor(me.ID),
			Channel: h.Channel, Body: bot.EntryBody(map[string]any{"text": text, "outbound_id": m.ID})}
		return tx.AppendDossier(ctx, &e)
	})
	if errors.Is(err, casestore.ErrConflict) {
		// The lease ran out and another took it, or it was handed back:
		// nothing was sent, and the collector must know that.
		c.render(w, r, http.StatusConflict, "message", messagePage{base: c.base(r),
			Title: "Niet verstuurd", Back: fmt.Sprintf("/console/handoffs/%d", id),
			Text: "U heeft deze chat niet (meer) in behandeling, dus uw antwoord is niet verstuurd. Open de chat en claim hem opnieuw als hij nog wacht."})
		return
	}
	if err != nil {
		c.fail(w, r, err, "het antwoord versturen")
		return
	}
	c.wake()
	c.announce(ctx, bot.Activity{Kind: bot.ActivityReply, Channel: h.Channel, Address: h.Address,
		CaseID: h.CaseID, HandoffID: h.ID, HeldBy: me.ID})
	http.Redirect(w, r, fmt.Sprintf("/console/handoffs/%d?done=reply", id), http.StatusSeeOther)
}

// note files a private note in the case's dossier. It is never sent: it
// touches no outbox. Any collector may note on a chat they can open.
func (c *Console) note(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	text, err := formText(r)
	if err != nil {
		c.fail(w, r, err, "de notitie opslaan")
		return
	}
	h, err := c.d.Store.Handoff(ctx, id)
	if err != nil {
		c.fail(w, r, err, "de notitie opslaan")
		return
	}
	if h.CaseID == 0 {
		c.fail(w, r, errNoCase, "de notitie opslaan")
		return
	}
	e := casestore.DossierEntry{CaseID: h.CaseID, Kind: casestore.EntryNote, Actor: bot.CollectorActor(me.ID),
		Channel: "console", Body: bot.EntryBody(map[string]any{"text": text, "handoff_id": h.ID})}
	if err := c.d.Store.AppendDossier(ctx, &e); err != nil {
		c.fail(w, r, err, "de notitie opslaan")
		return
	}
	// Colleagues reading the chat see the note appear in the dossier.
	c.announce(ctx, bot.Activity{Kind: bot.ActivityDossier, Channel: h.Channel, Address: h.Address,
		CaseID: h.CaseID, HandoffID: h.ID})
	http.Redirect(w, r, fmt.Sprintf("/console/handoffs/%d?done=note", id), http.StatusSeeOther)
}

// resolve hands the conversation back to the bot: the debtor's next
// message goes to the assistant, which starts afresh from its menu.
func (c *Console) resolve(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	var h *casestore.Handoff
	err := c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		var err error
		if h, err = tx.ResolveHandoff(ctx, id, me.ID, c.d.Now()); err != nil {
			return err
		}
		return c.tellDebtor(ctx, tx, h, me.ID, dialogs.HandedBackText)
	})
	if err != nil {
		c.fail(w, r, err, "het gesprek teruggeven")
		return
	}
	c.wake()
	c.announce(ctx, bot.Activity{Kind: bot.ActivityResolved, Channel: h.Channel, Address: h.Address,
		CaseID: h.CaseID, HandoffID: h.ID})
	http.Redirect(w, r, "/console/?done=resolved", http.StatusSeeOther)
}

// announce tells every console instance; best effort (pages also read
// the store).
func (c *Console) announce(ctx context.Context, a bot.Activity) {
	if c.d.Hot == nil {
		return
	}
	b, err := json.Marshal(a)
	if err != nil {
		return
	}
	if err := c.d.Hot.Publish(ctx, bot.ConsoleTopic, b); err != nil {
		c.d.Log.Warn("console: announce activity", "err", err)
	}
}

// wake tells the outbox sender a message is waiting, so it leaves at once.
func (c *Console) wake() {
	if c.d.Wake != nil {
		c.d.Wake()
	}
}
