package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// spec describes one demo case. Day counts are days before today.
type spec struct {
	ref, creditor string
	regime        casestore.Regime
	stage         casestore.Stage
	status        casestore.Status
	letter        int // days since the 14-day letter / first reminder; none = not sent
	policy        *casestore.PlanPolicy
	clause        *casestore.DamagesClause // BE consumers: the contract's late-payment clause
	debtor        casestore.Debtor
	invoices      []inv
	payments      []pay
	paidInFull    *pay // a payment of the whole balance on its day
	dispute       *dispute
	plan          *plan
	promise       *promise
}

const none = -1

type inv struct {
	number, description string
	issued, due         int // days ago
	principal           string
	status              casestore.InvoiceStatus // "" = open
}

type pay struct {
	invoice, amount string // invoice "" = oldest claims first
	days            int
	reference       string // also what makes re-seeding skip it
}

type dispute struct {
	invoice string
	reason  casestore.DisputeReason
	text    string
	days    int
	upheld  int // days ago it was upheld; 0 = still open
}

type plan struct {
	terms     int
	days      int // days ago it was agreed (or proposed, when pending)
	status    casestore.PlanStatus
	paidTerms int // installments already paid
}

type promise struct {
	amount       string
	inDays, days int // due in inDays from today, made days ago
}

// Seed writes the demo set relative to now and returns the number of cases.
// Seeding again updates the cases in place (dossier numbers, creditor codes
// and debtor references are stable) and adds no second payment, dispute,
// plan or promise, so it is safe to run on every start.
func Seed(ctx context.Context, st casestore.Store, now time.Time) (int, error) {
	today := casestore.DayOf(now)
	for i := range cases {
		s := &cases[i]
		err := st.InTx(ctx, func(tx casestore.Tx) error { return seedCase(ctx, tx, s, today) })
		if err != nil {
			return i, fmt.Errorf("demo case %s: %w", s.ref, err)
		}
	}
	return len(cases), nil
}

func seedCase(ctx context.Context, tx casestore.Tx, s *spec, today time.Time) error {
	cr, err := creditorByCode(s.creditor)
	if err != nil {
		return err
	}
	if err := tx.PutCreditor(ctx, &cr); err != nil {
		return err
	}
	d := s.debtor
	d.CreditorID = cr.ID
	if err := tx.PutDebtor(ctx, &d); err != nil {
		return err
	}
	c := s.build(today)
	c.CreditorID, c.DebtorID = cr.ID, d.ID
	created, err := tx.PutCase(ctx, c)
	if err != nil {
		return err
	}
	if created {
		if err := note(ctx, tx, c.ID, casestore.EntryCaseImported, casestore.ActorSystem, "", map[string]any{"source": "demo"}); err != nil {
			return err
		}
	}
	full, err := tx.Case(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, step := range []func(context.Context, casestore.Tx, *casestore.Case, *spec, time.Time) error{
		seedPayments, seedPaidInFull, seedDispute, seedPlan, seedPromise,
	} {
		if err := step(ctx, tx, full, s, today); err != nil {
			return err
		}
	}
	return nil
}

// build makes the case without IDs.
func (s *spec) build(today time.Time) *casestore.Case {
	c := &casestore.Case{
		Ref: s.ref, Regime: s.regime, Stage: s.stage, Status: s.status,
		Policy: casestore.DefaultPlanPolicy, Clause: s.clause,
	}
	if s.policy != nil {
		c.Policy = *s.policy
	}
	if s.letter != none {
		c.LetterSentOn = ptr(daysAgo(today, s.letter))
	}
	for _, v := range s.invoices {
		st := v.status
		if st == "" {
			st = casestore.InvoiceOpen
		}
		c.Invoices = append(c.Invoices, casestore.Invoice{
			Number: v.number, Description: v.description, Status: st,
			IssueDate: daysAgo(today, v.issued), DueDate: daysAgo(today, v.due),
			Principal: money(v.principal),
		})
	}
	return c
}

func seedPayments(ctx context.Context, tx casestore.Tx, c *casestore.Case, s *spec, today time.Time) error {
	for _, p := range s.payments {
		if err := addPayment(ctx, tx, c, p.invoice, money(p.amount), daysAgo(today, p.days), p.reference); err != nil {
			return err
		}
	}
	return nil
}

// seedPaidInFull pays what the case owed on the payment day, as computed by
// the money code, so a "paid" demo case really has nothing open.
func seedPaidInFull(ctx context.Context, tx casestore.Tx, c *casestore.Case, s *spec, today time.Time) error {
	if s.paidInFull == nil || hasPayment(c, s.paidInFull.reference) {
		return nil
	}
	day := daysAgo(today, s.paidInFull.days)
	owed := *c
	owed.Payments = nil
	owed.Invoices = append([]casestore.Invoice(nil), c.Invoices...)
	for i := range owed.Invoices {
		owed.Invoices[i].Status = casestore.InvoiceOpen // what it was before the payment
	}
	b, err := casestore.Balance(&owed, day)
	if err != nil {
		return err
	}
	return addPayment(ctx, tx, c, "", b.Total.Open, day, s.paidInFull.reference)
}

func addPayment(ctx context.Context, tx casestore.Tx, c *casestore.Case, invoice string, amount decimal.Decimal, day time.Time, ref string) error {
	if hasPayment(c, ref) || !amount.IsPositive() {
		return nil
	}
	p := &casestore.Payment{CaseID: c.ID, Amount: amount, ValueDate: day, Reference: ref}
	if invoice != "" {
		id, err := invoiceID(c, invoice)
		if err != nil {
			return err
		}
		p.InvoiceID = &id
	}
	if err := tx.AddPayment(ctx, p); err != nil {
		return err
	}
	c.Payments = append(c.Payments, *p)
	return note(ctx, tx, c.ID, casestore.EntryPaymentReceived, casestore.ActorSystem, "",
		map[string]any{"amount": amount.StringFixed(2), "value_date": day.Format(time.DateOnly), "reference": ref})
}

func hasPayment(c *casestore.Case, ref string) bool {
	for _, p := range c.Payments {
		if p.Reference == ref {
			return true
		}
	}
	return false
}

func invoiceID(c *casestore.Case, number string) (int64, error) {
	for _, inv := range c.Invoices {
		if inv.Number == number {
			return inv.ID, nil
		}
	}
	return 0, fmt.Errorf("invoice %s not in case %s: %w", number, c.Ref, casestore.ErrNotFound)
}

func note(ctx context.Context, tx casestore.Tx, caseID int64, kind casestore.EntryKind, actor casestore.Actor, channel string, body map[string]any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return tx.AppendDossier(ctx, &casestore.DossierEntry{CaseID: caseID, Kind: kind, Actor: actor, Channel: channel, Body: raw})
}

func creditorByCode(code string) (casestore.Creditor, error) {
	for _, c := range creditors {
		if c.Code == code {
			return c, nil
		}
	}
	return casestore.Creditor{}, errors.New("unknown demo creditor " + code)
}
