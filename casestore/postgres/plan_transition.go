package postgres

import (
	"context"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
)

func (s *Store) TransitionPlan(ctx context.Context, id int64, from, to casestore.PlanStatus) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.TransitionPlan(ctx, id, from, to) })
}

// TransitionPlan reads the plan's status FOR UPDATE, so that of two
// collectors deciding at once the second waits and then sees the first
// one's decision (ErrConflict) instead of overwriting it.
func (t *txn) TransitionPlan(ctx context.Context, id int64, from, to casestore.PlanStatus) error {
	if !validPlanStatus(from) || !validPlanStatus(to) {
		return invalid("plan %d: unknown status %q or %q", id, from, to)
	}
	var status casestore.PlanStatus
	err := t.tx.QueryRow(ctx, `SELECT status FROM plans WHERE id = $1 FOR UPDATE`, id).Scan(&status)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("plan %d", id))
	}
	if status != from {
		return fmt.Errorf("plan %d: is %s, not %s: %w", id, status, from, casestore.ErrConflict)
	}
	_, err = t.tx.Exec(ctx, `UPDATE plans SET status = $2 WHERE id = $1`, id, to)
	return dbError(err, casestore.ErrInvalid, fmt.Sprintf("plan %d: set status", id))
}
