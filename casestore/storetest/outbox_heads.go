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

var outboxHeadTests = []test{
	{"Outbox/HotRecipientDelaysNoOne", testHotRecipient},
	{"Outbox/MarkSentBatch", testMarkSentBatch},
	{"Concurrent/EnqueueWhileBatchesAreMarked", testEnqueueWhileMarking},
}

// testHotRecipient: one debtor with 5,000 replies queued holds back no
// other debtor's reply, and still gets its own one at a time, in order.
func testHotRecipient(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	const hot, other = "whatsapp:+31611110000", "whatsapp:+31622220000"
	var backlog []int64
	must(t, s.InTx(ctx, func(tx casestore.Tx) error {
		for i := range 5000 {
			backlog = append(backlog, enqueue(t, tx, hot, fmt.Sprintf("bericht %d", i)).ID)
		}
		return nil
	}), "queueing the backlog")
	o := enqueue(t, s, other, "Dank u wel.")
	now := t0.Add(time.Minute)
	wantIDs(t, "claim of one: the oldest", claim(t, s, now, 1), backlog[0])
	wantIDs(t, "claim of one while the hot recipient's first is sending: the other's", claim(t, s, now, 1), o.ID)
	wantIDs(t, "claim while both are sending", claim(t, s, now, 10))
	for i := range 3 {
		must(t, s.MarkSent(ctx, backlog[i], 1, fmt.Sprintf("SM-hot-%d", i), now), "MarkSent")
		wantIDs(t, "claim after the hot recipient's message is sent: its next", claim(t, s, now, 10), backlog[i+1])
	}
	b, err := s.OutboxBacklog(ctx, now)
	must(t, err, "OutboxBacklog")
	if b.OldestQueued.IsZero() || b.OldestQueued.After(o.CreatedAt) {
		t.Errorf("OutboxBacklog.OldestQueued = %v, want the hot recipient's first queueing (before %v)", b.OldestQueued, o.CreatedAt)
	}
	if !b.OldestDue.IsZero() {
		t.Errorf("OutboxBacklog.OldestDue = %v with nothing claimable, want zero", b.OldestDue)
	}
	late := enqueue(t, s, "whatsapp:+31633330000", "Herinnering")
	b, err = s.OutboxBacklog(ctx, now)
	must(t, err, "OutboxBacklog")
	wantInstant(t, "OutboxBacklog.OldestDue with one claimable", b.OldestDue, late.NextAttempt)
}

// testMarkSentBatch: many marks in one commit, each refused or recorded
// as MarkSent would, and each recipient's next message claimable after.
func testMarkSentBatch(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	a1 := enqueue(t, s, "whatsapp:+31611111111", "a1")
	b1 := enqueue(t, s, "whatsapp:+31622222222", "b1")
	c1 := enqueue(t, s, "whatsapp:+31633333333", "c1")
	a2 := enqueue(t, s, "whatsapp:+31611111111", "a2")
	b2 := enqueue(t, s, "whatsapp:+31622222222", "b2")
	now := t0.Add(time.Minute)
	wantIDs(t, "first claim", claim(t, s, now, 10), a1.ID, b1.ID, c1.ID)
	errs, err := s.MarkSentBatch(ctx, []casestore.SentMark{
		{ID: a1.ID, Attempt: 1, ProviderID: "SM-a1", At: now},
		{ID: b1.ID, Attempt: 1, ProviderID: "SM-b1"},
		{ID: c1.ID, Attempt: 7, ProviderID: "SM-c1"}, // not this claim
		{ID: 987654, Attempt: 1, ProviderID: "SM-x"},
	})
	must(t, err, "MarkSentBatch")
	if len(errs) != 4 || errs[0] != nil || errs[1] != nil ||
		!errors.Is(errs[2], casestore.ErrConflict) || !errors.Is(errs[3], casestore.ErrNotFound) {
		t.Fatalf("MarkSentBatch errors: %v, want nil, nil, a conflict, not found", errs)
	}
	for id, want := range map[int64]casestore.OutboundStatus{a1.ID: casestore.OutboundSent, b1.ID: casestore.OutboundSent, c1.ID: casestore.OutboundSending} {
		m, err := s.Outbound(ctx, id)
		must(t, err, "Outbound")
		wantEq(t, fmt.Sprintf("status of %d", id), m.Status, want)
	}
	m, err := s.Outbound(ctx, a1.ID)
	must(t, err, "Outbound")
	wantEq(t, "ProviderID", m.ProviderID, "SM-a1")
	wantInstant(t, "SentAt", *m.SentAt, now)
	wantIDs(t, "claim after the batch: each sent recipient's next", claim(t, s, now, 10), a2.ID, b2.ID)
	errs, err = s.MarkSentBatch(ctx, []casestore.SentMark{{ID: a1.ID, Attempt: 1, ProviderID: "SM-a1"}})
	must(t, err, "MarkSentBatch again")
	if !errors.Is(errs[0], casestore.ErrConflict) {
		t.Errorf("marking a sent message again: %v, want a conflict", errs[0])
	}
}

// testEnqueueWhileMarking: turns queue replies to a few debtors while
// senders claim and mark them in batches: every reply goes out once, each
// debtor's in order, none is stranded behind a finished one.
func testEnqueueWhileMarking(t *testing.T, s casestore.Store) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const recipients, each = 6, 25
	now := t0.Add(time.Minute)
	var mu sync.Mutex
	last := map[string]int64{}
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	for r := range recipients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m := &casestore.OutboundMessage{Channel: "whatsapp", To: fmt.Sprintf("whatsapp:+3163000%04d", r), Text: fmt.Sprint(i), NextAttempt: t0}
				if err := s.EnqueueOutbound(ctx, m); err != nil {
					t.Errorf("EnqueueOutbound: %v", err)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var senders sync.WaitGroup
	for w := range 3 {
		senders.Add(1)
		go func() {
			defer senders.Done()
			for idle := 0; idle < 5; {
				got, err := s.ClaimOutbound(ctx, now, 4, time.Hour)
				if err != nil {
					t.Errorf("sender %d: ClaimOutbound: %v", w, err)
					return
				}
				select {
				case <-done:
				default:
					idle = 0 // the turns are still queueing
				}
				if len(got) == 0 {
					idle++
					time.Sleep(5 * time.Millisecond)
					continue
				}
				idle = 0
				var marks []casestore.SentMark
				mu.Lock()
				for _, m := range got {
					claimed[m.ID]++
					if m.ID <= last[m.To] {
						t.Errorf("%s: message %d claimed after %d", m.To, m.ID, last[m.To])
					}
					last[m.To] = m.ID
					marks = append(marks, casestore.SentMark{ID: m.ID, Attempt: m.Attempts, ProviderID: fmt.Sprintf("SM-%d", m.ID)})
				}
				mu.Unlock()
				errs, err := s.MarkSentBatch(ctx, marks)
				if err != nil {
					t.Errorf("sender %d: MarkSentBatch: %v", w, err)
					return
				}
				for _, err := range errs {
					if err != nil {
						t.Errorf("sender %d: MarkSentBatch: %v", w, err)
					}
				}
			}
		}()
	}
	senders.Wait()
	wantEq(t, "messages claimed", len(claimed), recipients*each)
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("message %d claimed %d times", id, n)
		}
	}
	wantEq(t, "OutboxDepth after the senders", depth(t, s), 0)
}
