package bot_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

func TestAClaimLeftUnansweredGoesBackToTheQueue(t *testing.T) {
	f := newFixture(t, backends[0])
	ctx := context.Background()
	f.say("sms", debtorPhone, "ik wil iemand spreken")
	queue, _ := f.store.Queue(ctx, casestore.QueueFilter{})
	if len(queue) != 1 {
		t.Fatalf("want one queued chat, got %+v", queue)
	}
	kim := f.collector()
	if _, err := f.store.ClaimHandoff(ctx, queue[0].ID, kim.ID, f.now, 15*time.Minute); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(16 * time.Minute) // Kim went home without answering
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		bot.ExpireClaims(runCtx, f.store, func() time.Time { return f.now }, time.Hour, slog.Default())
		close(done)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		h, err := f.store.Handoff(ctx, queue[0].ID)
		if err == nil && h.Status == casestore.HandoffQueued && h.CollectorID == 0 && h.TimesExpired == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the unanswered claim was not returned to the queue: %+v, %v", h, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done
}
