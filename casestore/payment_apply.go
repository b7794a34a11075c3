package casestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// The one path by which money reaches a case, whatever its source:
// ApplyPayment and ApplyReversal run inside the caller's transaction on
// either store, so both stores behave alike by construction (the
// conformance suite checks it). The debtor's thank-you is the caller's
// (bot/payments), in the same transaction.

// Dossier kinds of the payment path (EntryPaymentReceived is above).
const (
	EntryPaymentReversed EntryKind = "payment.reversed"
	EntryPlanCompleted   EntryKind = "plan.completed"
)

// IncomingPayment is one payment as its source reports it.
type IncomingPayment struct {
	CaseID     int64
	Amount     decimal.Decimal
	ValueDate  time.Time // the day the money arrived; zero: today
	Source     PaymentSource
	ExternalID string // the source's id: the same id is recorded once
	Reference  string // what the payer wrote
	Actor      Actor  // who recorded it; "" is ActorSystem
	Channel    string // the dossier's channel column; "" is the source
}

// Applied is what ApplyPayment did.
type Applied struct {
	Payment Payment
	// Duplicate: the source's id was recorded before; nothing was written.
	Duplicate bool
	Case      *Case           // the case after the payment
	Open      decimal.Decimal // what it still owes, to the cent
	Paid      bool            // nothing is open: the case is paid
	Plan      *Plan           // the active plan it paid towards, nil if none
	Settled   []int           // the plan's installments (Seq) it settled, in order
	Entry     DossierEntry    // the payment.received entry
}

// ApplyPayment records in and everything that follows from it: the
// balance allocates it (costs, interest, principal: art. 6:44 BW), the
// active plan's installments it covers are settled in order (the plan
// completed when all are, or nothing is open), the case becomes paid when
// nothing is open, and the dossier files it. A (Source, ExternalID) seen
// before returns Duplicate and writes nothing.
func ApplyPayment(ctx context.Context, tx Tx, in IncomingPayment, now time.Time) (Applied, error) {
	today := DayOf(now)
	p := Payment{CaseID: in.CaseID, Amount: in.Amount, ValueDate: in.ValueDate, Reference: in.Reference,
		Source: in.Source, ExternalID: in.ExternalID}
	if p.ValueDate.IsZero() {
		p.ValueDate = today
	}
	err := tx.AddPayment(ctx, &p)
	if errors.Is(err, ErrConflict) {
		return Applied{Duplicate: true}, nil
	}
	if err != nil {
		return Applied{}, err
	}
	c, err := tx.Case(ctx, in.CaseID)
	if err != nil {
		return Applied{}, err
	}
	b, err := Balance(c, today)
	if err != nil {
		return Applied{}, err
	}
	a := Applied{Payment: p, Case: c, Open: RoundCents(b.Total.Open)}
	a.Paid = !a.Open.IsPositive()
	if err := settlePlan(ctx, tx, &a); err != nil {
		return Applied{}, err
	}
	if a.Paid && c.Status != StatusPaid && c.Status != StatusClosed {
		if err := tx.SetCaseStatus(ctx, c.ID, StatusPaid); err != nil {
			return Applied{}, err
		}
		c.Status = StatusPaid
	}
	a.Entry = DossierEntry{CaseID: c.ID, Kind: EntryPaymentReceived, Actor: actorOr(in.Actor), Channel: channelOr(in.Channel, in.Source),
		Body: body(map[string]any{"payment_id": p.ID, "amount": p.Amount.StringFixed(2), "value_date": p.ValueDate.Format(time.DateOnly),
			"source": p.Source, "external_id": p.ExternalID, "reference": p.Reference, "open_after": a.Open.StringFixed(2),
			"case_paid": a.Paid, "installments_settled": a.Settled})}
	return a, tx.AppendDossier(ctx, &a.Entry)
}

// settlePlan settles the active plan's installments the payment covers,
// in order, and completes the plan when all are paid or nothing is open.
func settlePlan(ctx context.Context, tx Tx, a *Applied) error {
	plans, err := tx.Plans(ctx, a.Case.ID)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.Status == PlanActive {
			a.Plan = p
		}
	}
	if a.Plan == nil {
		return nil
	}
	after := PaidTowards(a.Plan, a.Case.Payments)
	settled := PlanSettled(a.Plan, after)
	before := settled // a payment dated before the plan settles none
	if !a.Payment.ValueDate.Before(DayOf(a.Plan.CreatedAt)) {
		before = PlanSettled(a.Plan, after.Sub(a.Payment.Amount))
	}
	for i := before; i < settled; i++ {
		a.Settled = append(a.Settled, a.Plan.Installments[i].Seq)
	}
	if settled < len(a.Plan.Installments) && !a.Paid {
		return nil
	}
	if err := tx.SetPlanStatus(ctx, a.Plan.ID, PlanCompleted); err != nil {
		return err
	}
	a.Plan.Status = PlanCompleted
	if !a.Paid && a.Case.Status == StatusInPlan {
		// Paid as agreed, yet something is open (interest run on): the
		// case leaves the plan and a collector sees it open again.
		if err := tx.SetCaseStatus(ctx, a.Case.ID, StatusOpen); err != nil {
			return err
		}
		a.Case.Status = StatusOpen
	}
	return tx.AppendDossier(ctx, &DossierEntry{CaseID: a.Case.ID, Kind: EntryPlanCompleted, Actor: ActorSystem,
		Body: body(map[string]any{"plan_id": a.Plan.ID, "payment_id": a.Payment.ID})})
}

// Reversed is what ApplyReversal did.
type Reversed struct {
	Payment   Payment
	Duplicate bool // reversed before: nothing was written
	Open      decimal.Decimal
	Task      Task
}

// ApplyReversal takes back the payment the source recorded under
// externalID (a refund, a chargeback, a returned transfer): the payment is
// marked and counts no more, a paid case is open again, the dossier says
// why, and a collector gets a task. ErrNotFound when the source never
// reported that payment; a second reversal returns Duplicate.
func ApplyReversal(ctx context.Context, tx Tx, source PaymentSource, externalID, reason string, now time.Time) (Reversed, error) {
	p, err := tx.PaymentByExternalID(ctx, source, externalID)
	if err != nil {
		return Reversed{}, err
	}
	rev, err := tx.ReversePayment(ctx, p.ID, reason, now)
	if errors.Is(err, ErrConflict) {
		return Reversed{Payment: *p, Duplicate: true}, nil
	}
	if err != nil {
		return Reversed{}, err
	}
	c, err := tx.Case(ctx, p.CaseID)
	if err != nil {
		return Reversed{}, err
	}
	b, err := Balance(c, DayOf(now))
	if err != nil {
		return Reversed{}, err
	}
	out := Reversed{Payment: *rev, Open: RoundCents(b.Total.Open)}
	if c.Status == StatusPaid && out.Open.IsPositive() {
		if err := tx.SetCaseStatus(ctx, c.ID, StatusOpen); err != nil {
			return Reversed{}, err
		}
	}
	e := DossierEntry{CaseID: c.ID, Kind: EntryPaymentReversed, Actor: ActorSystem, Channel: channelOr("", source),
		Body: body(map[string]any{"payment_id": p.ID, "amount": p.Amount.StringFixed(2), "source": source,
			"external_id": externalID, "reason": reason, "open_after": out.Open.StringFixed(2)})}
	if err := tx.AppendDossier(ctx, &e); err != nil {
		return Reversed{}, err
	}
	out.Task = Task{CaseID: c.ID, Kind: TaskPaymentReversed,
		Text: fmt.Sprintf("Betaling van %s op %s (%s) is teruggeboekt: %s. Nog open: %s. Neem contact op met de debiteur.",
			euroNL(p.Amount), p.ValueDate.Format("02-01-2006"), source, reason, euroNL(out.Open))}
	return out, tx.AddTask(ctx, &out.Task)
}

func actorOr(a Actor) Actor {
	if a == "" {
		return ActorSystem
	}
	return a
}

// channelOr is the dossier's channel column: the caller's, else the source.
func channelOr(channel string, s PaymentSource) string {
	if channel != "" {
		return channel
	}
	return string(s)
}

// body marshals a dossier body; the maps here always marshal.
func body(v map[string]any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// euroNL is an amount for a collector's task text: "€ 1234,56".
func euroNL(d decimal.Decimal) string {
	s := RoundCents(d).StringFixed(2)
	return "€ " + s[:len(s)-3] + "," + s[len(s)-2:]
}
