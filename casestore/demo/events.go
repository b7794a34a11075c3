package demo

import (
	"context"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// seedDispute opens (and maybe upholds) the spec's dispute once.
func seedDispute(ctx context.Context, tx casestore.Tx, c *casestore.Case, s *spec, today time.Time) error {
	if s.dispute == nil {
		return nil
	}
	if have, err := tx.Disputes(ctx, c.ID); err != nil || len(have) > 0 {
		return err
	}
	id, err := invoiceID(c, s.dispute.invoice)
	if err != nil {
		return err
	}
	d := &casestore.Dispute{
		CaseID: c.ID, InvoiceID: &id, Reason: s.dispute.reason, Text: s.dispute.text,
		Status: casestore.DisputeOpen, CreatedAt: daysAgo(today, s.dispute.days).Add(10 * time.Hour),
	}
	if err := tx.AddDispute(ctx, d); err != nil {
		return err
	}
	if err := note(ctx, tx, c.ID, casestore.EntryDisputeOpened, casestore.ActorDebtor, "whatsapp",
		map[string]any{"dispute_id": d.ID, "invoice": s.dispute.invoice, "reason": s.dispute.reason}); err != nil {
		return err
	}
	if s.dispute.upheld == 0 {
		return nil
	}
	return tx.ResolveDispute(ctx, d.ID, casestore.DisputeUpheld, daysAgo(today, s.dispute.upheld).Add(14*time.Hour))
}

// seedPlan records the spec's plan once, over what the case owed on the
// day it was agreed, and the installments already paid.
func seedPlan(ctx context.Context, tx casestore.Tx, c *casestore.Case, s *spec, today time.Time) error {
	if s.plan == nil {
		return nil
	}
	if have, err := tx.Plans(ctx, c.ID); err != nil || len(have) > 0 {
		return err
	}
	agreed := daysAgo(today, s.plan.days)
	b, err := casestore.Balance(c, agreed)
	if err != nil {
		return err
	}
	p := schedule(b.Total.Open, c.Policy.DownPaymentPct, s.plan.terms, agreed.AddDate(0, 0, 7))
	p.CaseID, p.Status, p.CreatedAt = c.ID, s.plan.status, agreed.Add(11*time.Hour)
	if err := tx.AddPlan(ctx, p); err != nil {
		return err
	}
	if err := note(ctx, tx, c.ID, casestore.EntryPlanProposed, casestore.ActorDebtor, "whatsapp",
		map[string]any{"plan_id": p.ID, "total": p.Total.StringFixed(2), "terms": len(p.Installments)}); err != nil {
		return err
	}
	for _, in := range p.Installments[:min(s.plan.paidTerms, len(p.Installments))] {
		if err := addPayment(ctx, tx, c, "", in.Amount, in.Due, c.Ref+"-TERMIJN-"+itoa(in.Seq)); err != nil {
			return err
		}
	}
	return nil
}

// schedule splits total into a down payment (pct of total) and equal
// monthly terms rounded down to the cent; the last term takes the
// remainder so the installments sum to total exactly.
func schedule(total, pct decimal.Decimal, terms int, first time.Time) *casestore.Plan {
	p := &casestore.Plan{Total: total, DownPayment: total.Mul(pct).Round(2)}
	rest := total.Sub(p.DownPayment)
	due := first
	if p.DownPayment.IsPositive() {
		p.Installments = append(p.Installments, casestore.Installment{Seq: 1, Due: due, Amount: p.DownPayment})
		due = due.AddDate(0, 1, 0)
	}
	each := rest.Div(decimal.NewFromInt(int64(terms))).RoundDown(2)
	for i := 0; i < terms; i++ {
		amt := each
		if i == terms-1 {
			amt = rest.Sub(each.Mul(decimal.NewFromInt(int64(terms - 1))))
		}
		p.Installments = append(p.Installments, casestore.Installment{Seq: len(p.Installments) + 1, Due: due, Amount: amt})
		due = due.AddDate(0, 1, 0)
	}
	return p
}

func seedPromise(ctx context.Context, tx casestore.Tx, c *casestore.Case, s *spec, today time.Time) error {
	if s.promise == nil {
		return nil
	}
	if have, err := tx.Promises(ctx, c.ID); err != nil || len(have) > 0 {
		return err
	}
	p := &casestore.Promise{
		CaseID: c.ID, Amount: money(s.promise.amount), Date: today.AddDate(0, 0, s.promise.inDays),
		Status: casestore.PromiseOpen, CreatedAt: daysAgo(today, s.promise.days).Add(9 * time.Hour),
	}
	if err := tx.AddPromise(ctx, p); err != nil {
		return err
	}
	return note(ctx, tx, c.ID, casestore.EntryPromiseMade, casestore.ActorDebtor, "telegram",
		map[string]any{"promise_id": p.ID, "amount": p.Amount.StringFixed(2), "date": p.Date.Format(time.DateOnly)})
}
