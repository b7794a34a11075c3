package casestore

import (
	"time"

	"github.com/shopspring/decimal"
)

// Proposal is an installment plan as a debtor asks for it. Monthly or Terms
// says how long it runs (Terms wins when both are set; neither set asks the
// policy for a plan). DownPayment is what the debtor pays first. Start is the
// first due date (the down payment's when there is one); zero means the same
// day next month (clamped to the month's end).
type Proposal struct {
	Monthly     decimal.Decimal `json:"monthly"`
	Terms       int             `json:"terms"`
	DownPayment decimal.Decimal `json:"down_payment"`
	Start       time.Time       `json:"start"`
}

// PlanOutcome is what the bot may answer to a proposal.
type PlanOutcome string

const (
	PlanAccepted       PlanOutcome = "accept"    // fits the creditor's policy: agreed
	PlanCountered      PlanOutcome = "counter"   // a plan that fits is offered instead
	PlanNeedsCollector PlanOutcome = "collector" // only a person may decide
)

// Reasons a proposal was not accepted as asked. Stable machine codes: the
// dialogs turn them into words, the console shows them.
const (
	PlanReasonTooManyTerms     = "too-many-terms"
	PlanReasonBelowMinimum     = "below-minimum-installment"
	PlanReasonDownPayment      = "down-payment-required"
	PlanReasonStartInPast      = "start-in-past"
	PlanReasonStartTooLate     = "start-too-late"
	PlanReasonNoProposal       = "incomplete-proposal" // neither Monthly nor Terms
	PlanReasonJudicialStage    = "judicial-stage"
	PlanReasonDisputed         = "disputed"
	PlanReasonOnHold           = "on-hold"
	PlanReasonNothingOpen      = "nothing-open"
	PlanReasonAbovePolicy      = "above-policy" // even a counter would need more than 2× MaxTerms
	PlanReasonInterestEstimate = "interest-estimate-failed"
)

// PlanDecision is the answer to a proposal. Plan is the accepted plan
// (Status active), the counter-offer (Status pending: the debtor has to
// agree) or, for a collector, the debtor's own proposal as a schedule
// (Status pending: a collector has to approve).
type PlanDecision struct {
	Outcome PlanOutcome `json:"outcome"`
	Plan    Plan        `json:"plan"`
	Reasons []string    `json:"reasons"`
}

// policyFor returns the case's policy, or DefaultPlanPolicy when the case
// carries none (every field zero).
func policyFor(c *Case) PlanPolicy {
	p := c.Policy
	if p.MaxTerms == 0 && p.MinInstallment.IsZero() && p.DownPaymentPct.IsZero() && !p.InterestDuringPlan && p.MaxPromiseDays == 0 {
		return DefaultPlanPolicy
	}
	if p.MaxTerms < 1 {
		p.MaxTerms = 1
	}
	return p
}

// planAsk is a proposal made concrete against the open balance.
type planAsk struct {
	down    decimal.Decimal
	terms   int
	first   time.Time
	monthly decimal.Decimal // what the debtor can pay a month; zero if unknown
}

// EvaluatePlan decides on a debtor's proposal p for case c with balance b.
//
// A person decides (PlanNeedsCollector) when the case is in the judicial
// stage (Gerechtelijk, Executie), an invoice is disputed or the case is on
// hold, nothing is open, or the debtor offers so little a month that even a
// counter-offer at that amount (raised to MinInstallment) would need more
// than twice the policy's MaxTerms (PlanReasonAbovePolicy): asking a debtor
// to pay more than double what they offered is a conversation for a
// collector, not for the bot.
//
// Otherwise the proposal is accepted when it fits the policy: at most
// MaxTerms monthly installments (down payment not counted), each at least
// MinInstallment (unless one installment pays everything), a down payment
// of at least DownPaymentPct of the total, and a first due date not in the
// past and no later than the later of one month and MaxPromiseDays from
// today. If not, the counter-offer is the fewest terms at the debtor's
// monthly amount (raised to MinInstallment), capped at MaxTerms, with the
// required down payment and a first date moved into range.
//
// With InterestDuringPlan the statutory interest on the open principal until
// each installment is added to the plan's total (see projectInterest).
func EvaluatePlan(c *Case, b Breakdown, p Proposal, today time.Time) PlanDecision {
	today = asDay(today)
	pol := policyFor(c)
	total := b.Total.Open
	ask := readProposal(p, total, today, pol)

	var personal []string
	if c.Stage.Judicial() {
		personal = append(personal, PlanReasonJudicialStage)
	}
	if caseDisputed(c) {
		personal = append(personal, PlanReasonDisputed)
	} else if c.Status == StatusOnHold {
		personal = append(personal, PlanReasonOnHold)
	}
	if !total.IsPositive() {
		personal = append(personal, PlanReasonNothingOpen)
		return PlanDecision{Outcome: PlanNeedsCollector, Plan: Plan{CaseID: c.ID, Status: PlanPending, Total: decimal.Zero, DownPayment: decimal.Zero}, Reasons: personal}
	}
	if len(personal) > 0 {
		return decide(c, b, pol, PlanNeedsCollector, ask, personal)
	}

	reasons := policyBreaches(ask, total, today, pol)
	if len(reasons) == 0 {
		return decide(c, b, pol, PlanAccepted, ask, nil)
	}
	counter, ok := counterOffer(ask, total, today, pol)
	if !ok {
		return decide(c, b, pol, PlanNeedsCollector, ask, append(reasons, PlanReasonAbovePolicy))
	}
	return decide(c, b, pol, PlanCountered, counter, reasons)
}

func caseDisputed(c *Case) bool {
	for _, inv := range c.Invoices {
		if inv.Status == InvoiceDisputed {
			return true
		}
	}
	return false
}

// readProposal turns p into down payment, terms and first date.
func readProposal(p Proposal, total decimal.Decimal, today time.Time, pol PlanPolicy) planAsk {
	ask := planAsk{down: RoundCents(decimal.Min(decimal.Max(p.DownPayment, decimal.Zero), total)), first: asDay(p.Start)}
	if p.Start.IsZero() {
		ask.first = addMonths(today, 1)
	}
	rest := total.Sub(ask.down)
	switch {
	case !rest.IsPositive():
		ask.terms = 0
	case p.Terms > 0:
		ask.terms = p.Terms
		ask.monthly = rest.Div(decimal.NewFromInt(int64(p.Terms)))
	case p.Monthly.IsPositive():
		ask.monthly = p.Monthly
		ask.terms = termsAt(rest, p.Monthly, pol.MinInstallment)
	}
	return ask
}

// termsAt is the fewest monthly terms that pay rest at monthly a month,
// without the equal installments dropping below minimum.
func termsAt(rest, monthly, minimum decimal.Decimal) int {
	n := rest.Div(monthly).Ceil().IntPart()
	if minimum.IsPositive() {
		n = min(n, rest.Div(minimum).Floor().IntPart())
	}
	return int(max(n, 1))
}

// latestStart is the furthest first due date the policy allows.
func latestStart(today time.Time, pol PlanPolicy) time.Time {
	byPromise := today.AddDate(0, 0, pol.MaxPromiseDays)
	if nextMonth := addMonths(today, 1); nextMonth.After(byPromise) {
		return nextMonth
	}
	return byPromise
}

func policyBreaches(ask planAsk, total decimal.Decimal, today time.Time, pol PlanPolicy) []string {
	var r []string
	rest := total.Sub(ask.down)
	if rest.IsPositive() && ask.terms == 0 {
		r = append(r, PlanReasonNoProposal)
	}
	if ask.terms > pol.MaxTerms {
		r = append(r, PlanReasonTooManyTerms)
	}
	offered := installmentOf(rest, max(ask.terms, 1))
	if ask.monthly.IsPositive() {
		offered = decimal.Min(offered, ask.monthly)
	}
	if ask.terms > 1 && offered.LessThan(pol.MinInstallment) {
		r = append(r, PlanReasonBelowMinimum)
	}
	if ask.down.LessThan(requiredDown(total, pol)) {
		r = append(r, PlanReasonDownPayment)
	}
	if ask.first.Before(today) {
		r = append(r, PlanReasonStartInPast)
	} else if ask.first.After(latestStart(today, pol)) {
		r = append(r, PlanReasonStartTooLate)
	}
	return r
}

func requiredDown(total decimal.Decimal, pol PlanPolicy) decimal.Decimal {
	return RoundCents(total.Mul(pol.DownPaymentPct))
}

// installmentOf is the regular installment of Schedule: rest / terms,
// rounded down to the cent.
func installmentOf(rest decimal.Decimal, terms int) decimal.Decimal {
	return rest.Div(decimal.NewFromInt(int64(terms))).RoundFloor(2)
}

// counterOffer builds a plan within policy from the debtor's ask; false when
// the debtor's monthly amount would need more than 2× MaxTerms.
func counterOffer(ask planAsk, total decimal.Decimal, today time.Time, pol PlanPolicy) (planAsk, bool) {
	out := ask
	out.down = decimal.Max(ask.down, requiredDown(total, pol))
	rest := total.Sub(out.down)
	switch {
	case !rest.IsPositive():
		out.terms = 0
	case !ask.monthly.IsPositive(): // no offer: the longest plan the policy allows
		out.terms = pol.MaxTerms
		if pol.MinInstallment.IsPositive() {
			out.terms = int(max(1, min(int64(pol.MaxTerms), rest.Div(pol.MinInstallment).Floor().IntPart())))
		}
	default:
		n := termsAt(rest, decimal.Max(ask.monthly, pol.MinInstallment), pol.MinInstallment)
		if n > 2*pol.MaxTerms {
			return ask, false
		}
		out.terms = min(n, pol.MaxTerms)
	}
	if out.first.Before(today) {
		out.first = addMonths(today, 1)
	}
	if latest := latestStart(today, pol); out.first.After(latest) {
		out.first = latest
	}
	return out, true
}

// decide builds the plan for ask (adding projected interest when the policy
// says so) and wraps it in a decision.
func decide(c *Case, b Breakdown, pol PlanPolicy, outcome PlanOutcome, ask planAsk, reasons []string) PlanDecision {
	total := b.Total.Open
	if pol.InterestDuringPlan {
		extra, err := projectInterest(InterestKindFor(c.Regime), b, ask)
		if err != nil {
			// A rate is missing for the plan period: a person must look.
			outcome, reasons = PlanNeedsCollector, append(reasons, PlanReasonInterestEstimate)
		} else {
			total = total.Add(extra)
		}
	}
	status := PlanPending
	if outcome == PlanAccepted {
		status = PlanActive
	}
	plan := Plan{
		CaseID: c.ID, Status: status, Total: total, DownPayment: ask.down,
		Installments:       Schedule(total, ask.down, ask.terms, ask.first),
		InterestDuringPlan: pol.InterestDuringPlan,
	}
	if reasons == nil {
		reasons = []string{}
	}
	return PlanDecision{Outcome: outcome, Plan: plan, Reasons: reasons}
}

// projectInterest estimates the statutory interest that runs while the plan
// is paid. Method: interest runs only on the open principal
// (InvoiceBalance.PrincipalOpen: what a part-payment left of it under art.
// 6:44 BW; never on unpaid costs or interest); each installment first pays
// the open costs and interest, then principal; interest runs from the day
// after AsOf up to and including each due date, at the rate in force
// (Interest, so NL yearly compounding applies), without compounding across
// installments since plans last at most a few years.
// The installments depend on the total, which depends on the interest, so
// the estimate is iterated to a fixed point. More installment means less
// interest, so the rounds alternate around it and narrow; with cents they
// can end alternating between two figures a cent apart, and then the lower
// one is taken (the debtor's benefit of the doubt). It always settles well
// within maxProjectionRounds.
func projectInterest(kind InterestKind, b Breakdown, ask planAsk) (decimal.Decimal, error) {
	principal := decimal.Zero
	for _, inv := range b.Invoices {
		principal = principal.Add(inv.PrincipalOpen)
	}
	principal = decimal.Min(principal, b.Total.Open)
	other := b.Total.Open.Sub(principal)
	seen := map[string]bool{}
	extra, prev := decimal.Zero, decimal.Zero
	for round := range maxProjectionRounds {
		sched := Schedule(b.Total.Open.Add(extra), ask.down, ask.terms, ask.first)
		got, err := interestAlong(kind, principal, other, asDay(b.AsOf).AddDate(0, 0, 1), sched)
		if err != nil {
			return decimal.Zero, err
		}
		if got.Equal(extra) {
			return got, nil
		}
		if round > 0 && seen[got.String()] { // a two-figure cycle: take the lower
			return decimal.Min(got, extra), nil
		}
		seen[extra.String()] = true
		prev, extra = extra, got
	}
	return decimal.Min(prev, extra), nil
}

// maxProjectionRounds bounds projectInterest; the rounds narrow by the
// ratio of a month's interest to the total (well under 1%), so a handful
// suffice.
const maxProjectionRounds = 50

func interestAlong(kind InterestKind, principal, other decimal.Decimal, from time.Time, sched []Installment) (decimal.Decimal, error) {
	sum := decimal.Zero
	for _, in := range sched {
		to := in.Due.AddDate(0, 0, 1)
		if to.After(from) {
			i, err := Interest(kind, principal, from, to)
			if err != nil {
				return decimal.Zero, err
			}
			sum, other, from = sum.Add(i), other.Add(i), to
		}
		pay := in.Amount
		toOther := decimal.Min(pay, other)
		other = other.Sub(toOther)
		principal = decimal.Max(decimal.Zero, principal.Sub(pay.Sub(toOther)))
	}
	return sum, nil
}

// Schedule lays out a plan: the down payment (if positive) as installment 1
// due on first, then `terms` monthly installments on the same day of each
// following month (clamped to the month's end: 31 Jan → 28/29 Feb → 31 Mar);
// without a down payment the first monthly installment is due on first.
// The monthly installments are equal, rounded down to the cent, with the
// remainder in the LAST one, so they sum to total exactly, none is negative
// and the last exceeds the others by less than `terms` cents.
//
// total is rounded to the cent; downPayment is clamped to [0, total]. terms
// below 1 is read as 1, unless the down payment pays everything (then the
// schedule is that one payment).
func Schedule(total, downPayment decimal.Decimal, terms int, first time.Time) []Installment {
	total = RoundCents(decimal.Max(total, decimal.Zero))
	down := RoundCents(decimal.Min(decimal.Max(downPayment, decimal.Zero), total))
	first = asDay(first)
	var out []Installment
	offset := 0
	if down.IsPositive() {
		out = append(out, Installment{Seq: 1, Due: first, Amount: down})
		offset = 1
	}
	rest := total.Sub(down)
	if !rest.IsPositive() && len(out) > 0 {
		return out
	}
	terms = max(terms, 1)
	each := installmentOf(rest, terms)
	for k := range terms {
		amt := each
		if k == terms-1 {
			amt = rest.Sub(each.Mul(decimal.NewFromInt(int64(terms - 1))))
		}
		out = append(out, Installment{Seq: len(out) + 1, Due: addMonths(first, k+offset), Amount: amt})
	}
	return out
}
