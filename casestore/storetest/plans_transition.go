package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var planTransitionTests = []test{
	{"Plan/Transition", testPlanTransition},
	{"Plan/TransitionConcurrent", testPlanTransitionConcurrent},
}

// A decision applies only to a plan still in the status it was made on:
// a second decision on the same pending plan is refused and changes
// nothing, and so is a rolled-back one.
func testPlanTransition(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-PLANTR")
	p := threeTerms(c.ID)
	must(t, s.AddPlan(ctx, p), "AddPlan pending")
	other := threeTerms(c.ID)
	must(t, s.AddPlan(ctx, other), "AddPlan second pending")

	must(t, s.TransitionPlan(ctx, p.ID, casestore.PlanPending, casestore.PlanActive), "TransitionPlan pending → active")
	wantErr(t, s.TransitionPlan(ctx, p.ID, casestore.PlanPending, casestore.PlanRejected), casestore.ErrConflict,
		"TransitionPlan of a plan decided meanwhile")
	wantErr(t, s.TransitionPlan(ctx, 987654, casestore.PlanPending, casestore.PlanActive), casestore.ErrNotFound,
		"TransitionPlan(unknown plan)")
	wantErr(t, s.TransitionPlan(ctx, other.ID, casestore.PlanPending, "agreed"), casestore.ErrInvalid,
		"TransitionPlan to an unknown status")
	wantErr(t, s.TransitionPlan(ctx, other.ID, "maybe", casestore.PlanActive), casestore.ErrInvalid,
		"TransitionPlan from an unknown status")

	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		if err := tx.TransitionPlan(ctx, other.ID, casestore.PlanPending, casestore.PlanRejected); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, err, boom, "InTx rolled back")

	got, err := s.Plans(ctx, c.ID)
	must(t, err, "Plans")
	if len(got) != 2 {
		t.Fatalf("Plans: got %d, want 2", len(got))
	}
	wantEq(t, "decided plan", got[0].Status, casestore.PlanActive)
	wantEq(t, "plan whose decision rolled back", got[1].Status, casestore.PlanPending)
	if want := len(p.Installments); len(got[0].Installments) != want {
		t.Errorf("the decided plan has %d installments, want its %d kept", len(got[0].Installments), want)
	}
}

// Of several deciders at once exactly one succeeds; the rest get
// ErrConflict, and the plan holds the winner's decision.
func testPlanTransitionConcurrent(t *testing.T, s casestore.Store) {
	const deciders = 6
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := NewCase(t, s, "IB-PLANCC")
	p := threeTerms(c.ID)
	must(t, s.AddPlan(ctx, p), "AddPlan pending")
	to := func(i int) casestore.PlanStatus {
		if i%2 == 0 {
			return casestore.PlanActive
		}
		return casestore.PlanRejected
	}
	errs := make([]error, deciders)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range deciders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = s.InTx(ctx, func(tx casestore.Tx) error {
				return tx.TransitionPlan(ctx, p.ID, casestore.PlanPending, to(i))
			})
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("deciders %d and %d both changed the pending plan", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, casestore.ErrConflict):
			t.Errorf("decider %d: %v, want ErrConflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no decider changed the pending plan")
	}
	got, err := s.Plans(ctx, c.ID)
	must(t, err, "Plans")
	wantEq(t, "plan status after the race", got[0].Status, to(winner))
}
