package bot_test

import (
	"context"
	"encoding/json"
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
	heard, err := f.conv.Hot.Subscribe(runCtx, bot.ConsoleTopic)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		bot.ExpireClaims(runCtx, f.store, f.conv.Hot, func() time.Time { return f.now }, time.Hour, slog.Default())
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
	// Open consoles hear which chat came back, and whose claim lapsed.
	select {
	case msg := <-heard:
		var a bot.Activity
		if err := json.Unmarshal(msg, &a); err != nil || a.Kind != bot.ActivityExpired ||
			a.HandoffID != queue[0].ID || a.LapsedBy != kim.ID || a.Address != debtorPhone {
			t.Errorf("the consoles heard %s (%v); want the expiry of chat %d lapsed by %d", msg, err, queue[0].ID, kim.ID)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("no console heard that the claim ran out")
	}
	stop()
	<-done
}
