package casestore

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// PaymentSource says how a payment reached the agency. Each source names
// its payments by an id of its own (Payment.ExternalID), which is how a
// provider's retry or a re-imported bank statement is recognised.
type PaymentSource string

const (
	SourceOther   PaymentSource = ""        // seeded or imported with the case
	SourceConsole PaymentSource = "console" // a collector recorded it by hand
	SourceStripe  PaymentSource = "stripe"  // online checkout (the PaymentIntent id)
	SourceBank    PaymentSource = "bank"    // a bank statement line (the bank's entry reference)
)

// MaxExternalID bounds a payment's external id: providers' ids and bank
// entry references are well under it.
const MaxExternalID = 200

// Payment is money received on a case. A payment is never removed: one
// that is reversed (refunded, charged back, a transfer returned) keeps its
// record with ReversedAt, and Balance no longer counts it.
type Payment struct {
	ID        int64
	CaseID    int64
	InvoiceID *int64 // the invoice it was paid on; nil applies to the oldest open claims first
	Amount    decimal.Decimal
	ValueDate time.Time // calendar day the money arrived
	Reference string    // what the payer wrote (remittance text), or the seed's label
	Source    PaymentSource
	// ExternalID is the source's own id of the payment; a (Source,
	// ExternalID) pair is recorded once. Empty: no dedupe (seeded payments).
	ExternalID     string
	CreatedAt      time.Time
	ReversedAt     *time.Time
	ReversalReason string
}

// Reversed reports whether the payment was taken back.
func (p *Payment) Reversed() bool { return p.ReversedAt != nil }

// Validate checks what every store refuses: a positive amount in whole
// cents that NUMERIC(14,2) holds, a value date, and an external id only
// with its source.
func (p *Payment) Validate() error {
	what := fmt.Sprintf("payment on case %d", p.CaseID)
	switch {
	case !p.Amount.IsPositive():
		return fmt.Errorf("%s: amount %s must be positive: %w", what, p.Amount, ErrInvalid)
	case !p.Amount.Equal(p.Amount.Round(2)):
		return fmt.Errorf("%s: amount %s has more than two decimals: %w", what, p.Amount, ErrInvalid)
	case p.Amount.GreaterThanOrEqual(decimal.New(1, 12)):
		return fmt.Errorf("%s: amount %s is too large: %w", what, p.Amount, ErrInvalid)
	case p.ValueDate.IsZero():
		return fmt.Errorf("%s: value date is required: %w", what, ErrInvalid)
	case p.ExternalID != "" && p.Source == SourceOther:
		return fmt.Errorf("%s: an external id needs its source: %w", what, ErrInvalid)
	case len(p.ExternalID) > MaxExternalID:
		return fmt.Errorf("%s: external id longer than %d bytes: %w", what, MaxExternalID, ErrInvalid)
	}
	switch p.Source {
	case SourceOther, SourceConsole, SourceStripe, SourceBank:
		return nil
	}
	return fmt.Errorf("%s: unknown source %q: %w", what, p.Source, ErrInvalid)
}

// TaskKind says what a collector must look at.
type TaskKind string

const (
	TaskPaymentReversed TaskKind = "payment-reversed" // money was taken back: call the debtor
	TaskPlanBroken      TaskKind = "plan-broken"      // installments were missed: collection resumes
)

// Task is one thing a collector must do on a case, outside any chat.
type Task struct {
	ID        int64
	CaseID    int64
	Kind      TaskKind
	Text      string // for the collector, in Dutch
	CreatedAt time.Time
	DoneAt    *time.Time
}

// Validate checks a new task.
func (k *Task) Validate() error {
	if k.Kind == "" {
		return fmt.Errorf("task on case %d: kind is empty: %w", k.CaseID, ErrInvalid)
	}
	return nil
}

// PlanSettled is how many of p's installments, in order, the amount paid
// towards the plan covers in full.
func PlanSettled(p *Plan, paid decimal.Decimal) int {
	n := 0
	for _, in := range p.Installments {
		if paid.LessThan(in.Amount) {
			break
		}
		paid = paid.Sub(in.Amount)
		n++
	}
	return n
}

// PaidTowards sums the payments counted towards plan p: those not reversed
// whose value date is on or after the day the plan was made.
func PaidTowards(p *Plan, payments []Payment) decimal.Decimal {
	from := DayOf(p.CreatedAt)
	sum := decimal.Zero
	for _, pay := range payments {
		if !pay.Reversed() && !asDay(pay.ValueDate).Before(from) {
			sum = sum.Add(pay.Amount)
		}
	}
	return sum
}
