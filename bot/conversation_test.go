package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
)

const debtorPhone = "+31612345678" // on file for the case storetest.NewCase makes

// backend is one pairing of system of record and hot state the bot runs on.
type backend struct {
	name string
	open func(t *testing.T) (casestore.Store, hotstate.Store)
}

var backends = []backend{
	{"sqlite+memory", func(t *testing.T) (casestore.Store, hotstate.Store) {
		return sqlitetest.OpenAt(t, filepath.Join(t.TempDir(), "bot.db")), hotstate.NewMemory()
	}},
	{"postgres+redis", func(t *testing.T) (casestore.Store, hotstate.Store) {
		ctx := context.Background()
		s := pgstoretest.Open(t)
		url, prefix := redistest.NewPrefix(t)
		h, err := hotstate.OpenRedis(ctx, url, prefix)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		return s, h
	}},
}

// fixture is a running bot with one case on file.
type fixture struct {
	t     *testing.T
	store casestore.Store
	conv  *bot.Conversations
	c     *casestore.Case
	now   time.Time
}

func newFixture(t *testing.T, b backend) *fixture {
	store, hot := b.open(t)
	f := &fixture{t: t, store: store, now: time.Date(2026, time.November, 24, 10, 0, 0, 0, casestore.Amsterdam)}
	f.c = storetest.NewCase(t, store, "IB-2026-000777")
	if m, ok := hot.(*hotstate.Memory); ok {
		m.Now = func() time.Time { return f.now } // lock expiry follows the test clock
	}
	clock := func() time.Time { return f.now }
	switch s := store.(type) { // the store's own timestamps follow it too
	case *sqlite.Store:
		s.Now = clock
	case *postgres.Store:
		s.Now = clock
	}
	f.conv = &bot.Conversations{Store: store, Hot: hot, Now: func() time.Time { return f.now }}
	return f
}

// say sends one SMS from channel/phone and returns the reply text.
func (f *fixture) say(channel, phone, text string) string {
	f.t.Helper()
	f.now = f.now.Add(time.Minute)
	turn, err := f.conv.Handle(context.Background(), bot.Inbound{Channel: channel, From: phone, Phone: phone, Text: text})
	if err != nil {
		f.t.Fatalf("Handle(%q): %v", text, err)
	}
	var b strings.Builder
	for _, r := range turn.Replies {
		b.WriteString(r.Text + "\n")
	}
	if b.Len() == 0 {
		f.t.Fatalf("Handle(%q): no reply", text)
	}
	return b.String()
}

func (f *fixture) dossier() []casestore.DossierEntry {
	f.t.Helper()
	es, err := f.store.Dossier(context.Background(), f.c.ID, casestore.DossierQuery{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

func kinds(es []casestore.DossierEntry) map[casestore.EntryKind]int {
	m := map[casestore.EntryKind]int{}
	for _, e := range es {
		m[e.Kind]++
	}
	return m
}

// leaks reports case data a reply must not show before verification.
func leaks(reply string, c *casestore.Case) string {
	for _, secret := range []string{"1.234,5", "1234.5", "1,234.5", "€", c.Creditor.Name, "F-1001", "F-1002", c.Debtor.Name} {
		if secret != "" && strings.Contains(reply, secret) {
			return secret
		}
	}
	return ""
}

func TestConversationVerifiesThenShowsBalanceAndFilesEverything(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			first := f.say("sms", debtorPhone, "hoeveel moet ik nog betalen?")
			if s := leaks(first, f.c); s != "" {
				t.Fatalf("before verification the reply shows %q:\n%s", s, first)
			}
			f.say("sms", debtorPhone, "IB-2026-000777 1234 AB")
			balance := f.say("sms", debtorPhone, "wat is mijn saldo")
			if !strings.Contains(balance, "1.234,57") {
				t.Fatalf("verified balance reply does not show the total principal 1.234,57 (1.234,56 + 0,01):\n%s", balance)
			}
			k := kinds(f.dossier())
			if k[casestore.EntryMessageIn] != 3 || k[casestore.EntryMessageOut] < 3 {
				t.Fatalf("dossier holds %d messages in and %d out, want 3 and ≥3: %v", k[casestore.EntryMessageIn], k[casestore.EntryMessageOut], k)
			}
			if k["verification.succeeded"] != 1 || k[casestore.EntryBalanceShown] < 1 {
				t.Fatalf("dossier lacks the verification or the balance shown: %v", k)
			}
		})
	}
}

func TestLosingHotStateLosesNoDossierEntry(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			f.say("whatsapp", debtorPhone, "hallo")
			f.say("whatsapp", debtorPhone, "IB-2026-000777 1234AB")
			before := f.dossier()

			// Redis flushed: a fresh hot state under the same store.
			fresh := hotstate.NewMemory()
			fresh.Now = func() time.Time { return f.now }
			f.conv.Hot = fresh
			reply := f.say("whatsapp", debtorPhone, "wat is mijn saldo")
			if s := leaks(reply, f.c); s != "" {
				t.Fatalf("after losing the dialog state the bot shows %q without verifying again:\n%s", s, reply)
			}
			f.say("whatsapp", debtorPhone, "IB-2026-000777 1234AB")
			after := f.dossier()
			byID := map[int64]casestore.DossierEntry{}
			for _, e := range after {
				byID[e.ID] = e
			}
			for _, e := range before {
				got, ok := byID[e.ID]
				if !ok || string(got.Body) != string(e.Body) {
					t.Fatalf("entry %d (%s) was lost or changed", e.ID, e.Kind)
				}
			}
			if kinds(after)["verification.succeeded"] != 2 {
				t.Fatalf("the debtor could not verify again after the state was lost: %v", kinds(after))
			}
		})
	}
}

func TestThreeFailuresLockVerificationOnEveryChannel(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			f.say("sms", debtorPhone, "hallo")
			for i := 0; i < 3; i++ {
				f.say("sms", debtorPhone, "IB-2026-000777 9999ZZ")
			}
			// The right answer, on another channel, within 15 minutes.
			reply := f.say("whatsapp", debtorPhone, "IB-2026-000777 1234AB")
			reply += f.say("whatsapp", debtorPhone, "saldo")
			if s := leaks(reply, f.c); s != "" {
				t.Fatalf("a locked case was disclosed (%q):\n%s", s, reply)
			}
			k := kinds(f.dossier())
			if k["verification.succeeded"] != 0 || k["verification.locked"] < 1 {
				t.Fatalf("want a lock and no success, dossier has %v", k)
			}
			// After the lock expires the debtor gets in (the counters are
			// in the store, on the bot's clock, on every backend).
			f.now = f.now.Add(16 * time.Minute)
			f.say("whatsapp", debtorPhone, "IB-2026-000777 1234AB")
			if k := kinds(f.dossier()); k["verification.succeeded"] != 1 {
				t.Fatalf("after the lock expired verification still fails: %v", k)
			}
		})
	}
}

func TestARetriedDeliveryIsFiledAndAnsweredOnce(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			f.conv.Deliver = true
			msg := bot.Inbound{Channel: "whatsapp", ProviderID: "SM0001", From: debtorPhone, Phone: debtorPhone, Text: "hallo"}
			for i := 0; i < 3; i++ {
				turn, err := f.conv.Handle(context.Background(), msg)
				if err != nil {
					t.Fatal(err)
				}
				if want := i > 0; turn.Duplicate != want {
					t.Fatalf("delivery %d: Duplicate = %v, want %v", i+1, turn.Duplicate, want)
				}
			}
			if k := kinds(f.dossier()); k[casestore.EntryMessageIn] != 1 {
				t.Fatalf("three deliveries of one message filed %d times: %v", k[casestore.EntryMessageIn], k)
			}
			out, err := f.store.OutboundFor(context.Background(), "whatsapp", debtorPhone, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != 1 || out[0].Status != casestore.OutboundPending || out[0].CaseID != f.c.ID {
				t.Fatalf("want one pending reply in the outbox for the case, got %+v", out)
			}
		})
	}
}

func TestStopIsRememberedWhenHotStateIsLost(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			f.say("sms", debtorPhone, "STOP")
			opted, err := f.store.OptedOut(context.Background(), "sms", debtorPhone)
			if err != nil || !opted {
				t.Fatalf("after STOP the store says opted out = %v, %v", opted, err)
			}
			fresh := hotstate.NewMemory()
			f.conv.Hot = fresh
			f.say("sms", debtorPhone, "hallo")
			if opted, _ := f.store.OptedOut(context.Background(), "sms", debtorPhone); !opted {
				t.Fatal("writing again after STOP silently opted the debtor back in")
			}
		})
	}
}

func TestGuessesSpreadOverWebSessionsStillLockTheCase(t *testing.T) {
	f := newFixture(t, backends[0])
	web := func(session, text string) string {
		t.Helper()
		f.now = f.now.Add(time.Minute)
		turn, err := f.conv.Handle(context.Background(), bot.Inbound{Channel: "web", From: session, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, r := range turn.Replies {
			b.WriteString(r.Text + "\n")
		}
		return b.String()
	}
	// Each new cookie is a new conversation with a fresh dialog count.
	for i, session := range []string{"s1", "s2", "s3"} {
		web(session, "hallo")
		if reply := web(session, "IB-2026-000777 9999ZZ"); leaks(reply, f.c) != "" {
			t.Fatalf("attempt %d disclosed case data:\n%s", i+1, reply)
		}
	}
	web("s4", "hallo")
	reply := web("s4", "IB-2026-000777 1234AB") + web("s4", "saldo")
	if s := leaks(reply, f.c); s != "" {
		t.Fatalf("three wrong guesses from three sessions did not lock the case: %q shown\n%s", s, reply)
	}
	if k := kinds(f.dossier()); k["verification.succeeded"] != 0 {
		t.Fatalf("verification succeeded on a case that should be locked: %v", k)
	}
}

func TestHistoryInterleavesBothDirectionsOldestFirst(t *testing.T) {
	f := newFixture(t, backends[0])
	f.conv.Deliver = true
	for _, text := range []string{"hallo", "IB-2026-000777 1234AB"} {
		f.now = f.now.Add(time.Minute)
		if _, err := f.conv.Handle(context.Background(), bot.Inbound{Channel: "web", From: "session-1", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	lines, err := bot.History(context.Background(), f.store, "web", "session-1", 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 4 || !lines[0].FromDebtor || lines[0].Text != "hallo" || lines[1].FromDebtor {
		t.Fatalf("want hallo, the bot's answer, then the second exchange; got %+v", lines)
	}
	var debtor []string
	for _, l := range lines {
		if l.FromDebtor {
			debtor = append(debtor, l.Text)
		}
	}
	if strings.Join(debtor, "|") != "hallo|IB-2026-000777 1234AB" {
		t.Fatalf("the debtor's lines are %q", debtor)
	}
	if got, _ := bot.History(context.Background(), f.store, "web", "session-1", 2); len(got) != 2 || got[1].FromDebtor {
		t.Fatalf("limit 2 must keep the last two lines, got %+v", got)
	}
}
