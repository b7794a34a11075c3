package casestore

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Balance computes what case c owes on asOf, per invoice and in total.
//
//   - Interest (InterestKindFor(c.Regime)) runs on each invoice's principal
//     from the day after its DueDate up to and including asOf (and up to
//     and including a payment's value date before the payment counts), for
//     every regime. (Book XIX lets a Belgian consumer be charged interest
//     only once the reminder's wait is over; counting it from the due date
//     then is the common reading, not settled law — a point for the lead.)
//   - Collection costs (CaseCosts) are computed once for the case and
//     allocated pro rata to its invoices, the rounding remainder on the
//     largest, so the invoice lines add up to the total exactly. They are
//     due from CostsFrom:
//     NL B2C: the day after LetterExpiry(*c.LetterSentOn);
//     BE B2C: the day after BEReminderExpiry(*c.LetterSentOn);
//     B2B: the day after the earliest due date.
//     For consumers the costs are computed over the principal still open on
//     that day — paying within the 14-day term is exactly what the letter
//     offers, so it must avoid (or reduce) the costs. For B2B they are
//     computed over the invoices' principals.
//     While asOf is before that day the costs are zero and Breakdown.CostsFrom
//     says when they may be charged. When a consumer case has no
//     LetterSentOn, costs are zero and CostsFrom is nil: callers tell this
//     apart from "costs are due" by c.Regime.Consumer() && c.LetterSentOn ==
//     nil (no letter, so no costs yet and no date to give).
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
	return b, nil
}

// claim is one invoice while the ledger runs.
type claim struct {
	inv       *Invoice
	waived    bool
	run       *interestRun
	costs     decimal.Decimal // charged, excl. VAT
	vat       decimal.Decimal
	costsOpen decimal.Decimal // unpaid costs incl. VAT
	paid      decimal.Decimal
}

type ledger struct {
	c      *Case
	claims []*claim // in the case's invoice order
	byDue  []*claim // not waived, oldest due date first: order for unassigned payments
}

func newLedger(c *Case) (*ledger, error) {
	l := &ledger{c: c}
	kind := InterestKindFor(c.Regime)
	for i := range c.Invoices {
		inv := &c.Invoices[i]
		cl := &claim{inv: inv, waived: inv.Status == InvoiceWaived}
		principal := inv.Principal
		if cl.waived {
			principal = decimal.Zero
		}
		run, err := newInterestRun(kind, principal, asDay(inv.DueDate).AddDate(0, 0, 1))
		if err != nil {
			return nil, err
		}
		cl.run = run
		l.claims = append(l.claims, cl)
		if !cl.waived {
			l.byDue = append(l.byDue, cl)
		}
	}
	sort.SliceStable(l.byDue, func(i, j int) bool { return l.byDue[i].inv.DueDate.Before(l.byDue[j].inv.DueDate) })
	return l, nil
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
// or nothing but waived invoices).
func (l *ledger) costsStart() (time.Time, bool) {
	c := l.c
	switch {
	case c.Regime == NLB2C && c.LetterSentOn != nil:
		return LetterExpiry(*c.LetterSentOn).AddDate(0, 0, 1), true
	case c.Regime == BEB2C && c.LetterSentOn != nil:
		return BEReminderExpiry(*c.LetterSentOn).AddDate(0, 0, 1), true
	case c.Regime.Consumer() || len(l.byDue) == 0:
		return time.Time{}, false
	}
	return asDay(l.byDue[0].inv.DueDate).AddDate(0, 0, 1), true
}

// chargeCosts computes the case's costs and spreads them over the claims.
func (l *ledger) chargeCosts() error {
	weights := make([]decimal.Decimal, len(l.claims))
	base := decimal.Zero
	for i, cl := range l.claims {
		weights[i] = decimal.Zero
		if cl.waived {
			continue
		}
		weights[i] = cl.inv.Principal
		if l.c.Regime.Consumer() {
			weights[i] = cl.run.principal
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
	costShares, vatShares := allocate(costs.Costs, weights), allocate(costs.VAT, weights)
	for i, cl := range l.claims {
		cl.costs, cl.vat = costShares[i], vatShares[i]
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
		took = took.Add(cl.run.payInterest(left.Sub(took)))
		took = took.Add(cl.run.payPrincipal(left.Sub(took)))
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
		if cl.waived {
			a.Principal = decimal.Zero
		}
		a.Open = decimal.Max(decimal.Zero, a.Principal.Add(a.Interest).Add(a.Costs).Add(a.CostsVAT).Sub(a.Paid))
		b.Invoices = append(b.Invoices, InvoiceBalance{InvoiceID: cl.inv.ID, Number: cl.inv.Number, DueDate: cl.inv.DueDate, Status: cl.inv.Status, Amounts: a})
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
