package casestore

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// MaxCollectorTerms bounds a plan a collector lays out: ten years of
// monthly installments. Beyond that a "plan" is a typo (a monthly amount
// of €1 instead of €100), not an agreement.
const MaxCollectorTerms = 120

// CollectorPlan lays out the plan a collector offers for case c with
// balance b: exactly the proposal asked, on the schedule Schedule gives,
// with the statutory interest projected over the plan when the case's
// policy keeps interest running (as EvaluatePlan does). A collector may
// agree to what the bot may not, so the policy does not change the plan;
// breaches names where it departs from the policy (PlanReason… codes) for
// the dossier. The plan is pending: the debtor still has to agree.
//
// Terms wins over Monthly; Monthly asks for the fewest equal terms of at
// most that amount. A zero Start is the same day next month. ErrInvalid
// when nothing is open, the proposal names neither terms nor a monthly
// amount, the first date is before today, the down payment is negative or
// more than is open, the plan would run past MaxCollectorTerms, or the
// interest over the plan cannot be computed.
func CollectorPlan(c *Case, b Breakdown, p Proposal, today time.Time) (plan Plan, breaches []string, err error) {
	today = asDay(today)
	pol := policyFor(c)
	total := RoundCents(b.Total.Open)
	if !total.IsPositive() {
		return Plan{}, nil, fmt.Errorf("plan for case %d: nothing is open: %w", c.ID, ErrInvalid)
	}
	if p.DownPayment.IsNegative() || p.Monthly.IsNegative() || p.Terms < 0 {
		return Plan{}, nil, fmt.Errorf("plan for case %d: negative amount or terms: %w", c.ID, ErrInvalid)
	}
	if p.DownPayment.GreaterThan(total) {
		return Plan{}, nil, fmt.Errorf("plan for case %d: down payment %s above the open %s: %w", c.ID, p.DownPayment, total, ErrInvalid)
	}
	ask := planAsk{down: RoundCents(p.DownPayment), first: asDay(p.Start)}
	if p.Start.IsZero() {
		ask.first = addMonths(today, 1)
	}
	if ask.first.Before(today) {
		return Plan{}, nil, fmt.Errorf("plan for case %d: first date %s is in the past: %w", c.ID, ask.first.Format(time.DateOnly), ErrInvalid)
	}
	rest := total.Sub(ask.down)
	switch {
	case !rest.IsPositive():
		ask.terms = 0 // the down payment pays everything
	case p.Terms > 0:
		ask.terms = p.Terms
		ask.monthly = rest.Div(decimal.NewFromInt(int64(p.Terms)))
	case p.Monthly.IsPositive():
		n := rest.Div(p.Monthly).Ceil()
		if n.GreaterThan(decimal.NewFromInt(MaxCollectorTerms)) {
			return Plan{}, nil, fmt.Errorf("plan for case %d: %s a month needs more than %d terms: %w", c.ID, p.Monthly, MaxCollectorTerms, ErrInvalid)
		}
		ask.terms, ask.monthly = int(n.IntPart()), p.Monthly
	default:
		return Plan{}, nil, fmt.Errorf("plan for case %d: neither terms nor a monthly amount: %w", c.ID, ErrInvalid)
	}
	if ask.terms > MaxCollectorTerms {
		return Plan{}, nil, fmt.Errorf("plan for case %d: %d terms, more than %d: %w", c.ID, ask.terms, MaxCollectorTerms, ErrInvalid)
	}
	if ask.terms > 0 && !installmentOf(rest, ask.terms).IsPositive() {
		// Schedule rounds installments down to the cent: more terms than
		// cents open would ask the debtor to pay €0.00.
		return Plan{}, nil, fmt.Errorf("plan for case %d: %s in %d terms leaves installments of €0.00: %w", c.ID, rest, ask.terms, ErrInvalid)
	}
	if pol.InterestDuringPlan {
		extra, err := projectInterest(InterestKindFor(c.Regime), b, ask)
		if err != nil {
			return Plan{}, nil, fmt.Errorf("plan for case %d: interest over the plan: %v: %w", c.ID, err, ErrInvalid)
		}
		total = total.Add(extra)
	}
	breaches = policyBreaches(ask, b.Total.Open, today, pol)
	if breaches == nil {
		breaches = []string{}
	}
	plan = Plan{CaseID: c.ID, Status: PlanPending, Total: RoundCents(total), DownPayment: ask.down,
		Installments: Schedule(total, ask.down, ask.terms, ask.first), InterestDuringPlan: pol.InterestDuringPlan}
	return plan, breaches, nil
}

// PlanBreaches names where plan p, as laid out, departs from case c's
// policy on today with balance b (PlanReason… codes; empty when it fits),
// so a collector sees it before approving: a debtor's proposal waiting
// for a decision, or a counter-offer a collector made outside the policy.
// A first date now past counts (PlanReasonStartInPast).
func PlanBreaches(c *Case, b Breakdown, p Plan, today time.Time) []string {
	today = asDay(today)
	ask := planAsk{down: p.DownPayment, terms: len(p.Installments)}
	if len(p.Installments) > 0 {
		ask.first = asDay(p.Installments[0].Due)
	}
	if p.DownPayment.IsPositive() && ask.terms > 0 {
		ask.terms--
	}
	breaches := policyBreaches(ask, b.Total.Open, today, policyFor(c))
	if breaches == nil {
		breaches = []string{}
	}
	return breaches
}
