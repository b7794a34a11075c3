package casestore

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// InterestKind names a statutory interest rate table (a file in rates/).
type InterestKind string

const (
	// NLStatutory: wettelijke rente, art. 6:119 BW (non-commercial claims,
	// consumers). Compounded yearly (art. 6:119 lid 2).
	NLStatutory InterestKind = "nl-statutory"
	// NLCommercial: wettelijke handelsrente, art. 6:119a BW (business to
	// business). Compounded yearly (art. 6:119a lid 3).
	NLCommercial InterestKind = "nl-commercial"
	// BELatePayment: interest of the law of 2 August 2002 on late payment in
	// commercial transactions, art. 5. Simple interest.
	BELatePayment InterestKind = "be-late-payment"
	// BEStatutory: the wettelijke interestvoet (law of 5 May 1865, art. 2).
	// Simple interest.
	BEStatutory InterestKind = "be-statutory"
)

// InterestKinds lists every kind, in a stable order.
var InterestKinds = []InterestKind{NLStatutory, NLCommercial, BELatePayment, BEStatutory}

// InterestKindFor returns the statutory interest that runs on claims under r.
//
// BE B2C gets the wettelijke interestvoet: Book XIX WER (art. XIX.4) only
// caps what a contract may stipulate for consumers at the late-payment rate
// of the law of 2 August 2002; without a contractual clause — and the case
// data carries none — the default interest on a consumer debt is the
// statutory rate, which is also the lower, debtor-friendly figure. A
// creditor with a valid clause would need a contractual rate, which this
// package does not model.
func InterestKindFor(r Regime) InterestKind {
	switch r {
	case NLB2C:
		return NLStatutory
	case NLB2B:
		return NLCommercial
	case BEB2B:
		return BELatePayment
	default:
		return BEStatutory
	}
}

// compounds reports whether unpaid interest is added to the principal after
// every full year: yes in the Netherlands (art. 6:119 lid 2, 6:119a lid 3
// BW); in Belgium interest on interest needs a court claim or an agreement
// (art. 1154 old Civil Code), so no.
func (k InterestKind) compounds() bool { return k == NLStatutory || k == NLCommercial }

// Interest is the statutory interest of kind on principal for the days
// [from, to): from is the first day interest runs, to the first day it no
// longer does (so interest "up to and including the payment day P" is
// Interest(k, p, due+1, P+1), P−due days).
//
// Method, as the usual Dutch calculators (and the courts' own rente-
// rekenmodules) do it:
//   - every day bears the yearly rate in force on that day (rates/*.csv),
//     divided by 365 — also in a leap year, so a full leap year at 4% gives
//     366/365 × 4%. Days are counted exactly (time.Time at UTC midnight).
//   - NL only: after every full year counted from `from` the interest of that
//     year is added to the amount interest runs on (art. 6:119 lid 2 BW:
//     "telkens na afloop van een jaar"); a year starting on 29 February
//     ends on 28 February (Go's AddDate normalises 29 Feb + 1y to 1 March,
//     so the anniversary is 1 March, the first day of the next year).
//   - interest is exact inside a period and rounded to the cent (half away
//     from zero) only at the end of a period: at each compounding moment and
//     at `to`. Balance also ends a period on each payment's value date,
//     because a payment must meet a figure in cents.
//
// ErrInvalid for an unknown kind, a negative principal, to before from, or a
// day before the first rate in the table.
func Interest(kind InterestKind, principal decimal.Decimal, from, to time.Time) (decimal.Decimal, error) {
	from, to = asDay(from), asDay(to)
	if to.Before(from) {
		return decimal.Zero, fmt.Errorf("interest from %s to %s: end before start: %w", from.Format(time.DateOnly), to.Format(time.DateOnly), ErrInvalid)
	}
	run, err := newInterestRun(kind, principal, from)
	if err != nil {
		return decimal.Zero, err
	}
	if err := run.advance(to); err != nil {
		return decimal.Zero, err
	}
	return run.accrued, nil
}

// interestRun accrues the statutory interest on one claim, period by period,
// and takes payments on its interest and principal (art. 6:44 BW order is
// the caller's business).
type interestRun struct {
	kind        InterestKind
	tbl         []Rate
	start       time.Time       // first day of interest; years count from here
	at          time.Time       // interest is settled for every day before at
	years       int             // compounding moments passed
	principal   decimal.Decimal // open principal (hoofdsom)
	capitalized decimal.Decimal // unpaid interest that itself bears interest
	open        decimal.Decimal // unpaid interest, in cents (includes capitalized)
	accrued     decimal.Decimal // all interest accrued so far, in cents
	stop        time.Time       // no interest from this day on; zero: none
}

func newInterestRun(kind InterestKind, principal decimal.Decimal, start time.Time) (*interestRun, error) {
	tbl, ok := rateTables[kind]
	if !ok {
		return nil, fmt.Errorf("interest kind %q: %w", kind, ErrInvalid)
	}
	if principal.IsNegative() {
		return nil, fmt.Errorf("interest on negative principal %s: %w", principal, ErrInvalid)
	}
	return &interestRun{kind: kind, tbl: tbl, start: start, at: start, principal: principal}, nil
}

// advance accrues interest for every day before to (no-op if to <= at),
// and none from r.stop on.
func (r *interestRun) advance(to time.Time) error {
	if !r.stop.IsZero() && to.After(r.stop) {
		to = r.stop
	}
	for r.at.Before(to) {
		end, yearEnds := to, false
		if r.kind.compounds() {
			if anniv := r.start.AddDate(r.years+1, 0, 0); !anniv.After(end) {
				end, yearEnds = anniv, true
			}
		}
		amt, err := r.exact(r.at, end)
		if err != nil {
			return err
		}
		amt = RoundCents(amt)
		r.open = r.open.Add(amt)
		r.accrued = r.accrued.Add(amt)
		r.at = end
		if yearEnds {
			r.years++
			r.capitalized = r.open // the year's unpaid interest joins the base
		}
	}
	return nil
}

// exact is the unrounded interest for [a, b) on the current base, inside
// one compounding year: base × Σ(rate% × days) / 36500.
func (r *interestRun) exact(a, b time.Time) (decimal.Decimal, error) {
	base := r.principal.Add(r.capitalized)
	if !base.IsPositive() {
		return decimal.Zero, nil
	}
	i := rateIndex(r.tbl, a)
	if i < 0 {
		return decimal.Zero, fmt.Errorf("no %s rate known before %s (interest from %s): %w",
			r.kind, r.tbl[0].From.Format(time.DateOnly), a.Format(time.DateOnly), ErrInvalid)
	}
	sum := decimal.Zero // Σ rate% × days
	for day := a; day.Before(b); i++ {
		next := b
		if i+1 < len(r.tbl) && r.tbl[i+1].From.Before(b) {
			next = r.tbl[i+1].From
		}
		sum = sum.Add(r.tbl[i].Percent.Mul(decimal.NewFromInt(daysBetween(day, next))))
		day = next
	}
	return base.Mul(sum).DivRound(hundred.Mul(daysInYr), 12), nil
}

// payInterest takes up to amount off the unpaid interest, oldest
// (capitalized) interest first, and returns what it took.
func (r *interestRun) payInterest(amount decimal.Decimal) decimal.Decimal {
	take := decimal.Min(amount, r.open)
	r.open = r.open.Sub(take)
	r.capitalized = decimal.Max(decimal.Zero, r.capitalized.Sub(take))
	return take
}

// payPrincipal takes up to amount off the open principal and returns what it took.
func (r *interestRun) payPrincipal(amount decimal.Decimal) decimal.Decimal {
	take := decimal.Min(amount, r.principal)
	r.principal = r.principal.Sub(take)
	return take
}
