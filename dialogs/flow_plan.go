package dialogs

import (
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Installment plan (betalingsregeling): read a proposal from free text,
// evaluate it against the creditor's policy (casestore.EvaluatePlan), and
// confirm the dated schedule, offer the counter-proposal, or route it to a
// collector (judicial stage, disputes, far above policy).

// planDecisionDays is how many working days a collector has to decide.
const planDecisionDays = 5

var planReasonTexts = map[string]msgKey{
	casestore.PlanReasonTooManyTerms: kPlanWhyTerms,
	casestore.PlanReasonBelowMinimum: kPlanWhyMinimum,
	casestore.PlanReasonDownPayment:  kPlanWhyDown,
	casestore.PlanReasonStartInPast:  kPlanWhyPast,
	casestore.PlanReasonStartTooLate: kPlanWhyLate,
}

func (t *turn) startPlan() {
	if t.nothingToPay() {
		return
	}
	if p, ok := t.proposal(); ok {
		t.evaluatePlan(p)
		return
	}
	t.st.Node = NodePlanAsk
	if t.c.Stage.Judicial() {
		t.say(kPlanJudicialNote)
	}
	t.say(kPlanAsk)
}

// planAnswer reads a proposal, or yes/no to the schedule shown.
func (t *turn) planAnswer() bool {
	if t.st.Node == NodePlanConfirm && t.st.Flow.Plan != nil && isBareNumber(t.text) && (t.u.Choice == 1 || t.u.Choice == 2) {
		// "1" or "2" answers the Ja/Nee buttons: never a €1 a month offer.
		t.u.Yes, t.u.No = t.u.Choice == 1, t.u.Choice == 2
		t.u.Amounts, t.u.Numbers = nil, nil
	}
	if p, ok := t.proposal(); ok {
		t.evaluatePlan(p)
		return true
	}
	if t.u.Intent == IntentPromise && len(t.u.Dates) > 0 || t.u.Intent == IntentPayNow && !t.u.Yes {
		// "nee wacht, ik betaal het toch allemaal volgende week vrijdag",
		// "laat maar, stuur de link": the debtor changed their mind; the
		// plan shown is dropped and the new request taken.
		t.st.Flow = Scratch{}
		return t.startIntent(t.u.Intent)
	}
	if t.st.Node != NodePlanConfirm || t.st.Flow.Plan == nil {
		return false
	}
	switch {
	case t.u.Yes:
		t.agreePlan()
	case t.u.No:
		t.st.Flow = Scratch{}
		t.st.Node = NodePlanAsk
		t.say(kPlanDeclined)
	default:
		return false
	}
	return true
}

// proposal reads "50 euro per maand", "in 6 termijnen", "€ 1.234,56 nu en
// de rest in april". An amount said to be paid now is a down payment; the
// next amount (or the only one) is the regular installment. At the plan's
// own question a bare number is an amount ("50 dan"). "N termijnen" counts
// every payment the debtor makes: where the policy asks a down payment and
// an N-th of the total covers it, the first of the N is the down payment.
func (t *turn) proposal() (casestore.Proposal, bool) {
	u := t.u
	p := casestore.Proposal{Terms: max(u.Terms, 0)}
	down := hasAny(" "+t.low+" ", " nu ", " nu,", "direct", "meteen", "aanbetaling", "vooraf", " eerst ", "alvast", " first ", "d'abord", "d abord",
		" now", "right away", "up front", "upfront", "down payment", "maintenant", "tout de suite", "acompte", "immédiatement")
	amounts := positive(u.Amounts)
	if len(amounts) == 0 && (t.st.Node == NodePlanAsk || t.st.Node == NodePlanConfirm || u.Intent == IntentPlan) {
		for _, n := range u.Numbers {
			if n > 0 && (n >= 10 || t.st.Node == NodePlanAsk) && u.Choice == 0 {
				amounts = append(amounts, decimal.NewFromInt(int64(n)))
			}
		}
	}
	rest := hasAny(" "+t.low+" ", " rest ", " rest,", "restant", "resterend", "remainder", " the rest", " le reste", " reste ")
	switch {
	case down && len(amounts) == 1 && len(u.Numbers) > 0 && u.Numbers[0] >= 10 && len(positive(u.Amounts)) == 1:
		// "eerst 100 en dan 50 per maand": the bare number is paid first,
		// the amount with its period is the installment.
		p.DownPayment, p.Monthly, p.Start = decimal.NewFromInt(int64(u.Numbers[0])), amounts[0], t.today
	case down && len(amounts) > 0:
		p.DownPayment = amounts[0]
		if len(amounts) > 1 {
			p.Monthly = amounts[1]
		}
		p.Start = t.today
		if rest && len(amounts) == 1 && p.Terms >= 2 && termsBeforeDown(t.low) {
			// "in 2 termijnen: 100 nu en de rest in januari": the terms
			// count the down payment too.
			p.Terms--
		}
		if p.Terms == 0 && p.Monthly.IsZero() {
			p.Terms = 1 // "… nu en de rest in april": the rest in one go
		}
	case len(amounts) > 0:
		p.Monthly = amounts[0]
	}
	if len(u.Dates) > 0 && !down {
		p.Start = casestore.DayOf(u.Dates[0])
	}
	if p.Terms >= 2 && p.DownPayment.IsZero() && p.Monthly.IsZero() {
		t.firstTermAsDown(&p)
	}
	ok := p.Terms > 0 || p.Monthly.IsPositive() || p.DownPayment.IsPositive()
	return p, ok
}

// isBareNumber reports whether text is only digits.
func isBareNumber(text string) bool {
	text = strings.Trim(strings.TrimSpace(text), ".")
	if text == "" {
		return false
	}
	for _, r := range text {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// termsBeforeDown reports whether the number of terms is named before the
// down payment ("in 2 termijnen, 100 nu en de rest …"): then it counts
// every payment, the down payment included.
func termsBeforeDown(low string) bool {
	terms := strings.Index(low, "termijn")
	if terms < 0 {
		terms = strings.Index(low, "install")
	}
	if terms < 0 {
		terms = strings.Index(low, "fois")
	}
	now := strings.Index(low, " nu")
	if now < 0 {
		now = strings.Index(low, " now")
	}
	if now < 0 {
		now = strings.Index(low, "maintenant")
	}
	return terms >= 0 && now > terms
}

// firstTermAsDown makes the first of N equal payments the down payment when
// the policy asks one and an N-th of the total covers it, so "in 4
// termijnen" is four payments, not a down payment and four more.
func (t *turn) firstTermAsDown(p *casestore.Proposal) {
	pol := t.c.Policy
	if !pol.DownPaymentPct.IsPositive() {
		return
	}
	share := decimal.NewFromInt(1).Div(decimal.NewFromInt(int64(p.Terms)))
	if share.LessThan(pol.DownPaymentPct) {
		return
	}
	open, ok := t.openTotal()
	if !ok || !open.IsPositive() {
		return
	}
	p.DownPayment = casestore.RoundCents(open.Div(decimal.NewFromInt(int64(p.Terms))))
	p.Terms--
	if p.Start.IsZero() {
		p.Start = t.today
	}
}

// evaluatePlan asks the policy and shows its answer.
func (t *turn) evaluatePlan(p casestore.Proposal) {
	b, ok := t.breakdown()
	if !ok {
		return
	}
	weekly := decimal.Zero
	if t.u.Weekly && p.Monthly.IsPositive() && p.Terms == 0 {
		// The policy counts months: a weekly amount is weighed as its
		// monthly equivalent, and an accepted plan is paid weekly.
		weekly = p.Monthly
		p.Monthly = weekly.Mul(decimal.NewFromInt(52)).Div(decimal.NewFromInt(12)).RoundFloor(2)
	}
	d := casestore.EvaluatePlan(t.c, b, p, t.today)
	switch {
	case weekly.IsPositive() && d.Outcome == casestore.PlanAccepted:
		d.Plan.Installments = weeklySchedule(d.Plan.Total, d.Plan.DownPayment, weekly, t.today)
	case p.Monthly.IsPositive() && p.Terms == 0 && d.Outcome == casestore.PlanAccepted:
		atOfferedAmount(&d.Plan, p.Monthly)
		if !regularIs(d.Plan, p.Monthly) {
			// The schedule the policy allows is not at the amount offered
			// ("15 per maand" becomes 8 terms of 15,80): shown as what is
			// possible instead, never as "that is possible".
			d.Outcome = casestore.PlanCountered
		}
	}
	if t.c.Stage.Judicial() && d.Outcome != casestore.PlanNeedsCollector {
		d.Outcome = casestore.PlanNeedsCollector // a judicial-stage plan always needs a person
		d.Plan.Status = casestore.PlanPending
	}
	plan := d.Plan
	plan.CaseID, plan.CreatedAt = t.c.ID, t.now
	t.entry(t.c.ID, casestore.EntryPlanProposed, actorDebtor, map[string]any{
		"proposal": p, "outcome": d.Outcome, "plan": plan, "reasons": d.Reasons,
	})
	switch d.Outcome {
	case casestore.PlanAccepted:
		t.say(kPlanAccept, "total", Money(t.st.language(), plan.Total))
		if weekly.IsPositive() {
			t.say(kPlanWeekly, "amount", Money(t.st.language(), weekly)) // "20 euro per week" stays per week
		}
	case casestore.PlanCountered:
		t.say(kPlanCounterIntro)
		t.sayReasons(d.Reasons)
		t.say(kPlanCounter, "total", Money(t.st.language(), plan.Total))
	default:
		t.planToCollector(plan, d.Reasons)
		return
	}
	t.saySchedule(plan)
	t.st.Flow = Scratch{Plan: &plan, Outcome: string(d.Outcome)}
	t.st.Node = NodePlanConfirm
	t.say(kPlanConfirm)
	t.options = []string{render(t.st.language(), kYes), render(t.st.language(), kNo)}
}

// agreePlan records the plan the debtor accepted.
func (t *turn) agreePlan() {
	plan := *t.st.Flow.Plan
	plan.Status = casestore.PlanActive
	plan.CaseID, plan.CreatedAt = t.c.ID, t.now
	t.effect(ProposePlan{Plan: plan})
	t.effect(SetCaseStatus{CaseID: t.c.ID, Status: casestore.StatusInPlan})
	t.entry(t.c.ID, "plan.accepted", actorDebtor, map[string]any{"plan": plan, "outcome": t.st.Flow.Outcome})
	t.st.Flow = Scratch{}
	lang := t.st.language()
	first := plan.Installments[0]
	t.say(kPlanAgreed, "amount", Money(lang, first.Amount), "date", day(lang, first.Due))
	if link := payLink(t.c); link != "" {
		t.say(kPayLink, "link", link)
	}
	t.sayBankShort()
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// planToCollector files the proposal for a collector's decision.
func (t *turn) planToCollector(plan casestore.Plan, reasons []string) {
	plan.Status = casestore.PlanPending
	due := workdaysAfter(t.today, planDecisionDays)
	if len(plan.Installments) > 0 {
		t.effect(ProposePlan{Plan: plan})
	}
	t.effect(CollectorTask{CaseID: t.c.ID, Topic: "plan.decide", Summary: strings.Join(reasons, ", "), Due: due, Priority: PriorityNormal})
	// A person decides in the console, from the chat (queued: the bot
	// keeps answering until a collector claims it).
	t.effect(Handoff{CaseID: t.c.ID, Reason: "plan outside policy", Priority: PriorityNormal})
	t.st.Flow = Scratch{}
	t.say(kPlanCollector, "date", day(t.st.language(), due))
	if t.c.Stage.Judicial() {
		t.say(kPlanJudicialNote)
	}
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// saySchedule lists the dated installments.
func (t *turn) saySchedule(plan casestore.Plan) {
	lang := t.st.language()
	lines := make([]string, 0, len(plan.Installments))
	for _, in := range plan.Installments {
		lines = append(lines, render(lang, kScheduleLine, "n", itoa(in.Seq), "date", day(lang, in.Due), "amount", Money(lang, in.Amount)))
	}
	t.parts = append(t.parts, strings.Join(lines, "\n"), planInterestLine(lang, t.c, plan))
}

func (t *turn) sayReasons(reasons []string) {
	for _, r := range reasons {
		if k, ok := planReasonTexts[r]; ok {
			t.say(k)
		}
	}
}

// atOfferedAmount makes each regular installment the amount the debtor
// offered, the last one the rest, on the schedule's own days: "50 per
// maand" is 50 a month, not 49.40. It leaves the plan alone when the
// schedule's count does not fit the amount.
func atOfferedAmount(plan *casestore.Plan, amount decimal.Decimal) {
	ins := plan.Installments
	first := 0
	if plan.DownPayment.IsPositive() {
		first = 1
	}
	n := len(ins) - first
	rest := plan.Total.Sub(plan.DownPayment)
	if n < 1 || amount.Mul(decimal.NewFromInt(int64(n))).LessThan(rest) || amount.Mul(decimal.NewFromInt(int64(n-1))).GreaterThanOrEqual(rest) {
		return
	}
	for i := first; i < len(ins)-1; i++ {
		ins[i].Amount = amount
	}
	ins[len(ins)-1].Amount = rest.Sub(amount.Mul(decimal.NewFromInt(int64(n - 1))))
}

// regularIs reports whether the plan's first regular installment (after
// any down payment) is amount.
func regularIs(plan casestore.Plan, amount decimal.Decimal) bool {
	for i, in := range plan.Installments {
		if i == 0 && plan.DownPayment.IsPositive() {
			continue
		}
		return in.Amount.Equal(amount)
	}
	return true
}

// weeklySchedule lays out total as the down payment (if any) today, then
// weekly installments of amount from a week on, the last one the rest.
func weeklySchedule(total, down, amount decimal.Decimal, today time.Time) []casestore.Installment {
	var out []casestore.Installment
	due := today
	if down.IsPositive() {
		out = append(out, casestore.Installment{Seq: 1, Due: today, Amount: down})
	}
	rest := total.Sub(down)
	for rest.IsPositive() {
		due = due.AddDate(0, 0, 7)
		pay := decimal.Min(amount, rest)
		out = append(out, casestore.Installment{Seq: len(out) + 1, Due: due, Amount: pay})
		rest = rest.Sub(pay)
	}
	return out
}

func positive(ds []decimal.Decimal) []decimal.Decimal {
	var out []decimal.Decimal
	for _, d := range ds {
		if d.IsPositive() {
			out = append(out, d)
		}
	}
	return out
}
