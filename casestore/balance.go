package casestore

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Balance computes what case c owes on asOf, per invoice and in total, and
// explains what the figures rest on (Breakdown.Explanation).
//
//   - Interest (InterestKindFor(c.Regime)) runs on each invoice's principal
//     from the day after its DueDate up to and including asOf (and up to
//     and including a payment's value date before the payment counts).
//     Belgian consumers (Book XIX WER) differ, see beConsumerRules: before
//     the free first reminder's wait is over only the principal is claimed;
//     interest runs from the due date at the late-payment rate only when
//     the contract's clause says so, otherwise at the statutory rate from
//     the formal notice (the reminder).
//   - Collection costs (CaseCosts) are computed once for the case and
//     allocated pro rata to its invoices, the rounding remainder on the
//     largest, so the invoice lines add up to the total exactly. They are
//     due from CostsFrom:
//     NL B2C: the day after LetterExpiry(*c.LetterSentOn), and only on the
//     invoices the debtor was in default on when the letter was sent (due
//     date before the sending day): art. 6:96 lid 6 BW requires the 14-day
//     letter to come after the default, so an invoice not yet due then is
//     outside its base;
//     BE B2C: the day after BEReminderExpiry(*c.LetterSentOn), and only
//     with a damages clause the reminder announced (art. XIX.4), within
//     the caps of art. XIX.4 §2;
//     B2B: the day after the earliest due date (with Creditor.
//     MinimumPerInvoice every invoice's share at least €40, C-585/20).
//     For consumers the costs are computed over the principal still unpaid
//     when they become due — what was paid counts against the principal
//     for this, so a consumer who pays the whole principal inside the term
//     owes no costs even when a few euros of interest are left (6:96 lid 6:
//     the letter offers to pay "the amount" without costs). For B2B they are
//     computed over the invoices' principals.
//     While asOf is before that day the costs are zero and Breakdown.CostsFrom
//     says when they may be charged. When a consumer case has no
//     LetterSentOn (or no invoice the letter covers, or no Belgian clause),
//     costs are zero and CostsFrom is nil; Explanation.CostsReason says why.
//   - Waived invoices contribute nothing (all amounts zero).
//   - Payments up to asOf, in value-date order, go per art. 6:44 BW first
//     to costs, then to interest accrued up to the value date, then to
//     principal; interest afterwards runs on what is left. A payment with
//     InvoiceID goes to that invoice only; one without goes to the invoices
//     by oldest due date. Money beyond what is owed stays visible in Paid
//     (on that invoice, or the newest one for an unassigned payment); Open
//     is never below zero. A reversed payment counts for nothing.
//
// ErrInvalid if the case is invalid, a payment amount is not positive or
// names an invoice not in the case, or an interest period starts before the
// rate table does.
func Balance(c *Case, asOf time.Time) (Breakdown, error) {
	if c == nil {
		return Breakdown{}, fmt.Errorf("balance: no case: %w", ErrInvalid)
	}
	if err := c.Validate(); err != nil {
		return Breakdown{}, err
	}
	asOf = asDay(asOf)
	l, err := newLedger(c)
	if err != nil {
		return Breakdown{}, err
	}
	payments, err := l.paymentsUpTo(asOf)
	if err != nil {
		return Breakdown{}, err
	}
	costsFrom, costsApply := l.costsStart()
	charged := false
	for _, p := range payments {
		if costsApply && !charged && !costsFrom.After(p.ValueDate) {
			if err := l.chargeCosts(); err != nil {
				return Breakdown{}, err
			}
			charged = true
		}
		if err := l.pay(p); err != nil {
			return Breakdown{}, err
		}
	}
	if costsApply && !charged && !costsFrom.After(asOf) {
		if err := l.chargeCosts(); err != nil {
			return Breakdown{}, err
		}
		charged = true
	}
	for _, cl := range l.claims {
		if err := cl.run.advance(asOf.AddDate(0, 0, 1)); err != nil {
			return Breakdown{}, fmt.Errorf("case %s invoice %s: %w", c.Ref, cl.inv.Number, err)
		}
	}
	b := l.breakdown(asOf)
	if costsApply && !charged {
		b.CostsFrom = &costsFrom
	}
	b.Explanation = l.explain(asOf, costsFrom, costsApply, charged)
	return b, nil
}

// claim is one invoice while the ledger runs.
type claim struct {
	inv     *Invoice
	waived  bool
	outside bool // a consumer's invoice not yet due when the letter / reminder was sent
	// settled: a Belgian consumer paid the whole principal within the
	// reminder's wait, so nothing more is owed on it (art. XIX.2 §1 WER).
	settled   bool
	run       *interestRun
	costs     decimal.Decimal // charged, excl. VAT
	vat       decimal.Decimal
	costsOpen decimal.Decimal // unpaid costs incl. VAT
	paid      decimal.Decimal
}

type ledger struct {
	c      *Case
	kind   InterestKind
	claims []*claim // in the case's invoice order
	byDue  []*claim // not waived, oldest due date first: order for unassigned payments
	// principalOnlyUntil: Belgian consumers may be asked for nothing but
	// the principal before this day (art. XIX.2 §1 WER); zero elsewhere.
	// principalOnly: no reminder yet, so only the principal at all.
	principalOnlyUntil time.Time
	principalOnly      bool
	costs              Costs // what chargeCosts computed, for the explanation
}

func newLedger(c *Case) (*ledger, error) {
	l := &ledger{c: c, kind: InterestKindFor(c.Regime)}
	if c.Regime == BEB2C {
		l.kind = beConsumerInterest(c.Clause)
		if c.LetterSentOn == nil {
			l.principalOnly = true
		} else {
			l.principalOnlyUntil = BEReminderExpiry(*c.LetterSentOn).AddDate(0, 0, 1)
		}
	}
	for i := range c.Invoices {
		inv := &c.Invoices[i]
		cl := &claim{inv: inv, waived: inv.Status == InvoiceWaived}
		// Art. 6:96 lid 6 BW / art. XIX.2 WER: the letter (reminder) only
		// covers invoices the debtor was already in default on, i.e. due
		// before the day it was sent.
		cl.outside = c.Regime.Consumer() && c.LetterSentOn != nil && !asDay(inv.DueDate).Before(asDay(*c.LetterSentOn))
		principal := inv.Principal
		if cl.waived {
			principal = decimal.Zero
		}
		run, err := newInterestRun(l.kind, principal, l.interestStart(cl))
		if err != nil {
			return nil, err
		}
		run.stop = l.interestStop()
		cl.run = run
		l.claims = append(l.claims, cl)
		if !cl.waived {
			l.byDue = append(l.byDue, cl)
		}
	}
	sort.SliceStable(l.byDue, func(i, j int) bool { return l.byDue[i].inv.DueDate.Before(l.byDue[j].inv.DueDate) })
	return l, nil
}

// beConsumerInterest is the interest a Belgian consumer owes: the
// late-payment rate of the law of 2 August 2002 (the ceiling art. XIX.4
// allows) only when the contract's clause stipulates it, else the
// statutory rate (law of 5 May 1865).
func beConsumerInterest(cl *DamagesClause) InterestKind {
	if cl != nil && cl.LatePaymentInterest {
		return BELatePayment
	}
	return BEStatutory
}

// interestStart is the first day interest runs on cl: the day after the
// due date; for a Belgian consumer without an interest clause the day after
// the formal notice (the first reminder; art. 5.240 BW / old art. 1153:
// moratory interest runs from the notice), never before the due date.
func (l *ledger) interestStart(cl *claim) time.Time {
	start := asDay(cl.inv.DueDate).AddDate(0, 0, 1)
	if l.c.Regime == BEB2C && l.kind == BEStatutory && l.c.LetterSentOn != nil {
		if notice := asDay(*l.c.LetterSentOn).AddDate(0, 0, 1); notice.After(start) {
			start = notice
		}
	}
	return start
}

// interestStop is the first day without interest: the day after an active
// plan's total was fixed, when the creditor's policy does not keep interest
// running during a plan (the plan is then the agreed amount, and the
// balance must not grow past its installments). Zero otherwise.
func (l *ledger) interestStop() time.Time {
	if l.c.PlanAgreedOn == nil || policyFor(l.c).InterestDuringPlan {
		return time.Time{}
	}
	return asDay(*l.c.PlanAgreedOn).AddDate(0, 0, 1)
}

// interestCharged reports whether interest may be asked on day: not from a
// Belgian consumer before the reminder's wait is over, nor on an invoice
// the reminder did not cover.
func (l *ledger) interestCharged(cl *claim, day time.Time) bool {
	if l.c.Regime != BEB2C {
		return true
	}
	return !l.principalOnly && !cl.outside && !cl.settled && !day.Before(l.principalOnlyUntil)
}

// paymentsUpTo validates the case's payments and returns those received on
// or before asOf, by value date (stable: same-day payments keep their order).
func (l *ledger) paymentsUpTo(asOf time.Time) ([]Payment, error) {
	var out []Payment
	for _, p := range l.c.Payments {
		if p.Reversed() {
			continue // taken back: it paid nothing
		}
		if !p.Amount.IsPositive() {
			return nil, fmt.Errorf("case %s payment %q: amount %s must be positive: %w", l.c.Ref, p.Reference, p.Amount, ErrInvalid)
		}
		if p.InvoiceID != nil && l.claimByID(*p.InvoiceID) == nil {
			return nil, fmt.Errorf("case %s payment %q: invoice %d is not in the case: %w", l.c.Ref, p.Reference, *p.InvoiceID, ErrInvalid)
		}
		p.ValueDate = asDay(p.ValueDate)
		if !p.ValueDate.After(asOf) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ValueDate.Before(out[j].ValueDate) })
	return out, nil
}

func (l *ledger) claimByID(id int64) *claim {
	for _, cl := range l.claims {
		if cl.inv.ID == id {
			return cl
		}
	}
	return nil
}

// costsStart returns the first day collection costs may be charged, and
// false when they cannot be charged at all yet (no letter / reminder sent,
// no invoice the letter covers, no Belgian damages clause, or nothing but
// waived invoices).
func (l *ledger) costsStart() (time.Time, bool) {
	c := l.c
	if len(l.costsBase()) == 0 {
		return time.Time{}, false
	}
	switch {
	case c.Regime == NLB2C && c.LetterSentOn != nil:
		return LetterExpiry(*c.LetterSentOn).AddDate(0, 0, 1), true
	case c.Regime == BEB2C && c.LetterSentOn != nil && c.Clause.allowsDamages():
		return l.principalOnlyUntil, true
	case c.Regime.Consumer():
		return time.Time{}, false
	}
	return asDay(l.byDue[0].inv.DueDate).AddDate(0, 0, 1), true
}

// allowsDamages: art. XIX.4 WER allows a damages amount only when the
// contract stipulates one and the first reminder announced it.
func (cl *DamagesClause) allowsDamages() bool {
	return cl != nil && cl.Damages && cl.AnnouncedInReminder
}

// costsBase lists the claims the costs are computed over: not waived, and
// for consumers covered by the letter.
func (l *ledger) costsBase() []*claim {
	var out []*claim
	for _, cl := range l.claims {
		if !cl.waived && !cl.outside {
			out = append(out, cl)
		}
	}
	return out
}

// chargeCosts computes the case's costs and spreads them over the claims.
func (l *ledger) chargeCosts() error {
	weights := make([]decimal.Decimal, len(l.claims))
	base := decimal.Zero
	for i, cl := range l.claims {
		weights[i] = decimal.Zero
		if cl.waived || cl.outside {
			continue
		}
		weights[i] = cl.inv.Principal
		if l.c.Regime.Consumer() {
			// What the consumer paid counts against the principal here:
			// paying the principal inside the term avoids the costs.
			weights[i] = decimal.Max(decimal.Zero, cl.inv.Principal.Sub(cl.paid))
		}
		base = base.Add(weights[i])
	}
	if !base.IsPositive() {
		return nil // everything was paid within the term: no costs
	}
	costs, err := CaseCosts(l.c, base)
	if err != nil {
		return fmt.Errorf("case %s: %w", l.c.Ref, err)
	}
	l.costs = costs
	costShares, vatShares := allocate(costs.Costs, weights), allocate(costs.VAT, weights)
	perInvoice := l.c.Creditor.MinimumPerInvoice && !l.c.Regime.Consumer()
	for i, cl := range l.claims {
		cl.costs, cl.vat = costShares[i], vatShares[i]
		if perInvoice && weights[i].IsPositive() && cl.costs.LessThan(b2bMinimum) {
			// C-585/20: the €40 is due per unpaid invoice.
			cl.costs = b2bMinimum
			if costs.VAT.IsPositive() {
				cl.vat = RoundCents(percentOf(vatRateNL, cl.costs))
			}
		}
		cl.costsOpen = cl.costs.Add(cl.vat)
	}
	return nil
}

// pay applies one payment in the order of art. 6:44 BW.
func (l *ledger) pay(p Payment) error {
	targets := l.byDue
	if p.InvoiceID != nil {
		targets = []*claim{l.claimByID(*p.InvoiceID)}
	}
	left := p.Amount
	for _, cl := range targets {
		if !left.IsPositive() {
			break
		}
		if err := cl.run.advance(p.ValueDate.AddDate(0, 0, 1)); err != nil {
			return fmt.Errorf("case %s invoice %s: %w", l.c.Ref, cl.inv.Number, err)
		}
		took := decimal.Min(left, cl.costsOpen)
		cl.costsOpen = cl.costsOpen.Sub(took)
		if l.interestCharged(cl, p.ValueDate) {
			took = took.Add(cl.run.payInterest(left.Sub(took)))
		}
		took = took.Add(cl.run.payPrincipal(left.Sub(took)))
		if l.c.Regime == BEB2C && !cl.run.principal.IsPositive() && (l.principalOnly || p.ValueDate.Before(l.principalOnlyUntil)) {
			cl.settled = true
		}
		cl.paid = cl.paid.Add(took)
		left = left.Sub(took)
	}
	if left.IsPositive() { // overpayment: keep it visible
		switch {
		case len(targets) > 0:
			targets[len(targets)-1].paid = targets[len(targets)-1].paid.Add(left)
		case len(l.claims) > 0:
			l.claims[len(l.claims)-1].paid = l.claims[len(l.claims)-1].paid.Add(left)
		default:
			return fmt.Errorf("case %s: payment %q but the case has no invoices: %w", l.c.Ref, p.Reference, ErrInvalid)
		}
	}
	return nil
}

func (l *ledger) breakdown(asOf time.Time) Breakdown {
	b := Breakdown{CaseRef: l.c.Ref, Regime: l.c.Regime, AsOf: asOf, Invoices: make([]InvoiceBalance, 0, len(l.claims))}
	total := zeroAmounts()
	for _, cl := range l.claims {
		a := Amounts{Principal: cl.inv.Principal, Interest: cl.run.accrued, Costs: cl.costs, CostsVAT: cl.vat, Paid: cl.paid}
		var from *time.Time
		switch {
		case cl.waived:
			a.Principal = decimal.Zero
		case !l.interestCharged(cl, asOf):
			a.Interest = decimal.Zero // Book XIX: only the principal yet
		default:
			from = &cl.run.start
		}
		a.Open = decimal.Max(decimal.Zero, a.Principal.Add(a.Interest).Add(a.Costs).Add(a.CostsVAT).Sub(a.Paid))
		b.Invoices = append(b.Invoices, InvoiceBalance{InvoiceID: cl.inv.ID, Number: cl.inv.Number, DueDate: cl.inv.DueDate,
			Status: cl.inv.Status, InterestFrom: from, PrincipalOpen: cl.run.principal, Amounts: a})
		total = total.add(a)
	}
	b.Total = total
	return b
}

func zeroAmounts() Amounts {
	z := decimal.Zero
	return Amounts{Principal: z, Interest: z, Costs: z, CostsVAT: z, Paid: z, Open: z}
}

func (a Amounts) add(o Amounts) Amounts {
	return Amounts{
		Principal: a.Principal.Add(o.Principal), Interest: a.Interest.Add(o.Interest),
		Costs: a.Costs.Add(o.Costs), CostsVAT: a.CostsVAT.Add(o.CostsVAT),
		Paid: a.Paid.Add(o.Paid), Open: a.Open.Add(o.Open),
	}
}

// explain records what the breakdown rests on.
func (l *ledger) explain(asOf, costsFrom time.Time, costsApply, charged bool) Explanation {
	c := l.c
	e := Explanation{InterestKind: l.kind, InterestLaw: l.kind.Law(), Clause: c.Clause,
		CostsName: costsName(c.Regime), CostsBase: l.costs.Principal, CostsBasis: l.costs.Basis,
		CostsSources: l.costs.Sources, Rates: []RatePeriod{}, OutsideLetter: []string{}}
	if e.CostsSources == nil {
		e.CostsSources = []string{}
	}
	if e.CostsBase.IsZero() {
		e.CostsBase = decimal.Zero
	}
	for _, cl := range l.claims {
		if cl.outside && !cl.waived {
			e.OutsideLetter = append(e.OutsideLetter, cl.inv.Number)
		}
		if !cl.waived && l.interestCharged(cl, asOf) && !cl.run.start.After(asOf) &&
			(e.InterestStart == nil || cl.run.start.Before(*e.InterestStart)) {
			e.InterestStart = ptrTo(cl.run.start)
		}
	}
	e.InterestRule = l.interestRule()
	if stop := l.interestStop(); !stop.IsZero() && !stop.After(asOf) {
		e.InterestRule += "; stopped after " + l.c.PlanAgreedOn.Format(time.DateOnly) + ": an installment plan was agreed without interest during the plan"
		asOf = stop.AddDate(0, 0, -1) // the rates applied end there
	}
	if e.InterestStart != nil {
		e.Rates = ratePeriods(l.kind, *e.InterestStart, asOf)
	}
	if costsApply && !(charged && l.costs.Principal.IsZero()) { // charged over nothing: none are due
		e.CostsDue = ptrTo(costsFrom)
	}
	e.CostsReason = l.costsReason(costsApply, charged)
	return e
}

func ptrTo[T any](v T) *T { return &v }

func costsName(r Regime) string {
	switch r {
	case BEB2C:
		return "schadebeding"
	case BEB2B:
		return "forfaitaire vergoeding"
	}
	return "incassokosten"
}

// Law names the interest of kind and the provision it rests on.
func (k InterestKind) Law() string {
	switch k {
	case NLStatutory:
		return "wettelijke rente, art. 6:119 BW"
	case NLCommercial:
		return "wettelijke handelsrente, art. 6:119a BW"
	case BELatePayment:
		return "nalatigheidsinterest, wet van 2 augustus 2002, art. 5"
	case BEStatutory:
		return "wettelijke interest, wet van 5 mei 1865"
	}
	return string(k)
}

func (l *ledger) interestRule() string {
	c := l.c
	switch {
	case c.Regime != BEB2C:
		return "from the day after each invoice's due date (art. 6:83 a BW: the debtor is in default when the term expires)"
	case l.principalOnly:
		return "none: no first reminder was sent, so only the principal may be claimed (art. XIX.2 §1 WER)"
	case l.kind == BELatePayment:
		return "from the day after the due date at the late-payment rate, as the contract's clause stipulates (art. XIX.4 WER), charged once the first reminder's wait is over"
	}
	return "from the day after the formal notice (the first reminder): no contractual interest clause, so the statutory rate (art. 5.240 BW); charged once the reminder's wait is over (art. XIX.2 §1 WER)"
}

func (l *ledger) costsReason(costsApply, charged bool) string {
	c := l.c
	switch {
	case len(l.costsBase()) == 0 && c.LetterSentOn != nil && c.Regime.Consumer():
		return "none: every invoice was not yet due when the letter was sent; the letter must follow the default (art. 6:96 lid 6 BW / art. XIX.2 WER)"
	case len(l.costsBase()) == 0:
		return "none: nothing is owed"
	case c.Regime == NLB2C && c.LetterSentOn == nil:
		return "none yet: no 14-day letter was sent (art. 6:96 lid 6 BW)"
	case c.Regime == NLB2C && charged && l.costs.Costs.IsZero():
		return "none: the principal was paid within the 14-day term (art. 6:96 lid 6 BW)"
	case c.Regime == NLB2C:
		return "the day after the 14-day term of the letter of " + c.LetterSentOn.Format(time.DateOnly) + " ended (art. 6:96 lid 6 BW; receipt counted per HR 25-11-2016, ECLI:NL:HR:2016:2704; Algemene Termijnenwet)"
	case c.Regime == BEB2C && c.LetterSentOn == nil:
		return "none yet: no free first reminder was sent (art. XIX.2 §1 WER)"
	case c.Regime == BEB2C && !costsApply:
		return "none: the contract has no damages clause announced in the first reminder (art. XIX.4 WER)"
	case c.Regime == BEB2C && charged && l.costs.Costs.IsZero():
		return "none: the principal was paid within the first reminder's wait (art. XIX.2 §1 WER)"
	case c.Regime == BEB2C:
		return "the day after the 14-day wait of the first reminder of " + c.LetterSentOn.Format(time.DateOnly) + " ended, under the contract's damages clause (art. XIX.2 §1, XIX.4 WER)"
	}
	return "the day after the earliest due date: a business owes the costs once in default (art. 6:96 lid 4 BW; wet van 2 augustus 2002 art. 6)"
}

// ratePeriods lists the rates of kind in force from from through to.
func ratePeriods(kind InterestKind, from, to time.Time) []RatePeriod {
	out := []RatePeriod{}
	tbl := rateTables[kind]
	for i := range tbl {
		start := tbl[i].From
		last := to
		if i+1 < len(tbl) && tbl[i+1].From.AddDate(0, 0, -1).Before(last) {
			last = tbl[i+1].From.AddDate(0, 0, -1)
		}
		if start.Before(from) {
			start = from
		}
		if last.Before(start) {
			continue
		}
		out = append(out, RatePeriod{From: start, To: last, Percent: tbl[i].Percent, Source: tbl[i].Source, Confirmed: tbl[i].Confirmed})
	}
	return out
}
