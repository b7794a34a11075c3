package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func testConcurrentClaim(t *testing.T, s casestore.Store) {
	const collectors = 8
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var users []*casestore.User
	for i := range collectors {
		users = append(users, NewCollector(t, s, fmt.Sprintf("collector%d@incasso.example", i)))
	}
	h, _ := request(t, s, "whatsapp:+31600000006", "hardship", 2, h0)
	now := h0.Add(time.Minute)
	errs := make([]error, collectors)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = s.ClaimHandoff(ctx, h.ID, u.ID, now, chatLease)
		}()
	}
	close(start)
	wg.Wait()
	winner := int64(0)
	for i, err := range errs {
		switch {
		case err == nil && winner != 0:
			t.Errorf("collector %d also won the claim", users[i].ID)
		case err == nil:
			winner = users[i].ID
		case !errors.Is(err, casestore.ErrConflict):
			t.Errorf("collector %d: got error %v, want a conflict", users[i].ID, err)
		}
	}
	if winner == 0 {
		t.Fatal("no collector won the claim")
	}
	got, err := s.Handoff(ctx, h.ID)
	must(t, err, "Handoff")
	wantEq(t, "holder", got.CollectorID, winner)
	wantStrings(t, "log", actions(t, s, h.ID), []string{"requested:0", act(casestore.ActionClaimed, winner)})
}

func testConcurrentRequests(t *testing.T, s casestore.Store) {
	const workers = 8
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	addr := "whatsapp:+31600000007"
	ids := make([]int64, workers)
	created := make([]bool, workers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			h := &casestore.Handoff{Channel: "whatsapp", Address: addr, Reason: fmt.Sprintf("reason %d", i), Priority: i % 3, RequestedAt: h0}
			var err error
			if created[i], err = s.RequestHandoff(ctx, h); err != nil {
				t.Errorf("worker %d: RequestHandoff: %v", i, err)
			}
			ids[i] = h.ID
		}()
	}
	close(start)
	wg.Wait()
	n := 0
	for i := range workers {
		if created[i] {
			n++
		}
		if ids[i] != ids[0] {
			t.Errorf("worker %d got handoff %d, worker 0 got %d: want one handoff", i, ids[i], ids[0])
		}
	}
	wantEq(t, "requests that created the handoff", n, 1)
	got, err := s.OpenHandoff(ctx, "whatsapp", addr)
	must(t, err, "OpenHandoff")
	wantEq(t, "priority: the highest asked", got.Priority, 2)
	q, err := s.Queue(ctx, casestore.QueueFilter{})
	must(t, err, "Queue")
	wantEq(t, "queue rows", len(q), 1)
}
