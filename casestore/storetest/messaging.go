package storetest

// The messaging records (casestore.Messaging). Decisions the interface
// leaves open, fixed here:
//
//   - RecordInbound and EnqueueOutbound name an unknown case: ErrNotFound,
//     like every other write but PutCase.
//   - An inbound body reads back as equal JSON, as a dossier body does.
//   - Lists of messages are newest first by ID; limit 0 means 50.
//   - A Mark method's attempt is the Attempts ClaimOutbound returned.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var messagingTests = []test{
	{"Inbound/RecordAndDedupe", testInboundDedupe},
	{"Inbound/Invalid", testInboundInvalid},
	{"Inbound/ProviderRetryInTxWritesNothing", testInboundRetryInTx},
	{"Inbound/LastInboundAndList", testLastInbound},
	{"OptOut/OnAndOff", testOptOut},
}

// inbound is a WhatsApp message from the test debtor's number.
func inbound(providerID, text string) *casestore.InboundMessage {
	return &casestore.InboundMessage{
		Channel:    "whatsapp",
		ProviderID: providerID,
		From:       "whatsapp:+31612345678",
		Body:       json.RawMessage(fmt.Sprintf(`{"text":%q}`, text)),
	}
}

func testInboundDedupe(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-IN")
	when := at(2026, time.March, 3, 21, 14, 5, 250001)
	first := inbound("SM0001", "Ik heb al betaald")
	first.CaseID, first.ReceivedAt = c.ID, when
	must(t, s.RecordInbound(ctx, first), "RecordInbound")
	if first.ID == 0 {
		t.Fatal("RecordInbound did not set the ID")
	}
	wantInstant(t, "ReceivedAt given by the caller is kept", first.ReceivedAt, when)

	// Twilio retries the webhook: same channel, same MessageSid.
	retry := inbound("SM0001", "Ik heb al betaald")
	wantErr(t, s.RecordInbound(ctx, retry), casestore.ErrConflict, "RecordInbound of a provider retry")
	// The same id on another channel is another message.
	sms := inbound("SM0001", "ander kanaal")
	sms.Channel, sms.From = "sms", "+31612345678"
	must(t, s.RecordInbound(ctx, sms), "RecordInbound of the same id on sms")
	// Channels without provider ids (web chat) never conflict.
	for i := range 2 {
		web := &casestore.InboundMessage{Channel: "web", From: "session-42", Body: json.RawMessage(`{"text":"hallo"}`)}
		must(t, s.RecordInbound(ctx, web), fmt.Sprintf("RecordInbound web message %d without provider id", i))
	}
	// An empty body is filed as {} with the store's clock.
	before := time.Now()
	bare := &casestore.InboundMessage{Channel: "telegram", ProviderID: "1001", From: "tg:5551"}
	must(t, s.RecordInbound(ctx, bare), "RecordInbound without body or time")
	wantJSON(t, "empty Body becomes {}", bare.Body, []byte(`{}`))
	if bare.ReceivedAt.Before(before.Add(-time.Minute)) || bare.ReceivedAt.After(time.Now().Add(time.Minute)) {
		t.Errorf("ReceivedAt from the store's clock: got %v, want about %v", bare.ReceivedAt, before)
	}

	got, err := s.InboundMessages(ctx, "whatsapp", first.From, 0)
	must(t, err, "InboundMessages")
	if len(got) != 1 {
		t.Fatalf("whatsapp messages after a retry: got %d, want 1", len(got))
	}
	g := got[0]
	wantEq(t, "ID", g.ID, first.ID)
	wantEq(t, "Channel", g.Channel, "whatsapp")
	wantEq(t, "ProviderID", g.ProviderID, "SM0001")
	wantEq(t, "From", g.From, first.From)
	wantEq(t, "CaseID", g.CaseID, c.ID)
	wantJSON(t, "Body (the first delivery's)", g.Body, []byte(`{"text":"Ik heb al betaald"}`))
	wantInstant(t, "ReceivedAt", g.ReceivedAt, when)
	web, err := s.InboundMessages(ctx, "web", "session-42", 0)
	must(t, err, "InboundMessages web")
	wantEq(t, "web messages without provider id", len(web), 2)
	tg, err := s.InboundMessages(ctx, "telegram", "tg:5551", 0)
	must(t, err, "InboundMessages telegram")
	if len(tg) == 1 {
		wantEq(t, "stranger's message has no case", tg[0].CaseID, int64(0))
		wantInstant(t, "store-clock ReceivedAt read back", tg[0].ReceivedAt, bare.ReceivedAt)
	}
}

func testInboundInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-INX")
	cases := []struct {
		name   string
		break_ func(m *casestore.InboundMessage)
		want   error
	}{
		{"array body", func(m *casestore.InboundMessage) { m.Body = json.RawMessage(`["a"]`) }, casestore.ErrInvalid},
		{"string body", func(m *casestore.InboundMessage) { m.Body = json.RawMessage(`"hallo"`) }, casestore.ErrInvalid},
		{"broken JSON", func(m *casestore.InboundMessage) { m.Body = json.RawMessage(`{"text":`) }, casestore.ErrInvalid},
		{"no channel", func(m *casestore.InboundMessage) { m.Channel = "" }, casestore.ErrInvalid},
		{"no sender", func(m *casestore.InboundMessage) { m.From = "" }, casestore.ErrInvalid},
		{"unknown case", func(m *casestore.InboundMessage) { m.CaseID = 987654 }, casestore.ErrNotFound},
	}
	for i, tc := range cases {
		m := inbound(fmt.Sprintf("SMX%d", i), "kapot")
		m.CaseID = c.ID
		tc.break_(m)
		wantErr(t, s.RecordInbound(ctx, m), tc.want, "RecordInbound "+tc.name)
	}
	got, err := s.InboundMessages(ctx, "whatsapp", inbound("", "").From, 0)
	must(t, err, "InboundMessages")
	wantEq(t, "messages stored after refusals", len(got), 0)
	_, err = s.InboundMessages(ctx, "whatsapp", inbound("", "").From, -1)
	wantErr(t, err, casestore.ErrInvalid, "InboundMessages with a negative limit")
}

// turn is what the router does with one webhook: file the message first,
// then the dossier entry and the reply, all in one transaction.
func turn(ctx context.Context, tx casestore.Tx, c *casestore.Case, m *casestore.InboundMessage) error {
	if err := tx.RecordInbound(ctx, m); err != nil {
		return fmt.Errorf("router: %w", err)
	}
	e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
		Channel: m.Channel, Body: m.Body}
	if err := tx.AppendDossier(ctx, &e); err != nil {
		return err
	}
	return tx.EnqueueOutbound(ctx, &casestore.OutboundMessage{Channel: m.Channel, To: m.From, CaseID: c.ID,
		Text: "Dank u wel. We kijken uw betaling na."})
}

// testInboundRetryInTx: the first delivery commits; the provider's retry
// gets ErrConflict inside its transaction, which the router returns, and
// the rollback leaves nothing new: no second message, entry or reply.
func testInboundRetryInTx(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-RETRY")
	must(t, s.InTx(ctx, func(tx casestore.Tx) error {
		return turn(ctx, tx, c, inbound("SM0002", "Ik heb al betaald"))
	}), "first delivery")

	var afterConflict error
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		// Written before the dedupe, to show the rollback takes it away.
		Note(t, tx, c.ID, `{"text":"before the dedupe"}`)
		err := turn(ctx, tx, c, inbound("SM0002", "Ik heb al betaald"))
		if errors.Is(err, casestore.ErrConflict) {
			// The conflict must not break the transaction for the caller.
			_, afterConflict = tx.Case(ctx, c.ID)
		}
		return err
	})
	wantErr(t, err, casestore.ErrConflict, "InTx of the provider's retry")
	must(t, afterConflict, "reading in the same transaction after the conflict")

	msgs, err := s.InboundMessages(ctx, "whatsapp", inbound("", "").From, 0)
	must(t, err, "InboundMessages")
	wantEq(t, "inbound messages after the retry", len(msgs), 1)
	entries, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	must(t, err, "Dossier")
	wantEq(t, "dossier entries after the retry", len(entries), 1)
	replies, err := s.OutboundFor(ctx, "whatsapp", inbound("", "").From, 0)
	must(t, err, "OutboundFor")
	wantEq(t, "replies after the retry", len(replies), 1)
	depth, err := s.OutboxDepth(ctx)
	must(t, err, "OutboxDepth")
	wantEq(t, "outbox depth after the retry", depth, 1)

	// A transaction that fails after filing a message files nothing: the
	// provider's retry of it is then the first delivery.
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		if err := turn(ctx, tx, c, inbound("SM0003", "Wanneer komt de deurwaarder?")); err != nil {
			return err
		}
		return errHalfway
	})
	wantErr(t, err, errHalfway, "InTx that fails after the turn")
	must(t, s.InTx(ctx, func(tx casestore.Tx) error {
		return turn(ctx, tx, c, inbound("SM0003", "Wanneer komt de deurwaarder?"))
	}), "retry of a delivery that was rolled back")
	msgs, err = s.InboundMessages(ctx, "whatsapp", inbound("", "").From, 0)
	must(t, err, "InboundMessages")
	wantEq(t, "inbound messages at the end", len(msgs), 2)
}

func testLastInbound(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	from := inbound("", "").From
	_, err := s.LastInbound(ctx, "whatsapp", from)
	wantErr(t, err, casestore.ErrNotFound, "LastInbound of a sender who never wrote")

	t1 := at(2026, time.March, 3, 9, 0, 0, 0)
	t3 := at(2026, time.March, 4, 9, 30, 0, 1)
	t2 := at(2026, time.March, 3, 23, 59, 59, 999999)
	var ids []int64
	for i, when := range []time.Time{t1, t3, t2} { // the provider's timestamps, out of order
		m := inbound(fmt.Sprintf("SM1%d", i), fmt.Sprintf("bericht %d", i))
		m.ReceivedAt = when
		must(t, s.RecordInbound(ctx, m), "RecordInbound")
		ids = append(ids, m.ID)
	}
	other := inbound("SM19", "iemand anders")
	other.From, other.ReceivedAt = "whatsapp:+32470123456", at(2026, time.March, 5, 8, 0, 0, 0)
	must(t, s.RecordInbound(ctx, other), "RecordInbound from another sender")

	last, err := s.LastInbound(ctx, "whatsapp", from)
	must(t, err, "LastInbound")
	wantInstant(t, "LastInbound is the latest ReceivedAt", last, t3)
	_, err = s.LastInbound(ctx, "sms", from)
	wantErr(t, err, casestore.ErrNotFound, "LastInbound on another channel")

	cases := []struct {
		limit int
		want  []int64
	}{
		{0, []int64{ids[2], ids[1], ids[0]}},
		{2, []int64{ids[2], ids[1]}},
	}
	for _, tc := range cases {
		got, err := s.InboundMessages(ctx, "whatsapp", from, tc.limit)
		must(t, err, "InboundMessages")
		gotIDs := []int64{}
		for _, m := range got {
			gotIDs = append(gotIDs, m.ID)
		}
		wantEq(t, fmt.Sprintf("InboundMessages(limit %d) newest first", tc.limit), fmt.Sprint(gotIDs), fmt.Sprint(tc.want))
	}
	none, err := s.InboundMessages(ctx, "sms", from, 0)
	must(t, err, "InboundMessages of a sender who never wrote")
	wantEq(t, "messages of a sender who never wrote", len(none), 0)
}

func testOptOut(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	const addr = "+31612345678"
	optedOut := func(channel string) bool {
		t.Helper()
		out, err := s.OptedOut(ctx, channel, addr)
		must(t, err, "OptedOut "+channel)
		return out
	}
	wantEq(t, "opted out before anything was said", optedOut("sms"), false)
	must(t, s.SetOptOut(ctx, "sms", addr, true, at(2026, time.March, 3, 10, 0, 0, 0)), "SetOptOut on")
	wantEq(t, "opted out after STOP", optedOut("sms"), true)
	wantEq(t, "opted out on another channel", optedOut("whatsapp"), false)
	must(t, s.SetOptOut(ctx, "sms", addr, true, time.Time{}), "SetOptOut on again, store clock")
	wantEq(t, "opted out after a second STOP", optedOut("sms"), true)
	must(t, s.SetOptOut(ctx, "sms", addr, false, at(2026, time.March, 4, 10, 0, 0, 0)), "SetOptOut off")
	wantEq(t, "opted out after START", optedOut("sms"), false)
	wantErr(t, s.SetOptOut(ctx, "sms", "", true, time.Time{}), casestore.ErrInvalid, "SetOptOut without address")
	wantErr(t, s.SetOptOut(ctx, "", addr, true, time.Time{}), casestore.ErrInvalid, "SetOptOut without channel")
}
