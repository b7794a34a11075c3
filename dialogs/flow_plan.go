package dialogs

import (
	"strings"

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
	if p, ok := t.proposal(); ok {
		t.evaluatePlan(p)
		return true
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
// next amount (or the only one) is the monthly installment.
func (t *turn) proposal() (casestore.Proposal, bool) {
	u := t.u
	p := casestore.Proposal{Terms: max(u.Terms, 0)}
	down := hasAny(" "+t.low+" ", " nu ", " nu,", "direct", "meteen", "aanbetaling", "vooraf",
		" now", "right away", "up front", "upfront", "down payment", "maintenant", "tout de suite", "acompte", "immédiatement")
	amounts := positive(u.Amounts)
	switch {
	case down && len(amounts) > 0:
		p.DownPayment = amounts[0]
		if len(amounts) > 1 {
			p.Monthly = amounts[1]
		}
		p.Start = t.today
		if p.Terms == 0 && p.Monthly.IsZero() {
			p.Terms = 1 // "… nu en de rest in april": the rest in one go
		}
	case len(amounts) > 0:
		p.Monthly = amounts[0]
	}
	if len(u.Dates) > 0 && !down {
		p.Start = casestore.DayOf(u.Dates[0])
	}
	ok := p.Terms > 0 || p.Monthly.IsPositive() || p.DownPayment.IsPositive()
	return p, ok
}

// evaluatePlan asks the policy and shows its answer.
func (t *turn) evaluatePlan(p casestore.Proposal) {
	b, ok := t.breakdown()
	if !ok {
		return
	}
	d := casestore.EvaluatePlan(t.c, b, p, t.today)
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
	t.parts = append(t.parts, strings.Join(lines, "\n"))
}

func (t *turn) sayReasons(reasons []string) {
	for _, r := range reasons {
		if k, ok := planReasonTexts[r]; ok {
			t.say(k)
		}
	}
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
