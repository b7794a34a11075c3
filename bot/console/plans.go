package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// approvePlan makes the debtor's pending plan (or the collector's
// counter-offer the debtor said yes to) the case's plan, and sends the
// debtor the dated schedule.
func (c *Console) approvePlan(w http.ResponseWriter, r *http.Request) {
	planID, ok := pathID(w, r, "planID")
	if !ok {
		return
	}
	c.decide(w, r, decision{what: "het voorstel goedkeuren", done: "plan-approved",
		apply: func(ctx context.Context, tx casestore.Tx, cs *casestore.Case, lang casestore.Language) (string, casestore.DossierEntry, error) {
			p, err := casePlan(ctx, tx, cs.ID, planID)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			if err := tx.TransitionPlan(ctx, p.ID, casestore.PlanPending, casestore.PlanActive); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			if err := tx.SetCaseStatus(ctx, cs.ID, casestore.StatusInPlan); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			p.Status = casestore.PlanActive
			if err := bot.PlanActivated(ctx, tx, c.d.FollowUps, cs.ID, p.ID); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			e := casestore.DossierEntry{Kind: EntryPlanApproved,
				Body: bot.EntryBody(map[string]any{"plan_id": p.ID, "plan": p})}
			return dialogs.PlanApprovedText(lang, cs, *p), e, nil
		},
		conflict: c.planDecidedBy(planID),
		after:    c.withdrawOffer(planID),
	})
}

// rejectPlan turns the pending plan down, telling the debtor the reason
// picked (the collector's note stays in the dossier) and what is open.
func (c *Console) rejectPlan(w http.ResponseWriter, r *http.Request) {
	planID, ok := pathID(w, r, "planID")
	if !ok {
		return
	}
	reason := dialogs.PlanRejectReason(r.PostFormValue("reason"))
	if !reason.Valid() {
		c.refuseInput(w, r, formError("Kies een reden voor de afwijzing; die leest de debiteur (uw notitie niet)."))
		return
	}
	now := c.d.Now()
	c.decide(w, r, decision{what: "het voorstel afwijzen", done: "plan-rejected",
		apply: func(ctx context.Context, tx casestore.Tx, cs *casestore.Case, lang casestore.Language) (string, casestore.DossierEntry, error) {
			p, err := casePlan(ctx, tx, cs.ID, planID)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			if err := tx.TransitionPlan(ctx, p.ID, casestore.PlanPending, casestore.PlanRejected); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			open, err := openNow(cs, now)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			e := casestore.DossierEntry{Kind: EntryPlanRejected,
				Body: bot.EntryBody(map[string]any{"plan_id": p.ID, "reason": reason, "open": open})}
			return dialogs.PlanRejectedText(lang, cs, reason, open), e, nil
		},
		conflict: c.planDecidedBy(planID),
		after:    c.withdrawOffer(planID),
	})
}

// counterPlan replaces the debtor's pending plan with the collector's
// terms: the debtor's is rejected, the collector's stored pending and
// sent, and the dialog waits for the debtor's yes (bot.OfferPlan). Terms
// outside the policy are allowed: a person may agree to what the bot may
// not; the chat page shows where it departs.
func (c *Console) counterPlan(w http.ResponseWriter, r *http.Request) {
	planID, ok := pathID(w, r, "planID")
	if !ok {
		return
	}
	now := c.d.Now()
	prop, err := counterForm(r, casestore.DayOf(now))
	if err != nil {
		c.refuseInput(w, r, err)
		return
	}
	var offer casestore.Plan
	c.decide(w, r, decision{what: "het tegenvoorstel versturen", done: "plan-countered",
		apply: func(ctx context.Context, tx casestore.Tx, cs *casestore.Case, lang casestore.Language) (string, casestore.DossierEntry, error) {
			p, err := casePlan(ctx, tx, cs.ID, planID)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			if err := tx.TransitionPlan(ctx, p.ID, casestore.PlanPending, casestore.PlanRejected); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			b, err := casestore.Balance(cs, now)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			if err := checkCounter(prop, b.Total.Open); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			var breaches []string
			offer, breaches, err = casestore.CollectorPlan(cs, b, prop, now)
			if err != nil {
				return "", casestore.DossierEntry{}, err
			}
			offer.CreatedAt = now
			if err := tx.AddPlan(ctx, &offer); err != nil {
				return "", casestore.DossierEntry{}, err
			}
			e := casestore.DossierEntry{Kind: EntryPlanCountered, Body: bot.EntryBody(map[string]any{
				"plan_id": p.ID, "counter_plan_id": offer.ID, "counter": offer, "proposal": prop,
				"breaches": breaches})}
			return dialogs.PlanCounteredText(lang, cs, offer), e, nil
		},
		conflict: c.planDecidedBy(planID),
		after: func(ctx context.Context, h *casestore.Handoff) string {
			ok, err := bot.OfferPlan(ctx, c.d.Hot, h.Channel, h.Address, offer, now)
			if err != nil {
				c.d.Log.Warn("console: offer the plan in the dialog", "plan", offer.ID, "err", err)
			}
			if !ok {
				return "plan-countered-held"
			}
			return ""
		},
	})
}

// withdrawOffer takes a decided plan out of the dialog, if it was the
// collector's offer waiting for the debtor's yes.
func (c *Console) withdrawOffer(planID int64) func(context.Context, *casestore.Handoff) string {
	return func(ctx context.Context, h *casestore.Handoff) string {
		if _, err := bot.WithdrawPlanOffer(ctx, c.d.Hot, h.Channel, h.Address, planID); err != nil {
			c.d.Log.Warn("console: withdraw the plan from the dialog", "plan", planID, "err", err)
		}
		return ""
	}
}

// casePlan is plan id of the case; ErrNotFound when the case has none
// with that id (a plan of another case is not decided from this chat).
func casePlan(ctx context.Context, tx casestore.Tx, caseID, id int64) (*casestore.Plan, error) {
	plans, err := tx.Plans(ctx, caseID)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, fmt.Errorf("plan %d of case %d: %w", id, caseID, casestore.ErrNotFound)
}

// openNow is what is open on the case now, to the cent.
func openNow(cs *casestore.Case, now time.Time) (decimal.Decimal, error) {
	b, err := casestore.Balance(cs, now)
	if err != nil {
		return decimal.Zero, err
	}
	return casestore.RoundCents(b.Total.Open), nil
}

// planDecidedBy explains why plan planID cannot be decided: who decided
// it, and how, as the dossier records it.
func (c *Console) planDecidedBy(planID int64) func(context.Context, *casestore.Handoff) string {
	return func(ctx context.Context, h *casestore.Handoff) string {
		plan, err := casePlan(ctx, c.d.Store, h.CaseID, planID)
		if err != nil {
			return "Dit voorstel is al beslist."
		}
		how := planStatusText[plan.Status]
		entries, err := c.d.Store.Dossier(ctx, h.CaseID, casestore.DossierQuery{Limit: 200,
			Kinds: []casestore.EntryKind{EntryPlanApproved, EntryPlanCountered, EntryPlanRejected, entryPlanAccepted}})
		if err != nil {
			return "Dit voorstel is al beslist: " + how + "."
		}
		for _, e := range entries {
			var b struct {
				PlanID int64 `json:"plan_id"`
				Plan   struct{ ID int64 }
			}
			if json.Unmarshal(e.Body, &b) != nil {
				continue
			}
			if b.PlanID == planID || (e.Kind == entryPlanAccepted && b.Plan.ID == planID) {
				return fmt.Sprintf("Dit voorstel is al beslist door %s (%s): %s.", c.actorName(ctx, e.Actor), datetime(e.At), how)
			}
		}
		return "Dit voorstel is al beslist: " + how + "."
	}
}

var planStatusText = map[casestore.PlanStatus]string{
	casestore.PlanPending:   "het wacht nog",
	casestore.PlanActive:    "goedgekeurd",
	casestore.PlanRejected:  "afgewezen of vervangen door een tegenvoorstel",
	casestore.PlanCompleted: "afgerond",
	casestore.PlanBroken:    "niet nagekomen",
}

// counterForm reads a counter-offer: the number of terms or a monthly
// amount (terms win), a down payment and the first date. Amounts are read
// as people type them ("1.234,56", "1234.56", "€ 50"), into decimals.
func counterForm(r *http.Request, today time.Time) (casestore.Proposal, error) {
	var p casestore.Proposal
	if s := strings.TrimSpace(r.PostFormValue("terms")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > casestore.MaxCollectorTerms {
			return p, formError(fmt.Sprintf("Aantal termijnen %q: vul een heel getal van 1 tot en met %d in.", s, casestore.MaxCollectorTerms))
		}
		p.Terms = n
	}
	var err error
	if p.Monthly, err = formAmount(r, "monthly", "Bedrag per maand"); err != nil {
		return p, err
	}
	if p.DownPayment, err = formAmount(r, "down", "Aanbetaling"); err != nil {
		return p, err
	}
	if p.Terms == 0 && !p.Monthly.IsPositive() {
		return p, formError("Vul het aantal termijnen of het bedrag per maand in.")
	}
	if s := strings.TrimSpace(r.PostFormValue("start")); s != "" {
		d, err := parseDay(s)
		if err != nil {
			return p, formError(fmt.Sprintf("Eerste betaaldatum %q: schrijf de datum als 31-12-2026.", s))
		}
		if d.Before(today) {
			return p, formError(fmt.Sprintf("De eerste betaaldatum %s ligt in het verleden.", d.Format("02-01-2006")))
		}
		p.Start = d
	}
	return p, nil
}

// formAmount reads an optional amount in euro; zero when empty.
func formAmount(r *http.Request, field, label string) (decimal.Decimal, error) {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" {
		return decimal.Zero, nil
	}
	d, ok := dialogs.ParseAmount(s)
	if !ok {
		return decimal.Zero, formError(fmt.Sprintf("%s %q is geen bedrag: schrijf bijvoorbeeld 1.234,56 of 1234.56.", label, s))
	}
	return d, nil
}

// parseDay reads a date from the form's date field (2026-12-31) or as a
// collector types it (31-12-2026, 31-12-26 is refused: which century).
func parseDay(s string) (time.Time, error) {
	if d, err := casestore.ParseDate(s); err == nil {
		return d, nil
	}
	for _, layout := range []string{"2-1-2006", "2/1/2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return casestore.Date(t.Year(), t.Month(), t.Day()), nil
		}
	}
	return time.Time{}, errors.New("not a date")
}

// checkCounter refuses, in the collector's words, a counter-offer the
// case's balance cannot carry.
func checkCounter(p casestore.Proposal, open decimal.Decimal) error {
	switch {
	case !open.IsPositive():
		return formError("Er staat niets meer open in dit dossier.")
	case p.DownPayment.GreaterThan(open):
		return formError(fmt.Sprintf("De aanbetaling %s is meer dan het openstaande bedrag %s.", dossierview.Money(p.DownPayment), dossierview.Money(open)))
	case p.Terms == 0 && p.Monthly.IsPositive() &&
		open.Sub(p.DownPayment).Div(p.Monthly).Ceil().GreaterThan(decimal.NewFromInt(casestore.MaxCollectorTerms)):
		return formError(fmt.Sprintf("Met %s per maand duurt de regeling langer dan %d termijnen; kies een hoger bedrag.", dossierview.Money(p.Monthly), casestore.MaxCollectorTerms))
	}
	return nil
}

// counterOffers maps the case's counter-offer plans to the collector
// who made each.
func (c *Console) counterOffers(ctx context.Context, caseID int64) (map[int64]string, error) {
	entries, err := c.d.Store.Dossier(ctx, caseID, casestore.DossierQuery{Limit: 200, Kinds: []casestore.EntryKind{EntryPlanCountered}})
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, e := range entries {
		var b struct {
			Counter int64 `json:"counter_plan_id"`
		}
		if json.Unmarshal(e.Body, &b) == nil && b.Counter != 0 {
			out[b.Counter] = c.actorName(ctx, e.Actor)
		}
	}
	return out, nil
}
