package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// Three senders on one PostgreSQL with slow providers; the first dies
// while its provider calls are under way, after the providers accepted the
// messages and before it could mark them sent. The survivors take the
// messages over once its lease ran out: Twilio is asked and what it has is
// marked sent, never sent twice; Telegram cannot be asked, so a reply it
// may get twice comes with a delivery.uncertain entry in the dossier.
// Nothing is lost.
func TestRepliesOfADeadSenderAreNotSentTwice(t *testing.T) {
	store, hot := backends[1].open(t)
	ctx := context.Background()
	c := storetest.NewCase(t, store, "IB-2026-000777")
	const (
		accountSID = "AC0123456789abcdef0123456789abcdef"
		authToken  = "killTestAuthToken0123456789abcdef"
		tgToken    = "7000000002:AAKillTestTelegramToken0123456789"
	)
	tw := twiliofake.New(t, accountSID, authToken)
	tw.Slow(400 * time.Millisecond)
	tg := telegramfake.New(t, tgToken)
	tg.SendDelay = 400 * time.Millisecond
	twSender, err := twilio.NewSender(twilio.Config{AccountSID: accountSID, AuthToken: authToken,
		SMSFrom: "+3197010000001", WhatsAppFrom: "+3197010000002", APIURL: tw.URL, PublicURL: "https://bot.example.test"})
	if err != nil {
		t.Fatal(err)
	}
	tgClient, err := telegram.NewClient(telegram.Config{Token: tgToken, APIURL: tg.URL})
	if err != nil {
		t.Fatal(err)
	}
	senders := map[string]bot.Sender{"sms": twSender, "whatsapp": twSender, "telegram": tgClient}

	recipients := map[string][]string{
		"sms":      {"+31611000001", "+31611000002", "+31611000003"},
		"whatsapp": {"+31611000004", "+31611000005"},
		"telegram": {"7001", "7002", "7003"},
	}
	var queued []*casestore.OutboundMessage
	for round := range 2 {
		for channel, tos := range recipients {
			for _, to := range tos {
				m := &casestore.OutboundMessage{Channel: channel, To: to, CaseID: c.ID,
					Text: fmt.Sprintf("Antwoord %d aan %s via %s.", round+1, to, channel)}
				if err := store.EnqueueOutbound(ctx, m); err != nil {
					t.Fatal(err)
				}
				queued = append(queued, m)
			}
		}
	}

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	newOutbox := func() *bot.Outbox {
		return &bot.Outbox{Store: store, Hot: hot, Senders: senders, Log: quiet, Lease: time.Second, Poll: 50 * time.Millisecond}
	}
	// The first sender claims the first reply of every recipient and is
	// killed while its calls wait for the providers.
	dying, kill := context.WithCancel(ctx)
	first := make(chan struct{})
	go func() { defer close(first); _ = newOutbox().Run(dying) }()
	time.Sleep(150 * time.Millisecond)
	kill()
	<-first
	survivors, stop := context.WithCancel(ctx)
	defer stop()
	for range 2 {
		go func() { _ = newOutbox().Run(survivors) }()
	}

	deadline := time.Now().Add(20 * time.Second)
	for {
		depth, err := store.OutboxDepth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if depth == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d replies still unsent after the survivors took over", depth)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // calls the dead sender started have landed

	twilioGot := map[string]int{}
	for _, m := range tw.Messages() {
		twilioGot[m.Body]++
	}
	telegramGot := map[string]int{}
	for _, m := range tg.Sent() {
		telegramGot[m.Text]++
	}
	uncertain := map[int64]bool{}
	for _, e := range dossierOfCase(t, store, c.ID) {
		if e.Kind == bot.EntryDeliveryUncertain {
			var b struct {
				OutboundID int64 `json:"outbound_id"`
			}
			if err := json.Unmarshal(e.Body, &b); err != nil {
				t.Fatal(err)
			}
			uncertain[b.OutboundID] = true
		}
	}
	resumed, twice := 0, 0
	for _, q := range queued {
		m, err := store.Outbound(ctx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != casestore.OutboundSent {
			t.Errorf("reply %d (%s) is %s, want sent", m.ID, m.Channel, m.Status)
		}
		if m.Attempts > 1 {
			resumed++
		}
		if q.Channel == "telegram" {
			n := telegramGot[q.Text]
			if n > 1 {
				twice++
			}
			if n == 0 || (n > 1 && !uncertain[q.ID]) {
				t.Errorf("telegram reply %d reached the chat %d times, with delivery.uncertain filed: %v", q.ID, n, uncertain[q.ID])
			}
			continue
		}
		if n := twilioGot[q.Text]; n != 1 {
			t.Errorf("%s reply %d reached the phone %d times, want once", q.Channel, q.ID, n)
		}
	}
	if resumed == 0 {
		t.Fatal("no reply was taken over from the dead sender: the test did not kill where it means to")
	}
	t.Logf("%d replies taken over from the dead sender; %d Telegram replies delivered twice, each with delivery.uncertain", resumed, twice)
}

func dossierOfCase(t *testing.T, store casestore.Store, caseID int64) []casestore.DossierEntry {
	t.Helper()
	es, err := store.Dossier(context.Background(), caseID, casestore.DossierQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}
