package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/incassobot/incassobot/casestore"
)

func (s *Store) TransitionPlan(ctx context.Context, id int64, from, to casestore.PlanStatus) error {
	return s.write(ctx, func(t *txn) error { return t.TransitionPlan(ctx, id, from, to) })
}

// TransitionPlan updates only a plan still in from; SQLite has one writer
// at a time, so the read that tells "unknown" from "decided meanwhile"
// sees the state the update saw.
func (t *txn) TransitionPlan(ctx context.Context, id int64, from, to casestore.PlanStatus) error {
	if !slices.Contains(planStatuses, from) || !slices.Contains(planStatuses, to) {
		return fmt.Errorf("plan %d: unknown status %q or %q: %w", id, from, to, casestore.ErrInvalid)
	}
	res, err := t.exec(ctx, "transition plan", `UPDATE plans SET status = ? WHERE id = ? AND status = ?`, string(to), id, string(from))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: transition plan %d: %w", id, err)
	} else if n == 1 {
		return nil
	}
	var status string
	err = t.tx.QueryRowContext(ctx, `SELECT status FROM plans WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("plan %d: %w", id, casestore.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlite: plan %d: %w", id, translate(err))
	}
	return fmt.Errorf("plan %d: is %s, not %s: %w", id, status, from, casestore.ErrConflict)
}
