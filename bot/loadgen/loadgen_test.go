package loadgen

import (
	"context"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
)

// loadgen signs its own webhooks; Twilio's fake signs independently, and
// both must agree or the server would refuse every message with 403.
func TestSignAgreesWithTwilioFake(t *testing.T) {
	form := url.Values{"Body": {"kan ik 50 euro per maand betalen"}, "From": {"+31690000001"}, "MessageSid": {"SMabc"}, "Z": {"b", "a"}}
	const u = "https://bot.example.test/webhooks/twilio"
	if got, want := Sign("token", u, form), twiliofake.Sign("token", u, form); got != want {
		t.Errorf("Sign = %s, twiliofake.Sign = %s", got, want)
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 100; i++ {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	l := summarise(s)
	if l.P50 != 50*time.Millisecond || l.P95 != 95*time.Millisecond || l.P99 != 99*time.Millisecond || l.Max != 100*time.Millisecond {
		t.Errorf("summarise(1..100ms) = %+v, want p50 50ms, p95 95ms, p99 99ms, max 100ms", l)
	}
	if one := summarise([]time.Duration{7}); one.P50 != 7 || one.P99 != 7 {
		t.Errorf("one sample: %+v", one)
	}
}

// The audit must see what went wrong: an accepted message missing from
// the store, a reply marked sent that the provider never got, and a reply
// delivered twice.
func TestAuditFindsLostMessagesAndDoubleDeliveries(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	ds := Debtors(1, []string{"sms"})
	d := ds[0]
	if err := Seed(ctx, st, ds, time.Now()); err != nil {
		t.Fatal(err)
	}
	c, err := st.CaseByRef(ctx, d.Ref)
	if err != nil {
		t.Fatal(err)
	}
	// One message is filed as the bot files it; another was "accepted" but never filed.
	filed := &casestore.InboundMessage{Channel: "sms", ProviderID: "SMfiled", From: d.Phone, CaseID: c.ID}
	must(t, st.RecordInbound(ctx, filed))
	must(t, st.AppendDossier(ctx, &casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
		Channel: "sms", Body: []byte(`{"text":"hallo","provider_id":"SMfiled"}`)}))
	stats := newStats()
	stats.accept(webhook{channel: "sms", from: d.Phone, providerID: "SMfiled"}, true)
	stats.accept(webhook{channel: "sms", from: d.Phone, providerID: "SMlost"}, false)

	// Two replies marked sent: one the provider got twice, one it never got.
	prov := NewProvider(DefaultAccounts)
	for i, text := range []string{"Welkom", "Uw saldo"} {
		m := &casestore.OutboundMessage{Channel: "sms", To: d.Phone, CaseID: c.ID, Text: text}
		must(t, st.EnqueueOutbound(ctx, m))
		claimed, err := st.ClaimOutbound(ctx, time.Now().Add(time.Second), 1, time.Minute)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v %d", err, len(claimed))
		}
		sid := "SMreply" + string(rune('A'+i))
		must(t, st.MarkSent(ctx, m.ID, claimed[0].Attempts, sid, time.Time{}))
		if i == 0 {
			prov.record(Delivery{Channel: "sms", To: d.Phone, ID: sid, Text: text})
			prov.record(Delivery{Channel: "sms", To: d.Phone, ID: "SMagain", Text: text})
		}
	}

	a, err := audit(ctx, st, prov, ds, stats, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := Audit{Accepted: 2, Lost: 1, InDossier: 1, DuplicatesSent: 1, DuplicatesOnce: 1,
		RepliesSent: 2, RepliesReceived: 1, RepliesMissing: 1, ExtraDeliveries: 1}
	got := *a
	got.Problems = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("audit = %+v\nwant    %+v\nproblems: %q", got, want, a.Problems)
	}
	if a.OK() {
		t.Errorf("an audit with a lost message must not be OK")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
