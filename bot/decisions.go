package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// A collector's decision on a plan reaches the dialog through its state:
// a counter-offer waits there for the debtor's "ja", so that once the
// chat is handed back the bot takes the yes as agreement to that plan
// (dialogs.OfferPlan); an approval or a rejection takes the offer away
// again (dialogs.WithdrawOffer). The dialog state is hot state and may be
// lost: the plan itself is in the store, and a collector can still
// approve it there.

// OfferPlan puts plan p, stored pending, on offer in the conversation
// (channel, address). ok is false when the conversation has no state
// verified for p's case (the debtor then identifies again, and the
// collector decides). It takes the conversation's lock, so it never
// overwrites the position of a message being handled.
func OfferPlan(ctx context.Context, hot hotstate.Store, channel, address string, p casestore.Plan, now time.Time) (ok bool, err error) {
	return editDialogState(ctx, hot, channel, address, func(st dialogs.State) (dialogs.State, bool) {
		return dialogs.OfferPlan(st, p, now)
	})
}

// WithdrawPlanOffer takes plan planID off offer in the conversation, when
// it is on offer there; ok reports whether it was.
func WithdrawPlanOffer(ctx context.Context, hot hotstate.Store, channel, address string, planID int64) (ok bool, err error) {
	return editDialogState(ctx, hot, channel, address, func(st dialogs.State) (dialogs.State, bool) {
		return dialogs.WithdrawOffer(st, planID)
	})
}

// editDialogState changes the conversation's saved dialog state under
// the conversation's lock; nothing when there is none or edit declines.
func editDialogState(ctx context.Context, hot hotstate.Store, channel, address string, edit func(dialogs.State) (dialogs.State, bool)) (bool, error) {
	if hot == nil {
		return false, nil
	}
	key := Inbound{Channel: channel, From: address}.ConversationKey()
	lockCtx, cancel := context.WithTimeout(ctx, conversationTO)
	defer cancel()
	unlock, err := hot.Lock(lockCtx, "conv:"+key, conversationLease) // two round trips: no renewal needed
	if err != nil {
		return false, fmt.Errorf("bot: dialog state: %w", err)
	}
	defer unlock()
	b, err := hot.Get(ctx, dialogStatePrefix+key)
	if errors.Is(err, hotstate.ErrMiss) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bot: dialog state: %w", err)
	}
	var st dialogs.State
	if json.Unmarshal(b, &st) != nil {
		return false, nil // unreadable: the bot restarts the conversation anyway
	}
	st, ok := edit(st)
	if !ok {
		return false, nil
	}
	if b, err = json.Marshal(st); err != nil {
		return false, fmt.Errorf("bot: dialog state: %w", err)
	}
	if err := hot.Set(ctx, dialogStatePrefix+key, b, StateTTL); err != nil {
		return false, fmt.Errorf("bot: dialog state: %w", err)
	}
	return true, nil
}

// acceptOffer makes a collector's counter-offer the debtor agreed to in
// the chat the case's plan. A plan approved meanwhile by the collector is
// the same agreement; one rejected meanwhile is not, and the message fails
// rather than tell the debtor a plan is agreed that is not (the console
// takes the offer out of the dialog when it rejects, so this is a race of
// moments).
func acceptOffer(ctx context.Context, tx casestore.Tx, p casestore.Plan) error {
	err := tx.TransitionPlan(ctx, p.ID, casestore.PlanPending, casestore.PlanActive)
	if !errors.Is(err, casestore.ErrConflict) {
		return err
	}
	plans, perr := tx.Plans(ctx, p.CaseID)
	if perr != nil {
		return perr
	}
	for _, q := range plans {
		if q.ID == p.ID && q.Status == casestore.PlanActive {
			return nil
		}
	}
	return fmt.Errorf("bot: the debtor agreed to plan %d, decided meanwhile: %w", p.ID, err)
}

// dropDecidedOffer takes a collector's counter-offer out of the dialog
// when it is no longer pending: the console withdraws it when it decides,
// but that write to hot state can be lost, and a yes to a decided offer
// must neither agree to it nor fail (and be retried) forever. The
// conversation then goes on from the menu.
func (cv *Conversations) dropDecidedOffer(ctx context.Context, st dialogs.State) (dialogs.State, error) {
	id := st.OfferedPlan()
	if id == 0 {
		return st, nil
	}
	plans, err := cv.Store.Plans(ctx, st.CaseID)
	if err != nil {
		return st, err
	}
	for _, p := range plans {
		if p.ID == id && p.Status == casestore.PlanPending {
			return st, nil
		}
	}
	st, _ = dialogs.WithdrawOffer(st, id)
	return st, nil
}
