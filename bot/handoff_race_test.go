package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// A collector claims queued chats while their debtors keep writing, the
// messages handled by two instances (two Conversations on one PostgreSQL
// and Redis). Once a claim has committed, no bot reply may be committed
// for that chat: the bot answering while a person answers is what the
// debtor must never see. Before the handoff was read inside the message's
// transaction, most of these races let a reply through.
func TestNoBotReplyIsCommittedAfterAClaim(t *testing.T) {
	store, hot := backends[1].open(t) // postgres+redis: the race needs real concurrency
	ctx := context.Background()
	c := storetest.NewCase(t, store, "IB-2026-000777")
	kim := &casestore.User{Email: "kim@example.test", Name: "Kim", Role: casestore.RoleCollector, PasswordHash: testHash}
	if err := store.AddUser(ctx, kim); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	instances := []*bot.Conversations{
		{Store: store, Hot: hot, Deliver: true, Log: quiet},
		{Store: store, Hot: hot, Deliver: true, Log: quiet},
	}

	const rounds, chats = 3, 10
	late := 0
	for round := range rounds {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i := range chats {
			addr := fmt.Sprintf("+3161000%02d%02d", round, i)
			h := &casestore.Handoff{Channel: "sms", Address: addr, CaseID: c.ID, Reason: "asked", Priority: 1}
			if _, err := store.RequestHandoff(ctx, h); err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := racesClaim(t, instances, store, h, kim.ID)
				mu.Lock()
				late += n
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	if late > 0 {
		t.Fatalf("%d bot replies were committed after the collector's claim (%d races)", late, rounds*chats)
	}
}

// racesClaim has the debtor of h write without pause, alternating between
// the instances, while the collector claims h at a random moment; it
// returns how many bot replies were committed after the claim.
func racesClaim(t *testing.T, instances []*bot.Conversations, store casestore.Store, h *casestore.Handoff, collector int64) int {
	ctx := context.Background()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			in := bot.Inbound{Channel: "sms", ProviderID: fmt.Sprintf("SM%s-%d", h.Address, n), From: h.Address, Phone: h.Address, Text: "hallo?"}
			if _, err := instances[n%len(instances)].Handle(ctx, in); err != nil {
				t.Errorf("message %d: %v", n, err)
				return
			}
		}
	}()
	time.Sleep(time.Duration(5+rand.IntN(20)) * time.Millisecond)
	if _, err := store.ClaimHandoff(ctx, h.ID, collector, time.Time{}, 10*time.Minute); err != nil {
		t.Errorf("claim: %v", err)
	}
	before := outboxIDs(t, store, h.Address)
	time.Sleep(30 * time.Millisecond) // messages keep coming after the claim
	close(stop)
	<-done
	late := 0
	for id := range outboxIDs(t, store, h.Address) {
		if !before[id] {
			late++
		}
	}
	return late
}

func outboxIDs(t *testing.T, store casestore.Store, addr string) map[int64]bool {
	msgs, err := store.OutboundFor(context.Background(), "sms", addr, 500)
	if err != nil {
		t.Errorf("outbox: %v", err)
	}
	ids := map[int64]bool{}
	for _, m := range msgs {
		ids[m.ID] = true
	}
	return ids
}

// An instance that dies while it handles a message leaves its
// conversation's lock in Redis. The lock is a short lease that only a
// living holder renews, so the debtor's next message (on another
// instance) is answered within seconds, not after the old 30 s.
func TestAConversationHeldByADeadInstanceMovesOnWithinFiveSeconds(t *testing.T) {
	store, hot := backends[1].open(t)
	storetest.NewCase(t, store, "IB-2026-000777")
	// What the dead instance left: the lock, taken as Handle takes it,
	// never renewed and never released.
	if _, _, err := hot.LockGet(context.Background(), "conv:sms:"+debtorPhone, "dialog:sms:"+debtorPhone, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	survivor := &bot.Conversations{Store: store, Hot: hot, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx, cancel := context.WithTimeout(context.Background(), 7*time.Second)
	defer cancel()
	turn, err := survivor.Handle(ctx, bot.Inbound{Channel: "sms", ProviderID: "SMnext", From: debtorPhone, Phone: debtorPhone, Text: "hallo"})
	if err != nil || len(turn.Replies) == 0 {
		t.Fatalf("the next message after the holder died: %v, %d replies; want an answer within the 5 s lease", err, len(turn.Replies))
	}
}
