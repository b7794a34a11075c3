package webchat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/webchat"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// The web chat in front of the real bot: router, conversations and outbox
// on SQLite, hot state in memory, and the web chat itself as the outbox's
// sender for "web". A debtor identifies with dossier number and postcode
// (no phone) and reads the balance over the events stream; nothing with an
// amount reaches the browser before that.
func TestWebChatThroughTheRealBot(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := sqlitetest.Open(t)
	c := storetest.NewCase(t, store, "IB-2026-000777") // debtor postcode 1234AB
	hot := hotstate.NewMemory()
	quiet := slog.New(slog.DiscardHandler)
	router := &bot.Router{Store: store, Conversations: &bot.Conversations{Store: store, Hot: hot, Deliver: true, Log: quiet}}
	wc := webchat.New(webchat.Config{}, router, hot, quiet)
	router.Outbox = &bot.Outbox{Store: store, Hot: hot, Senders: map[string]bot.Sender{"web": wc}, Log: quiet, Poll: 20 * time.Millisecond}
	go router.Outbox.Run(ctx)

	srv := newServer(t, wc.Handler())
	t.Cleanup(wc.Close)
	_, bs := openPage(t, wc.Handler(), nil)
	events := connectEvents(t, srv.URL, bs.cookie)

	turns := []struct {
		say     string
		want    []string
		wantNot []string
	}{
		{say: "Hallo, wat is mijn saldo?", want: []string{"Welkom in de chat", "dossiernummer"}, wantNot: []string{"€", "telefoonnummer"}},
		{say: "IB-2026-000777 9999ZZ", want: []string{"Deze gegevens kan ik niet bevestigen"}, wantNot: []string{"€"}},
		// The pending question (the balance) is answered right after
		// identification: total principal 1.234,57 = F-1001 1.234,56 +
		// F-1002 0,01 (storetest.CaseFor).
		{say: "IB-2026-000777 1234AB", want: []string{"U bent geïdentificeerd", "€ 1.234,57"}},
		{say: "saldo", want: []string{"Nog te betalen", "€", c.Creditor.Name}},
	}
	for i, turn := range turns {
		body := fmt.Sprintf(`{"id":"turn-%d","text":%q}`, i, turn.say)
		if rec := post(wc.Handler(), bs.cookie, bs.csrf, "application/json", body); rec.Code != 202 {
			t.Fatalf("turn %d: POST = %d %s", i+1, rec.Code, rec.Body)
		}
		ev := events.nextEvent(t, 10*time.Second)
		var r struct{ Text string }
		if ev.name != "reply" || json.Unmarshal([]byte(ev.data), &r) != nil {
			t.Fatalf("turn %d: event %s %s", i+1, ev.name, ev.data)
		}
		for _, w := range turn.want {
			if !strings.Contains(r.Text, w) {
				t.Errorf("turn %d (%s): reply lacks %q:\n%s", i+1, turn.say, w, r.Text)
			}
		}
		for _, w := range turn.wantNot {
			if strings.Contains(r.Text, w) {
				t.Errorf("turn %d (%s): reply shows %q before verification:\n%s", i+1, turn.say, w, r.Text)
			}
		}
	}
	// A retry of the last message (same client id) is deduplicated: no
	// second answer.
	if rec := post(wc.Handler(), bs.cookie, bs.csrf, "application/json", `{"id":"turn-3","text":"saldo"}`); rec.Code != 202 {
		t.Fatalf("retry: %d", rec.Code)
	}
	events.expectNoEvent(t, 500*time.Millisecond)
}
