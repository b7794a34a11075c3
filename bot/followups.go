package bot

import (
	"context"

	"github.com/incassobot/incassobot/casestore"
)

// FollowUps schedules what the agency sends later because of a fact (an
// agreed plan's reminders, a promise's follow-up), in the transaction
// that writes the fact: bot/followup.Engine. A nil FollowUps schedules
// nothing.
type FollowUps interface {
	PlanAgreed(ctx context.Context, tx casestore.Tx, c *casestore.Case, p *casestore.Plan) error
	PromiseMade(ctx context.Context, tx casestore.Tx, c *casestore.Case, p *casestore.Promise) error
}

// PlanActivated schedules the follow-ups of plan planID of case caseID
// if it is active; call it in the transaction that made it so.
func PlanActivated(ctx context.Context, tx casestore.Tx, fu FollowUps, caseID, planID int64) error {
	if fu == nil {
		return nil
	}
	c, err := tx.Case(ctx, caseID)
	if err != nil {
		return err
	}
	plans, err := tx.Plans(ctx, caseID)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.ID == planID && p.Status == casestore.PlanActive {
			return fu.PlanAgreed(ctx, tx, c, p)
		}
	}
	return nil
}

// promiseMade schedules the follow-up of a promise just recorded.
func promiseMade(ctx context.Context, tx casestore.Tx, fu FollowUps, p *casestore.Promise) error {
	if fu == nil {
		return nil
	}
	c, err := tx.Case(ctx, p.CaseID)
	if err != nil {
		return err
	}
	return fu.PromiseMade(ctx, tx, c, p)
}
