package dialogs

import (
	"slices"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Answers from the case as it is: "how is my dispute", "when is my next
// installment", "did you receive my payment", a paid or closed case, who we
// are, and the closers. Nothing here files anything: it reads View.

// onFile is what is on file for the verified case.
func (t *turn) onFile() OnFile {
	if t.c == nil {
		return OnFile{}
	}
	return t.v.OnFile[t.c.ID]
}

// settled reports whether nothing is to be paid on the case any more.
func (t *turn) settled() bool {
	return t.c.Status == casestore.StatusPaid || t.c.Status == casestore.StatusClosed
}

// sayNothingOpen tells a paid or closed case's debtor that nothing is due.
func (t *turn) sayNothingOpen() {
	lang := t.st.language()
	if t.c.Status == casestore.StatusClosed {
		t.say(kCaseClosed, "ref", t.c.Ref)
		return
	}
	t.say(kCaseNothingOpen, "ref", t.c.Ref, "open", Money(lang, decimal.Zero))
}

// stageWarranted reports whether the stage paragraph (what happens if
// nothing is paid) fits the case: it is open, with no plan running, no
// dispute or payment check pending and no promise to wait for.
func (t *turn) stageWarranted(b casestore.Breakdown) bool {
	if t.c.Status != casestore.StatusOpen || onHold(b) || !b.Total.Open.IsPositive() {
		return false
	}
	return t.activePlan() == nil && t.pendingPlan() == nil && t.openPromise() == nil && len(t.openDisputes()) == 0
}

func (t *turn) activePlan() *casestore.Plan {
	for _, p := range slices.Backward(t.onFile().Plans) {
		if p.Status == casestore.PlanActive {
			return p
		}
	}
	return nil
}

func (t *turn) pendingPlan() *casestore.Plan {
	for _, p := range slices.Backward(t.onFile().Plans) {
		if p.Status == casestore.PlanPending {
			return p
		}
	}
	return nil
}

func (t *turn) openPromise() *casestore.Promise {
	for _, p := range slices.Backward(t.onFile().Promises) {
		if p.Status == casestore.PromiseOpen && !p.Date.Before(t.today) {
			return p
		}
	}
	return nil
}

func (t *turn) openDisputes() []*casestore.Dispute {
	var out []*casestore.Dispute
	for _, d := range t.onFile().Disputes {
		if d.Status == casestore.DisputeOpen {
			out = append(out, d)
		}
	}
	return out
}

// disputeSubject is "factuur X" or "het dossier".
func (t *turn) disputeSubject(d *casestore.Dispute) string {
	if d.InvoiceID != nil {
		if inv := t.invoice(*d.InvoiceID); inv != nil {
			return render(t.st.language(), kWhatInvoice, "number", inv.Number)
		}
	}
	return render(t.st.language(), kWhatCase)
}

// caseStatus answers a question about what is on file: every dispute,
// the plan, the promise and the payments, then what is left to pay.
func (t *turn) caseStatus() {
	lang := t.st.language()
	t.st.Flow = Scratch{}
	said := false
	for _, d := range t.onFile().Disputes {
		switch {
		case d.Status == casestore.DisputeOpen:
			t.say(kDisputeOnFile, "what", t.disputeSubject(d), "date", day(lang, casestore.DayOf(d.CreatedAt)))
		case d.ResolvedAt != nil && d.Status == casestore.DisputeUpheld:
			t.say(kDisputeUpheldOnFile, "what", t.disputeSubject(d), "date", day(lang, casestore.DayOf(*d.ResolvedAt)))
		case d.ResolvedAt != nil && d.Status == casestore.DisputeRejected:
			t.say(kDisputeRejectedOnFile, "what", t.disputeSubject(d), "date", day(lang, casestore.DayOf(*d.ResolvedAt)))
		default:
			continue
		}
		said = true
	}
	if t.activePlan() != nil || t.pendingPlan() != nil || t.openPromise() != nil {
		t.sayOnFile()
		said = true
	}
	if n := len(t.c.Payments); n > 0 {
		last := t.c.Payments[n-1]
		t.say(kLastPayment, "amount", Money(lang, last.Amount), "date", day(lang, last.ValueDate), "paid", Money(lang, paidTotal(t.c)))
	} else if !said || t.openPromise() != nil {
		t.say(kNoPaymentYet)
	}
	t.sayWhatIsLeft()
	t.entry(t.c.ID, "status.shown", casestore.ActorBot, map[string]any{"lang": lang})
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// sayOnFile mentions the running plan, a pending plan and a promise on
// file, with the balance: the debtor sees the case as it is.
func (t *turn) sayOnFile() {
	lang := t.st.language()
	if p := t.activePlan(); p != nil {
		if next, n := nextInstallment(p, t.today); next != nil {
			t.say(kPlanOnFile, "amount", Money(lang, next.Amount), "date", day(lang, next.Due), "n", itoa(n), "terms", itoa(len(p.Installments)))
		}
	} else if p := t.pendingPlan(); p != nil {
		t.say(kPlanPendingOnFile, "terms", itoa(len(p.Installments)), "total", Money(lang, p.Total))
	}
	if p := t.openPromise(); p != nil {
		t.say(kPromiseOnFile, "amount", Money(lang, p.Amount), "date", day(lang, p.Date))
	}
}

// nothingToPay answers a request to pay or arrange payment on a paid or
// closed case; false when something is open.
func (t *turn) nothingToPay() bool {
	if t.sayOverpaid() {
		t.backToMenu()
		return true
	}
	if !t.settled() {
		return false
	}
	t.sayNothingOpen()
	t.say(kAnythingElse)
	t.st.Flow = Scratch{}
	t.st.Node, t.st.Menu = NodeMenu, menuItems(t.c)
	return true
}

// paymentOnFile answers "I already paid" when the payment is on file: the
// amount named matches a booked payment, or no amount was named and the
// case is paid. False when it must be reported for a collector to check.
func (t *turn) paymentOnFile() bool {
	amounts := positive(t.u.Amounts)
	if n := paidNumber(t.u); len(amounts) == 0 && n.IsPositive() {
		amounts = []decimal.Decimal{n}
	}
	if len(amounts) == 0 {
		return t.nothingToPay()
	}
	for _, p := range slices.Backward(t.c.Payments) {
		if !p.Amount.Equal(amounts[0]) {
			continue
		}
		lang := t.st.language()
		t.say(kPaymentOnFile, "amount", Money(lang, p.Amount), "date", day(lang, p.ValueDate))
		t.sayWhatIsLeft()
		t.say(kAnythingElse)
		t.st.Flow = Scratch{}
		t.st.Node, t.st.Menu = NodeMenu, menuItems(t.c)
		return true
	}
	return false
}

// sayWhatIsLeft says the open total, or that nothing is open.
func (t *turn) sayWhatIsLeft() {
	if t.settled() {
		t.sayNothingOpen()
		return
	}
	b, ok := t.breakdown()
	if !ok {
		return
	}
	if !b.Total.Open.IsPositive() {
		t.sayNothingOpen()
		return
	}
	t.say(kCaseOpenLeft, "ref", t.c.Ref, "open", Money(t.st.language(), b.Total.Open))
}

// nextInstallment is the first installment due today or later, with its
// number.
func nextInstallment(p *casestore.Plan, today time.Time) (*casestore.Installment, int) {
	for i := range p.Installments {
		if !p.Installments[i].Due.Before(today) {
			return &p.Installments[i], p.Installments[i].Seq
		}
	}
	return nil, 0
}

func paidTotal(c *casestore.Case) decimal.Decimal {
	sum := decimal.Zero
	for _, p := range c.Payments {
		sum = sum.Add(p.Amount)
	}
	return sum
}

// aboutUs says who we are and how to check it; about the case only after
// verification.
func (t *turn) aboutUs() {
	name := strings.TrimSpace(t.v.Agency.Name)
	if name == "" {
		name = "incassobot"
	}
	t.say(kAboutUs, "agency", name)
	if c := strings.TrimSpace(t.v.Agency.Contact); c != "" {
		t.say(kAboutUsContact, "contact", c)
	}
	if t.c == nil {
		if t.st.PendingIntent == "" {
			// After identification the question is answered for the case.
			t.st.PendingIntent, t.st.PendingText = IntentAboutUs, ""
		}
		t.droppable = append(t.droppable, len(t.parts))
		t.say(kAboutUsVerify)
		t.identify()
		return
	}
	lang := t.st.language()
	invs := make([]string, 0, len(t.c.Invoices))
	for _, inv := range t.c.Invoices {
		what := render(lang, kWhatInvoice, "number", inv.Number)
		if inv.Description != "" {
			what += " (" + inv.Description + ")"
		}
		invs = append(invs, what)
	}
	t.say(kAboutUsCase, "ref", t.c.Ref, "creditor", t.c.Creditor.Name, "invoices", strings.Join(invs, ", "))
	if slices.Contains(t.u.Also, IntentBalance) {
		// "wat staat er open en wie is de schuldeiser?": both answered.
		t.showBalance()
		return
	}
	t.say(kAnythingElse)
	t.st.Flow = Scratch{}
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// closer answers a thank-you or an ok: never a "sorry", never the menu. A
// question left open is dropped: the debtor has closed it.
func (t *turn) closer() {
	if t.c != nil && t.finishFlow() {
		return
	}
	t.say(kThanksReply)
	if t.c != nil {
		t.st.Flow = Scratch{}
		t.st.Node = NodeMenu
		t.st.Menu = menuItems(t.c)
	}
}

// finishFlow files what a flow has collected when the debtor closes it
// before its optional questions (account, reference, evidence, own words)
// are answered: "dank u" after the reason of a dispute or the date and
// amount of a payment means "that is all". False when the flow lacks what
// it must have, or there is no flow.
func (t *turn) finishFlow() bool {
	f := &t.st.Flow
	switch t.st.Node {
	case NodeDisputeText, NodeDisputeProof:
		if f.Reason == "" || !f.InvoiceSet {
			return false
		}
		f.TextDone, f.ProofDone = true, true
		t.disputeNext()
		return true
	case NodePaidDetails, NodePaidAccount, NodePaidReference, NodePaidProof:
		if !f.InvoiceSet {
			return false
		}
		f.DetailsDone, f.AccountDone, f.ReferenceDone, f.ProofDone = true, true, true, true
		t.paidNext()
		return true
	}
	return false
}

// onFileAnswers answers a request from what is on file when the case
// already holds what it asks for: "wanneer moet ik weer betalen voor de
// regeling" in a running plan is no new plan, a dispute asked again while
// one is open is its status, "I'll pay" with a promise on file and no new
// day is that promise. A debtor in a plan who asks to pay a term later gets
// the plan and a collector who can move the term. False when the request
// is new.
func (t *turn) onFileAnswers(i Intent) bool {
	proposes := len(positive(t.u.Amounts)) > 0 || t.u.Terms > 0
	plan := t.activePlan()
	switch i {
	case IntentPlan, IntentPromise:
		if plan != nil && !proposes && (i == IntentPromise || len(t.u.Dates) > 0 || hasAny(t.low, "later", "uitstel", "verschuiv", "opschuiv", "postpone", "delay", "reporter", "plus tard")) {
			t.planTermLater()
			return true
		}
		if (plan != nil || t.pendingPlan() != nil) && !proposes && i == IntentPlan {
			t.caseStatus()
			return true
		}
		if i == IntentPromise && t.openPromise() != nil && len(t.u.Dates) == 0 && !proposes {
			t.caseStatus()
			return true
		}
	case IntentDispute:
		if len(t.openDisputes()) > 0 && !t.namesUndisputedInvoice() {
			t.caseStatus()
			return true
		}
	}
	return false
}

// namesUndisputedInvoice reports whether the message names an invoice
// that no open dispute covers.
func (t *turn) namesUndisputedInvoice() bool {
	low := strings.ToLower(t.text)
	for _, inv := range t.c.Invoices {
		if inv.Number == "" || !strings.Contains(low, strings.ToLower(inv.Number)) {
			continue
		}
		covered := false
		for _, d := range t.openDisputes() {
			covered = covered || d.InvoiceID == nil || *d.InvoiceID == inv.ID
		}
		if !covered {
			return true
		}
	}
	return false
}

// planTermLater answers a debtor in a plan who cannot pay a term on its
// day: the plan as it stands, and a collector asked to look at moving the
// term (the bot does not change an agreed plan on its own).
func (t *turn) planTermLater() {
	t.sayOnFile()
	due := workdaysAfter(t.today, 1)
	t.effect(CollectorTask{CaseID: t.c.ID, Topic: "plan.change", Summary: clip(t.text, 200), Due: due, Priority: PriorityNormal})
	t.entry(t.c.ID, "plan.change_asked", actorDebtor, map[string]any{"text": clip(t.text, 500)})
	t.say(kPlanChangeAsked, "date", day(t.st.language(), due))
	t.say(kAnythingElse)
	t.st.Flow = Scratch{}
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// refusal answers "ik betaal helemaal niks" without a reason: no
// commitment, no pressure, the ways out.
func (t *turn) refusal() {
	t.say(kRefusal)
	if t.c != nil {
		t.entry(t.c.ID, "refusal.heard", actorDebtor, map[string]any{"text": clip(t.text, 500)})
		t.st.Flow = Scratch{}
		t.st.Node = NodeMenu
		t.st.Menu = menuItems(t.c)
	}
}
