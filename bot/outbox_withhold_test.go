package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// A collector claims queued chats while their debtors keep writing, the
// messages handled by two instances, each with its own outbox sending to
// Twilio. Replies committed just before the claim are still in the outbox
// when it commits; none of them may reach the debtor after the claim:
// each is either sent before the claim committed or withheld, with a
// delivery.withheld entry in the dossier. Before the outbox checked the
// handoff at send time, replies reached the phone after the claim in most
// races.
func TestNoBotReplyIsSentAfterAClaim(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			store, hot := b.open(t)
			ctx := context.Background()
			c := storetest.NewCase(t, store, "IB-2026-000777")
			kim := &casestore.User{Email: "kim@example.test", Name: "Kim", Role: casestore.RoleCollector, PasswordHash: testHash}
			if err := store.AddUser(ctx, kim); err != nil {
				t.Fatal(err)
			}
			const accountSID, authToken = "AC0123456789abcdef0123456789abcdef", "withholdTestAuthToken0123456789ab"
			tw := twiliofake.New(t, accountSID, authToken)
			sender, err := twilio.NewSender(twilio.Config{AccountSID: accountSID, AuthToken: authToken,
				SMSFrom: "+3197010000001", APIURL: tw.URL, PublicURL: "https://bot.example.test"})
			if err != nil {
				t.Fatal(err)
			}
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			running, stop := context.WithCancel(ctx)
			var outboxes sync.WaitGroup
			defer func() { stop(); outboxes.Wait() }()
			var instances []*bot.Conversations
			var senders []*bot.Outbox
			for range 2 {
				o := &bot.Outbox{Store: store, Hot: hot, Senders: map[string]bot.Sender{"sms": sender}, Log: quiet, Poll: 2 * time.Millisecond}
				outboxes.Add(1)
				go func() { defer outboxes.Done(); _ = o.Run(running) }()
				senders = append(senders, o)
				instances = append(instances, &bot.Conversations{Store: store, Hot: hot, Deliver: true, Log: quiet})
			}

			// At least three rounds, more until three replies were caught
			// in the outbox by a claim (PostgreSQL's turns are slower).
			const chats = 8
			var mu sync.Mutex
			late, withheld, sentBefore, rounds := 0, 0, 0, 0
			for round := 0; round < 10 && (round < 3 || withheld < 3); round++ {
				rounds++
				var wg sync.WaitGroup
				for i := range chats {
					addr := fmt.Sprintf("+3161100%02d%02d", round, i)
					h := &casestore.Handoff{Channel: "sms", Address: addr, CaseID: c.ID, Reason: "asked", Priority: 1}
					if _, err := store.RequestHandoff(ctx, h); err != nil {
						t.Fatal(err)
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						l, w, s := racesClaimAtSend(t, instances, senders, store, tw, h, kim.ID)
						mu.Lock()
						late, withheld, sentBefore = late+l, withheld+w, sentBefore+s
						mu.Unlock()
					}()
				}
				wg.Wait()
			}
			withheldEntries := 0
			for _, e := range dossierOfCase(t, store, c.ID) {
				if e.Kind == bot.EntryDeliveryWithheld {
					var b struct {
						Text string `json:"text"`
					}
					if err := json.Unmarshal(e.Body, &b); err != nil || b.Text == "" {
						t.Errorf("delivery.withheld entry %d does not say what was withheld: %s", e.ID, e.Body)
					}
					withheldEntries++
				}
			}
			t.Logf("%d races: %d bot replies sent before the claim, %d withheld, %d reached the phone after the claim", rounds*chats, sentBefore, withheld, late)
			if late > 0 {
				t.Errorf("%d bot replies reached the phone after the collector's claim had committed", late)
			}
			if withheldEntries != withheld {
				t.Errorf("%d replies withheld but %d delivery.withheld entries in the dossier", withheld, withheldEntries)
			}
			if withheld == 0 {
				t.Errorf("no reply was waiting in the outbox at a claim: the races did not test the send-time check")
			}
		})
	}
}

// racesClaimAtSend has the debtor of h write without pause, alternating
// between the instances, while the collector claims h at a random moment.
// It returns how many bot replies the phone got after the claim returned,
// how many were withheld, and how many were sent before it.
func racesClaimAtSend(t *testing.T, instances []*bot.Conversations, outboxes []*bot.Outbox, store casestore.Store, tw *twiliofake.Fake, h *casestore.Handoff, collector int64) (late, withheld, sent int) {
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
			outboxes[n%len(outboxes)].Wake()
		}
	}()
	time.Sleep(time.Duration(5+rand.IntN(20)) * time.Millisecond)
	if _, err := store.ClaimHandoff(ctx, h.ID, collector, time.Time{}, 10*time.Minute); err != nil {
		t.Errorf("claim: %v", err)
	}
	claimed := time.Now()
	time.Sleep(30 * time.Millisecond) // messages keep coming after the claim
	close(stop)
	<-done
	// Every reply finished: sent or withheld.
	deadline := time.Now().Add(10 * time.Second)
	var rows []*casestore.OutboundMessage
	for {
		var err error
		rows, err = store.OutboundFor(ctx, "sms", h.Address, 500)
		if err != nil {
			t.Error(err)
			return
		}
		busy := 0
		for _, m := range rows {
			if !m.Status.Finished() {
				busy++
			}
		}
		if busy == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: %d replies still in the outbox", h.Address, busy)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, m := range rows {
		switch {
		case m.Status == casestore.OutboundFailed && m.LastError == bot.WithheldReason:
			withheld++
		case m.Status == casestore.OutboundFailed:
			t.Errorf("reply %d to %s failed: %s", m.ID, h.Address, m.LastError)
		default:
			sent++
		}
	}
	for _, m := range tw.Messages() {
		if m.To == h.Address && m.At.After(claimed) {
			late++
		}
	}
	return late, withheld, sent
}
