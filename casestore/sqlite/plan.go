package sqlite

import (
	"context"
	"fmt"
	"slices"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

var planStatuses = []casestore.PlanStatus{casestore.PlanPending, casestore.PlanActive,
	casestore.PlanRejected, casestore.PlanCompleted, casestore.PlanBroken}

// checkPlan refuses a schedule the debtor could not rely on: it must sum to
// the total to the cent, in numbered positive whole-cent installments.
func checkPlan(p *casestore.Plan) error {
	what := fmt.Sprintf("plan on case %d", p.CaseID)
	switch {
	case !slices.Contains(planStatuses, p.Status):
		return fmt.Errorf("%s: unknown status %q: %w", what, p.Status, casestore.ErrInvalid)
	case !validAmount(p.Total):
		return fmt.Errorf("%s: total %s must be positive whole cents: %w", what, p.Total, casestore.ErrInvalid)
	case p.DownPayment.IsNegative():
		return fmt.Errorf("%s: down payment %s below zero: %w", what, p.DownPayment, casestore.ErrInvalid)
	case len(p.Installments) == 0:
		return fmt.Errorf("%s: no installments: %w", what, casestore.ErrInvalid)
	case p.DownPayment.IsPositive() && !p.Installments[0].Amount.Equal(p.DownPayment):
		return fmt.Errorf("%s: first installment %s is not the down payment %s: %w",
			what, p.Installments[0].Amount, p.DownPayment, casestore.ErrInvalid)
	}
	sum := decimal.Zero
	for i, in := range p.Installments {
		switch {
		case in.Seq != i+1:
			return fmt.Errorf("%s: installment %d numbered %d: %w", what, i+1, in.Seq, casestore.ErrInvalid)
		case !validAmount(in.Amount):
			return fmt.Errorf("%s: installment %d of %s must be positive whole cents: %w", what, in.Seq, in.Amount, casestore.ErrInvalid)
		case in.Due.IsZero():
			return fmt.Errorf("%s: installment %d has no due date: %w", what, in.Seq, casestore.ErrInvalid)
		}
		sum = sum.Add(in.Amount)
	}
	if !sum.Equal(p.Total) {
		return fmt.Errorf("%s: installments sum to %s, not the total %s: %w", what, sum, p.Total, casestore.ErrInvalid)
	}
	return nil
}

func (t *txn) AddPlan(ctx context.Context, p *casestore.Plan) error {
	if p.Status == "" {
		p.Status = casestore.PlanPending
	}
	for i := range p.Installments { // unnumbered installments are numbered in order
		if p.Installments[i].Seq == 0 {
			p.Installments[i].Seq = i + 1
		}
	}
	if err := checkPlan(p); err != nil {
		return err
	}
	if err := t.caseExists(ctx, p.CaseID); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	now := t.now()
	if !p.CreatedAt.IsZero() { // a plan laid out earlier keeps its day (see casestore.Store.AddPlan)
		now = p.CreatedAt.UTC()
	}
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO plans (case_id, status, total, down_payment, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		p.CaseID, string(p.Status), encMoney(p.Total), encMoney(p.DownPayment), encInstant(now)).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("sqlite: add plan: %w", translate(err))
	}
	for _, in := range p.Installments {
		if _, err := t.exec(ctx, "add installment", `INSERT INTO installments (plan_id, seq, due, amount) VALUES (?, ?, ?, ?)`,
			p.ID, in.Seq, encDay(in.Due), encMoney(in.Amount)); err != nil {
			return err
		}
	}
	p.CreatedAt = now
	return nil
}

func (t *txn) SetPlanStatus(ctx context.Context, id int64, s casestore.PlanStatus) error {
	if !slices.Contains(planStatuses, s) {
		return fmt.Errorf("plan %d: unknown status %q: %w", id, s, casestore.ErrInvalid)
	}
	res, err := t.exec(ctx, "set plan status", `UPDATE plans SET status = ? WHERE id = ?`, string(s), id)
	if err != nil {
		return err
	}
	return rowsAffected(res, fmt.Sprintf("plan %d", id))
}

func (t *txn) Plans(ctx context.Context, caseID int64) ([]*casestore.Plan, error) {
	if err := t.caseExists(ctx, caseID); err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, `
		SELECT id, status, total, down_payment, created_at FROM plans WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: plans of case %d: %w", caseID, err)
	}
	var out []*casestore.Plan
	for rows.Next() {
		p := casestore.Plan{CaseID: caseID}
		var total, down, createdAt string
		if err := rows.Scan(&p.ID, &p.Status, &total, &down, &createdAt); err != nil {
			rows.Close()
			return nil, err
		}
		var d decoder
		p.Total, p.DownPayment, p.CreatedAt = d.money(total), d.money(down), d.instant(createdAt)
		if d.err != nil {
			rows.Close()
			return nil, d.err
		}
		out = append(out, &p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, p := range out {
		if p.Installments, err = t.installments(ctx, p.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *txn) installments(ctx context.Context, planID int64) ([]casestore.Installment, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT seq, due, amount FROM installments WHERE plan_id = ? ORDER BY seq`, planID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: installments of plan %d: %w", planID, err)
	}
	defer rows.Close()
	var out []casestore.Installment
	for rows.Next() {
		var in casestore.Installment
		var due, amount string
		if err := rows.Scan(&in.Seq, &due, &amount); err != nil {
			return nil, err
		}
		var d decoder
		in.Due, in.Amount = d.day(due), d.money(amount)
		if d.err != nil {
			return nil, d.err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
