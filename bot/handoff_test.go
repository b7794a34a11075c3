package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// A bcrypt-shaped hash: the store only checks the format.
const testHash = "$2a$04$abcdefghijklmnopqrstuu0123456789ABCDEFGHIJKLMNOPQRSTU"

func (f *fixture) collector() *casestore.User {
	f.t.Helper()
	u := &casestore.User{Email: "collector@example.test", Name: "Kim", Role: casestore.RoleCollector, PasswordHash: testHash}
	if err := f.store.AddUser(context.Background(), u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

func TestAPersonHoldingTheChatSilencesTheBotUntilHandedBack(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			f.conv.Deliver = true
			ctx := context.Background()
			live, err := f.conv.Hot.Subscribe(ctx, bot.ConsoleTopic)
			if err != nil {
				t.Fatal(err)
			}
			f.say("whatsapp", debtorPhone, "IB-2026-000777 1234AB")
			asked := f.say("whatsapp", debtorPhone, "ik wil iemand spreken")
			queue, err := f.store.Queue(ctx, casestore.QueueFilter{})
			if err != nil || len(queue) != 1 || queue[0].CaseID != f.c.ID || queue[0].Address != debtorPhone {
				t.Fatalf("asking for a person did not queue the conversation: %+v, %v (reply %q)", queue, err, asked)
			}
			select {
			case msg := <-live:
				var a bot.Activity
				if json.Unmarshal(msg, &a) != nil || a.Kind != "handoff.requested" {
					t.Fatalf("the console heard %s", msg)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("the console was not told about the handoff")
			}

			kim := f.collector()
			if _, err := f.store.ClaimHandoff(ctx, queue[0].ID, kim.ID, f.now, 10*time.Minute); err != nil {
				t.Fatal(err)
			}
			before, _ := f.store.OutboxDepth(ctx)
			f.now = f.now.Add(time.Minute)
			turn, err := f.conv.Handle(ctx, bot.Inbound{Channel: "whatsapp", ProviderID: "SMheld", From: debtorPhone, Phone: debtorPhone, Text: "hallo? zijn jullie daar"})
			if err != nil {
				t.Fatal(err)
			}
			after, _ := f.store.OutboxDepth(ctx)
			if turn.HeldBy != kim.ID || len(turn.Replies) != 0 || after != before {
				t.Fatalf("the bot talked over the collector: held by %d, replies %+v, outbox %d→%d", turn.HeldBy, turn.Replies, before, after)
			}
			found := false
			for _, e := range f.dossier() {
				found = found || e.Kind == casestore.EntryMessageIn && strings.Contains(string(e.Body), "zijn jullie daar")
			}
			if !found {
				t.Fatal("the debtor's message to the collector is not in the dossier")
			}
			turn, _ = f.conv.Handle(ctx, bot.Inbound{Channel: "whatsapp", ProviderID: "SMstop", From: debtorPhone, Phone: debtorPhone, Text: "STOP"})
			if opted, _ := f.store.OptedOut(ctx, "whatsapp", debtorPhone); !opted || len(turn.Replies) != 0 {
				t.Fatalf("STOP while a person holds the chat: opted out %v, replies %+v", opted, turn.Replies)
			}

			if _, err := f.store.ResolveHandoff(ctx, queue[0].ID, kim.ID, f.now); err != nil {
				t.Fatal(err)
			}
			back := f.say("whatsapp", debtorPhone, "wat is mijn saldo")
			if !strings.Contains(back, "1.234,57") {
				t.Fatalf("after the hand-back the bot did not resume with the balance:\n%s", back)
			}
		})
	}
}
