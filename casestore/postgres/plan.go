package postgres

import (
	"context"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

func validPlanStatus(s casestore.PlanStatus) bool {
	switch s {
	case casestore.PlanPending, casestore.PlanActive, casestore.PlanRejected, casestore.PlanCompleted, casestore.PlanBroken:
		return true
	}
	return false
}

// validatePlan checks what a debtor would be held to: whole cents, a
// schedule that adds up to the total exactly, the down payment first.
func validatePlan(p *casestore.Plan) error {
	what := fmt.Sprintf("plan on case %d", p.CaseID)
	if p.Status != "" && !validPlanStatus(p.Status) {
		return invalid("%s: unknown status %q", what, p.Status)
	}
	if err := validAmount(what+": total", p.Total); err != nil {
		return err
	}
	if !p.DownPayment.IsZero() {
		if err := validAmount(what+": down payment", p.DownPayment); err != nil {
			return err
		}
	}
	if len(p.Installments) == 0 {
		return invalid("%s: no installments", what)
	}
	sum := decimal.Zero
	for i, in := range p.Installments {
		if in.Seq != 0 && in.Seq != i+1 {
			return invalid("%s: installment %d has number %d", what, i+1, in.Seq)
		}
		if in.Due.IsZero() {
			return invalid("%s: installment %d has no due date", what, i+1)
		}
		if err := validAmount(fmt.Sprintf("%s: installment %d", what, i+1), in.Amount); err != nil {
			return err
		}
		sum = sum.Add(in.Amount)
	}
	if !sum.Equal(p.Total) {
		return invalid("%s: installments sum to %s, not the total %s", what, sum, p.Total)
	}
	if p.DownPayment.IsPositive() && !p.Installments[0].Amount.Equal(p.DownPayment) {
		return invalid("%s: first installment %s is not the down payment %s", what, p.Installments[0].Amount, p.DownPayment)
	}
	return nil
}

func (t *txn) AddPlan(ctx context.Context, p *casestore.Plan) error {
	if err := validatePlan(p); err != nil {
		return err
	}
	status := p.Status
	if status == "" {
		status = casestore.PlanPending
	}
	now := t.now()
	if !p.CreatedAt.IsZero() { // a plan laid out earlier keeps its day (see casestore.Store.AddPlan)
		now = p.CreatedAt.UTC()
	}
	err := t.tx.QueryRow(ctx, `
		INSERT INTO plans (case_id, status, total, down_payment, created_at)
		SELECT id, $2, $3, $4, $5 FROM cases WHERE id = $1
		RETURNING id`,
		p.CaseID, status, p.Total, p.DownPayment, now,
	).Scan(&p.ID)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("plan: case %d", p.CaseID))
	}
	n := len(p.Installments)
	seqs, dues, amounts := make([]int32, n), make([]any, n), make([]string, n)
	for i := range p.Installments {
		in := &p.Installments[i]
		in.Seq = i + 1
		seqs[i], dues[i], amounts[i] = int32(in.Seq), day(in.Due), in.Amount.String()
	}
	// One statement for the whole schedule, however long.
	_, err = t.tx.Exec(ctx, `
		INSERT INTO installments (plan_id, seq, due, amount)
		SELECT $1, s, d, a::numeric FROM unnest($2::int[], $3::date[], $4::text[]) AS x(s, d, a)`,
		p.ID, seqs, dues, amounts)
	if err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("plan on case %d: installments", p.CaseID))
	}
	p.Status, p.CreatedAt = status, now
	return nil
}

func (t *txn) SetPlanStatus(ctx context.Context, id int64, s casestore.PlanStatus) error {
	if !validPlanStatus(s) {
		return invalid("plan %d: unknown status %q", id, s)
	}
	tag, err := t.tx.Exec(ctx, `UPDATE plans SET status = $2 WHERE id = $1`, id, s)
	if err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("plan %d: set status", id))
	}
	if tag.RowsAffected() == 0 {
		return notFound("plan %d", id)
	}
	return nil
}

func (t *txn) Plans(ctx context.Context, caseID int64) ([]*casestore.Plan, error) {
	rows, err := t.tx.Query(ctx, `
		SELECT id, case_id, status, total, down_payment, created_at
		FROM plans WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "plans")
	}
	plans, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.Plan, error) {
		p := &casestore.Plan{}
		err := row.Scan(&p.ID, &p.CaseID, &p.Status, &p.Total, &p.DownPayment, &p.CreatedAt)
		p.CreatedAt = p.CreatedAt.UTC()
		return p, err
	})
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "plans")
	}
	if len(plans) == 0 {
		if err := t.caseExists(ctx, caseID); err != nil {
			return nil, err
		}
		return plans, nil
	}
	if err := t.loadInstallments(ctx, caseID, plans); err != nil {
		return nil, err
	}
	return plans, nil
}

func (t *txn) loadInstallments(ctx context.Context, caseID int64, plans []*casestore.Plan) error {
	byID := make(map[int64]*casestore.Plan, len(plans))
	for _, p := range plans {
		byID[p.ID] = p
	}
	rows, err := t.tx.Query(ctx, `
		SELECT i.plan_id, i.seq, i.due, i.amount
		FROM installments i JOIN plans p ON p.id = i.plan_id
		WHERE p.case_id = $1 ORDER BY i.plan_id, i.seq`, caseID)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, "installments")
	}
	var planID int64
	var in casestore.Installment
	_, err = pgx.ForEachRow(rows, []any{&planID, &in.Seq, &in.Due, &in.Amount}, func() error {
		if p := byID[planID]; p != nil {
			p.Installments = append(p.Installments, in)
		}
		return nil
	})
	return dbError(err, casestore.ErrNotFound, "installments")
}
