package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// A collector decides what the bot may not: approve, counter or reject a
// debtor's pending installment plan (here), resolve a dispute
// (disputes.go). Each decision is one transaction — the lease is
// extended (only the collector holding the chat decides), the plan or
// dispute changes only if nobody decided it meanwhile, the dossier says
// who decided and why, and the debtor is told on their own channel
// through the outbox — so a decision is never half made, made twice, or
// made without the debtor hearing of it.

// Dossier kinds of the collectors' decisions.
const (
	EntryPlanApproved    casestore.EntryKind = "plan.approved"
	EntryPlanCountered   casestore.EntryKind = "plan.countered"
	EntryPlanRejected    casestore.EntryKind = "plan.rejected"
	EntryDisputeResolved casestore.EntryKind = "dispute.resolved"
	// entryPlanAccepted is the dialog's: the debtor agreed in the chat.
	entryPlanAccepted casestore.EntryKind = "plan.accepted"
)

// errNotHolder: only the collector holding the chat decides in it.
var errNotHolder = errors.New("u heeft deze chat niet (meer) in behandeling")

// decision is one decision on a chat's case.
type decision struct {
	what string // for pages: "het voorstel goedkeuren"
	done string // the chat page's notice after it (decisionNotices)
	// apply makes the decision inside the transaction, on the case as it
	// now stands, and returns what the debtor is told and the dossier
	// entry (case, actor and channel are filled in). ErrConflict: it was
	// decided meanwhile; ErrInvalid: the collector's input is wrong.
	apply func(ctx context.Context, tx casestore.Tx, c *casestore.Case, lang casestore.Language) (text string, e casestore.DossierEntry, err error)
	// conflict explains an ErrConflict from apply to the collector.
	conflict func(ctx context.Context, h *casestore.Handoff) string
	// after runs once the decision is committed (dialog state); a
	// non-empty answer replaces done.
	after func(ctx context.Context, h *casestore.Handoff) (done string)
}

var decisionNotices = map[string]string{
	"plan-approved":  "De regeling is goedgekeurd; de debiteur krijgt het betaalschema via zijn eigen kanaal.",
	"plan-countered": "Het tegenvoorstel is verstuurd. Antwoordt de debiteur met JA, keur het dan goed (of geef de chat terug: de assistent legt het vast).",
	// The dialog could not take the offer (its state expired, or hot
	// state is down): only the collector can record the debtor's yes.
	"plan-countered-held": "Het tegenvoorstel is verstuurd. Antwoordt de debiteur met JA, keur het dan hier goed: de assistent kan dit ja niet zelf vastleggen.",
	"plan-rejected":       "Het voorstel is afgewezen; de debiteur heeft het bericht.",
	"dispute-resolved":    "De betwisting is afgehandeld; de debiteur heeft het bericht.",
}

// decide carries out d for the chat in the request: see the file's
// comment. Answers: 303 back to the chat; 403 when the user does not hold
// the chat; 409 when decided meanwhile; 400 for wrong input; 404 for an
// unknown chat, plan or dispute.
func (c *Console) decide(w http.ResponseWriter, r *http.Request, d decision) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	// Every decision form has the collector's private note. It is filed as
	// an entry of its own (EntryNote), never inside the decision's body:
	// creditors read decisions, not the agency's notes (Scope.SeesNotes).
	note, err := formNote(r, "note")
	if err != nil {
		c.refuseInput(w, r, err)
		return
	}
	h, err := c.d.Store.Handoff(ctx, id)
	switch {
	case err != nil:
		c.fail(w, r, err, d.what)
		return
	case h.Status != casestore.HandoffClaimed || h.CollectorID != me.ID:
		c.refuse(w, r, http.StatusForbidden, "Niet toegestaan", id,
			"U heeft deze chat niet in behandeling. Claim hem eerst; alleen wie de chat heeft, beslist over het dossier en schrijft de debiteur.")
		return
	case h.CaseID == 0:
		c.refuse(w, r, http.StatusConflict, "Niet gelukt", id, errNoCase.Error()+".")
		return
	}
	st, _ := bot.DialogState(ctx, c.d.Hot, h.Channel, h.Address)
	now := c.d.Now()
	err = c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		held, err := tx.TouchHandoff(ctx, id, me.ID, now, c.d.Lease)
		if errors.Is(err, casestore.ErrConflict) {
			return errNotHolder
		}
		if err != nil {
			return err
		}
		cs, err := tx.Case(ctx, held.CaseID)
		if err != nil {
			return err
		}
		text, e, err := d.apply(ctx, tx, cs, dialogs.ReplyLanguage(st, &cs.Debtor))
		if err != nil {
			return err
		}
		e.CaseID, e.Actor, e.Channel = cs.ID, bot.CollectorActor(me.ID), "console"
		if err := tx.AppendDossier(ctx, &e); err != nil {
			return err
		}
		if note != "" {
			n := casestore.DossierEntry{CaseID: cs.ID, Kind: casestore.EntryNote, Actor: e.Actor, Channel: e.Channel,
				Body: bot.EntryBody(map[string]any{"text": note, "decision": e.Kind, "decision_entry": e.ID})}
			if err := tx.AppendDossier(ctx, &n); err != nil {
				return err
			}
		}
		m := casestore.OutboundMessage{Channel: held.Channel, To: held.Address, CaseID: cs.ID, Text: text}
		if err := tx.EnqueueOutbound(ctx, &m); err != nil {
			return err
		}
		out := casestore.DossierEntry{CaseID: cs.ID, Kind: casestore.EntryMessageOut, Actor: bot.CollectorActor(me.ID),
			Channel: held.Channel, Body: bot.EntryBody(map[string]any{"text": text, "outbound_id": m.ID, "decision": e.Kind})}
		return tx.AppendDossier(ctx, &out)
	})
	switch {
	case errors.Is(err, errNotHolder):
		c.refuse(w, r, http.StatusForbidden, "Niet toegestaan", id,
			"U heeft deze chat niet (meer) in behandeling, dus er is niets beslist en niets verstuurd. Open de chat en claim hem opnieuw als hij nog wacht.")
		return
	case errors.Is(err, casestore.ErrConflict):
		c.refuse(w, r, http.StatusConflict, "Al beslist", id, d.conflict(ctx, h)+" Er is niets gewijzigd en niets verstuurd.")
		return
	case errors.Is(err, casestore.ErrInvalid):
		c.refuse(w, r, http.StatusBadRequest, "Niet verstuurd", id, invalidText(err)+" Er is niets gewijzigd en niets verstuurd.")
		return
	case err != nil:
		c.fail(w, r, err, d.what)
		return
	}
	c.wake()
	if d.after != nil {
		if done := d.after(ctx, h); done != "" {
			d.done = done
		}
	}
	for _, kind := range []string{bot.ActivityDossier, bot.ActivityReply} {
		c.announce(ctx, bot.Activity{Kind: kind, Channel: h.Channel, Address: h.Address, CaseID: h.CaseID, HandoffID: h.ID, HeldBy: me.ID})
	}
	http.Redirect(w, r, fmt.Sprintf("/console/handoffs/%d?done=%s", id, d.done), http.StatusSeeOther)
}

// refuse answers a decision that was not made, with the way back to the
// chat.
func (c *Console) refuse(w http.ResponseWriter, r *http.Request, status int, title string, id int64, text string) {
	c.render(w, r, status, "message", messagePage{base: c.base(r), Title: title, Text: text,
		Back: fmt.Sprintf("/console/handoffs/%d", id)})
}

// formError is wrong input in a decision's form, said to the collector.
type formError string

func (e formError) Error() string { return string(e) }
func (e formError) Unwrap() error { return casestore.ErrInvalid }

// conflictError is a refusal, in the collector's words, that the state of
// the chat causes rather than the form.
type conflictError string

func (e conflictError) Error() string { return string(e) }
func (e conflictError) Unwrap() error { return casestore.ErrConflict }

// invalidText is what the collector reads of an ErrInvalid: the form's
// own sentence, or a plain one (the store's reason is no reader's words).
func invalidText(err error) string {
	var fe formError
	if errors.As(err, &fe) {
		return string(fe)
	}
	return "Dit past niet bij het dossier zoals het nu is; controleer de gegevens en probeer het opnieuw."
}

// refuseInput answers a form that could not be read: nothing was done.
func (c *Console) refuseInput(w http.ResponseWriter, r *http.Request, err error) {
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	c.refuse(w, r, http.StatusBadRequest, "Niet verstuurd", id, invalidText(err)+" Er is niets gewijzigd en niets verstuurd.")
}

// actorName is who an entry's actor is, as a collector reads it.
func (c *Console) actorName(ctx context.Context, a casestore.Actor) string {
	if id, ok := bot.CollectorOf(a); ok {
		if name, err := newNames(c.d.Store).of(ctx, id); err == nil {
			return name
		}
		return fmt.Sprintf("medewerker %d", id)
	}
	if a == casestore.ActorDebtor {
		return "de debiteur (akkoord in de chat)"
	}
	return string(a)
}

// pathID reads a positive id from the path; 404 otherwise.
func pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return 0, false
	}
	return id, true
}

// formNote is an optional text field of at most maxReplyBytes.
func formNote(r *http.Request, field string) (string, error) {
	s := strings.TrimSpace(r.PostFormValue(field))
	if len(s) > maxReplyBytes || !utf8.ValidString(s) {
		return "", formError(fmt.Sprintf("De tekst is langer dan %d tekens.", maxReplyBytes))
	}
	return s, nil
}

// decisionsView is what the chat page shows to decide on: the case's
// pending plans, each with its schedule and where it departs from the
// policy, and its open disputes. The forms show only to the collector
// holding the chat (chatData.Mine).
type decisionsView struct {
	Plans    []pendingPlan
	Disputes []openDispute
	Reasons  []choice
	Today    string // the first date a counter-offer may start, 2026-11-24
}

type pendingPlan struct {
	P *casestore.Plan
	// Breaches say where the plan departs from the case's policy, in the
	// collector's words; empty when it fits.
	Breaches []string
	// OfferedBy names the collector whose counter-offer this is: it waits
	// for the debtor's yes. Empty for the debtor's own proposal.
	OfferedBy string
}

type openDispute struct {
	D    *casestore.Dispute
	What string // "factuur F-1001" or "het hele dossier"
}

type choice struct{ Value, Label string }

// rejectChoices are the reasons a collector picks, in the collector's
// words; the debtor reads dialogs' sentence for each.
var rejectChoices = []choice{
	{string(dialogs.RejectTooLong), "Loopt te lang voor de opdrachtgever"},
	{string(dialogs.RejectTooLow), "Termijnbedrag te laag"},
	{string(dialogs.RejectDownPayment), "Eerst een aanbetaling nodig"},
	{string(dialogs.RejectJudicial), "Gerechtelijke fase: geen regeling"},
	{string(dialogs.RejectCreditor), "Opdrachtgever gaat niet akkoord"},
	{string(dialogs.RejectOther), "Andere reden (niet aan de debiteur genoemd)"},
}

// loadDecisions fills data.Decisions for the chat's case (none without a
// case) and the notice after a decision.
func (c *Console) loadDecisions(ctx context.Context, data *chatData, done string) error {
	if n, ok := decisionNotices[done]; ok {
		data.Notice = n
	}
	if data.Case == nil {
		return nil
	}
	cs := data.Case
	now := c.d.Now()
	v := decisionsView{Reasons: rejectChoices, Today: casestore.DayOf(now).Format(time.DateOnly)}
	plans, err := c.d.Store.Plans(ctx, cs.ID)
	if err != nil {
		return err
	}
	offeredBy, err := c.counterOffers(ctx, cs.ID)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.Status != casestore.PlanPending {
			continue
		}
		pp := pendingPlan{P: p, OfferedBy: offeredBy[p.ID]}
		if data.Balance != nil {
			for _, b := range casestore.PlanBreaches(cs, *data.Balance, *p, now) {
				pp.Breaches = append(pp.Breaches, dossierview.Label("breach", b))
			}
		}
		v.Plans = append(v.Plans, pp)
	}
	disputes, err := c.d.Store.Disputes(ctx, cs.ID)
	if err != nil {
		return err
	}
	for _, d := range disputes {
		if d.Status != casestore.DisputeOpen {
			continue
		}
		what := "het hele dossier"
		if d.InvoiceID != nil {
			what = fmt.Sprintf("factuur %d", *d.InvoiceID)
			for _, inv := range cs.Invoices {
				if inv.ID == *d.InvoiceID {
					what = "factuur " + inv.Number
				}
			}
		}
		v.Disputes = append(v.Disputes, openDispute{D: d, What: what})
	}
	data.Decisions = v
	return nil
}
