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
// day it was agreed, laid out by the library as a collector would
// (casestore.CollectorPlan: Schedule's dates, the policy's interest), and
// the installments already paid. The spec's terms are bent to the case's
// policy: at most MaxTerms, none below MinInstallment, the down payment the
// policy asks.
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
	ask := policyProposal(c.Policy, b.Total.Open, s.plan.terms, agreed.AddDate(0, 0, 7))
	p, _, err := casestore.CollectorPlan(c, b, ask, agreed)
	if err != nil {
		return err
	}
	p.Status, p.CreatedAt = s.plan.status, agreed.Add(11*time.Hour)
	if err := tx.AddPlan(ctx, &p); err != nil {
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

// policyProposal asks for terms monthly installments of total from first,
// within pol: the required down payment, at most MaxTerms, and fewer terms
// while an installment would fall below MinInstallment.
func policyProposal(pol casestore.PlanPolicy, total decimal.Decimal, terms int, first time.Time) casestore.Proposal {
	down := total.Mul(pol.DownPaymentPct).Round(2)
	rest := total.Sub(down)
	terms = max(1, min(terms, pol.MaxTerms))
	for terms > 1 && rest.Div(decimal.NewFromInt(int64(terms))).LessThan(pol.MinInstallment) {
		terms--
	}
	return casestore.Proposal{Terms: terms, DownPayment: down, Start: first}
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
