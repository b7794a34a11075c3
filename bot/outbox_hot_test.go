package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// orderSender records the order of its sends and says when it has sent n.
type orderSender struct {
	mu   sync.Mutex
	sent []bot.Outgoing
	n    int
	done chan struct{}
}

func (s *orderSender) Send(_ context.Context, m bot.Outgoing) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	if len(s.sent) == s.n {
		close(s.done)
	}
	return fmt.Sprintf("SM%08d", m.ID), nil
}

// A debtor with 500 replies queued (5,000 in the store's conformance
// test, casestore/storetest: HotRecipientDelaysNoOne) does not delay another debtor's
// reply: the running outbox sends the other one among its first two sends
// (counted, not timed), and the busy debtor's replies go out one at a
// time, in the order queued, each marked sent once.
func TestARecipientsBacklogDelaysNoOtherRecipient(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			const hot, other = "+31611112222", "+31633334444"
			var backlog []int64
			err := f.store.InTx(ctx, func(tx casestore.Tx) error {
				for i := range 500 {
					m := &casestore.OutboundMessage{Channel: "sms", To: hot, CaseID: f.c.ID, Text: fmt.Sprintf("bericht %d", i), NextAttempt: f.now}
					if err := tx.EnqueueOutbound(ctx, m); err != nil {
						return err
					}
					backlog = append(backlog, m.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			late := f.enqueue(casestore.OutboundMessage{Channel: "sms", To: other, Text: "Dank u wel.", NextAttempt: f.now})

			const watch = 40
			s := &orderSender{n: watch, done: make(chan struct{})}
			ob := newOutbox(f, s)
			ob.Batch = 4
			run, stop := context.WithCancel(ctx)
			ran := make(chan error)
			go func() { ran <- ob.Run(run) }()
			<-s.done
			stop()
			if err := <-ran; err != nil {
				t.Fatal(err)
			}

			s.mu.Lock()
			sent := append([]bot.Outgoing(nil), s.sent...)
			s.mu.Unlock()
			pos, hotSeen := -1, 0
			for i, m := range sent {
				switch m.To {
				case other:
					pos = i
				case hot:
					if m.ID != backlog[hotSeen] {
						t.Fatalf("send %d: the busy debtor's message %d, want %d (queue order)", i, m.ID, backlog[hotSeen])
					}
					hotSeen++
				}
			}
			if pos < 0 || pos > 1 {
				t.Fatalf("the other debtor's reply went out as send %d of %d, want among the first two", pos, len(sent))
			}
			if got := f.outbound(late.ID); got.Status != casestore.OutboundSent {
				t.Errorf("the other debtor's reply is %s, want sent", got.Status)
			}
			// The last send's mark may have been cut off by the stop: its
			// lease runs out and it is taken over, as after a crash.
			for _, id := range backlog[:hotSeen-1] {
				if m := f.outbound(id); m.Status != casestore.OutboundSent || m.Attempts != 1 {
					t.Errorf("message %d is %s after %d attempts, want sent after 1", id, m.Status, m.Attempts)
				}
			}
			if m := f.outbound(backlog[hotSeen]); m.Status.Finished() {
				t.Errorf("message %d is %s though never sent", m.ID, m.Status)
			}
		})
	}
}
