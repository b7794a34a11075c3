package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var outboxTests = []test{
	{"Outbox/EnqueueAndRead", testEnqueue},
	{"Outbox/Invalid", testEnqueueInvalid},
	{"Outbox/ClaimSendRetryFail", testOutboxLifecycle},
	{"Outbox/OneRecipientInOrder", testClaimOrder},
	{"Outbox/ExpiredLeaseIsClaimedAgain", testExpiredLease},
	{"Outbox/DeliveryStatusCallbacks", testDeliveryStatus},
	{"Concurrent/ClaimersShareTheOutbox", testConcurrentClaimers},
	{"Concurrent/ClaimersKeepEachRecipientsOrder", testConcurrentClaimOrder},
}

// t0 is when the test's outbox messages fall due.
var t0 = at(2026, time.March, 3, 9, 0, 0, 0)

const lease = 30 * time.Second

// enqueue puts a WhatsApp reply due at t0 in the outbox.
func enqueue(t testing.TB, s casestore.Tx, to, text string) *casestore.OutboundMessage {
	t.Helper()
	m := &casestore.OutboundMessage{Channel: "whatsapp", To: to, Text: text, NextAttempt: t0}
	must(t, s.EnqueueOutbound(context.Background(), m), "EnqueueOutbound "+text)
	return m
}

// claim claims up to limit messages at now and returns their IDs in order.
func claim(t testing.TB, s casestore.Store, now time.Time, limit int) []int64 {
	t.Helper()
	got, err := s.ClaimOutbound(context.Background(), now, limit, lease)
	must(t, err, "ClaimOutbound")
	ids := []int64{}
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	return ids
}

func wantIDs(t testing.TB, what string, got []int64, want ...int64) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(nilToEmpty(want)) {
		t.Errorf("%s: got IDs %v, want %v", what, got, want)
	}
}

func depth(t testing.TB, s casestore.Store) int {
	t.Helper()
	n, err := s.OutboxDepth(context.Background())
	must(t, err, "OutboxDepth")
	return n
}

func testEnqueue(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-OUT")
	in := &casestore.OutboundMessage{Channel: "telegram", To: "tg:5551", CaseID: c.ID,
		Text: "Wilt u uw telefoonnummer delen?", Options: []string{"Ja", "Nee, liever niet"},
		AskPhone: true, Automated: true, BotReply: true,
		Status: casestore.OutboundSent, Attempts: 7, ProviderID: "ignored"} // the outbox decides these
	before := time.Now()
	must(t, s.EnqueueOutbound(ctx, in), "EnqueueOutbound")
	if in.ID == 0 {
		t.Fatal("EnqueueOutbound did not set the ID")
	}
	wantEq(t, "Status", in.Status, casestore.OutboundPending)
	wantEq(t, "Attempts", in.Attempts, 0)
	for what, v := range map[string]time.Time{"CreatedAt": in.CreatedAt, "NextAttempt": in.NextAttempt} {
		if v.Before(before.Add(-time.Minute)) || v.After(time.Now().Add(time.Minute)) {
			t.Errorf("%s from the store's clock: got %v, want about %v", what, v, before)
		}
	}
	got, err := s.Outbound(ctx, in.ID)
	must(t, err, "Outbound")
	wantEq(t, "Channel", got.Channel, "telegram")
	wantEq(t, "To", got.To, "tg:5551")
	wantEq(t, "CaseID", got.CaseID, c.ID)
	wantEq(t, "Text", got.Text, in.Text)
	wantStrings(t, "Options", got.Options, []string{"Ja", "Nee, liever niet"})
	wantEq(t, "AskPhone", got.AskPhone, true)
	wantEq(t, "Automated", got.Automated, true)
	wantEq(t, "BotReply", got.BotReply, true)
	wantEq(t, "stored Status", got.Status, casestore.OutboundPending)
	wantEq(t, "stored Attempts", got.Attempts, 0)
	wantEq(t, "stored ProviderID", got.ProviderID, "")
	wantInstant(t, "stored NextAttempt", got.NextAttempt, in.NextAttempt)
	wantInstant(t, "stored CreatedAt", got.CreatedAt, in.CreatedAt)
	if !got.LeaseUntil.IsZero() || got.SentAt != nil {
		t.Errorf("a new message has LeaseUntil %v, SentAt %v; want neither", got.LeaseUntil, got.SentAt)
	}
	_, err = s.Outbound(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "Outbound(unknown id)")

	// A stranger's reply has no case; a plain reply has no options.
	bare := enqueue(t, s, "whatsapp:+32470123456", "Wie bent u?")
	got, err = s.Outbound(ctx, bare.ID)
	must(t, err, "Outbound without case")
	wantEq(t, "CaseID of a stranger's reply", got.CaseID, int64(0))
	wantStrings(t, "Options of a plain reply", got.Options, nil)
	wantInstant(t, "NextAttempt given by the caller", got.NextAttempt, t0)
	wantEq(t, "OutboxDepth", depth(t, s), 2)
}

func testEnqueueInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cases := []struct {
		name string
		m    casestore.OutboundMessage
		want error
	}{
		{"no channel", casestore.OutboundMessage{To: "+31612345678", Text: "Hallo"}, casestore.ErrInvalid},
		{"no recipient", casestore.OutboundMessage{Channel: "sms", Text: "Hallo"}, casestore.ErrInvalid},
		{"no text", casestore.OutboundMessage{Channel: "sms", To: "+31612345678"}, casestore.ErrInvalid},
		{"unknown case", casestore.OutboundMessage{Channel: "sms", To: "+31612345678", Text: "Hallo", CaseID: 987654}, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		m := tc.m
		wantErr(t, s.EnqueueOutbound(ctx, &m), tc.want, "EnqueueOutbound "+tc.name)
	}
	wantEq(t, "OutboxDepth after refusals", depth(t, s), 0)
	for _, tc := range []struct {
		name  string
		now   time.Time
		limit int
		lease time.Duration
	}{{"zero now", time.Time{}, 10, lease}, {"zero limit", t0, 0, lease}, {"zero lease", t0, 10, 0}} {
		_, err := s.ClaimOutbound(ctx, tc.now, tc.limit, tc.lease)
		wantErr(t, err, casestore.ErrInvalid, "ClaimOutbound with "+tc.name)
	}
	_, err := s.OutboundFor(ctx, "sms", "+31612345678", -1)
	wantErr(t, err, casestore.ErrInvalid, "OutboundFor with a negative limit")
}

func testOutboxLifecycle(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	a := enqueue(t, s, "whatsapp:+31611111111", "Uw saldo is € 1.234,57.")
	b := enqueue(t, s, "whatsapp:+31622222222", "Wij bellen u morgen terug.")
	wantIDs(t, "claim before the messages are due", claim(t, s, t0.Add(-time.Second), 10))

	now := t0.Add(time.Minute)
	got, err := s.ClaimOutbound(ctx, now, 10, lease)
	must(t, err, "ClaimOutbound")
	if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID {
		t.Fatalf("ClaimOutbound: got %d messages, want %d and %d", len(got), a.ID, b.ID)
	}
	wantEq(t, "claimed Status", got[0].Status, casestore.OutboundSending)
	wantEq(t, "claimed Attempts", got[0].Attempts, 1)
	wantInstant(t, "claimed LeaseUntil", got[0].LeaseUntil, now.Add(lease))
	wantEq(t, "claimed Text", got[0].Text, a.Text)
	wantIDs(t, "claim while both are leased", claim(t, s, now.Add(time.Second), 10))
	wantEq(t, "OutboxDepth while sending", depth(t, s), 2)

	// a: the provider accepts it.
	sentAt := now.Add(2 * time.Second)
	must(t, s.MarkSent(ctx, a.ID, 1, "SMa0001", sentAt), "MarkSent")
	stored, err := s.Outbound(ctx, a.ID)
	must(t, err, "Outbound")
	wantEq(t, "Status after MarkSent", stored.Status, casestore.OutboundSent)
	wantEq(t, "ProviderID", stored.ProviderID, "SMa0001")
	if stored.SentAt == nil || !stored.SentAt.Equal(sentAt) {
		t.Errorf("SentAt: got %v, want %v", stored.SentAt, sentAt)
	}
	wantErr(t, s.MarkSent(ctx, a.ID, 1, "SMa0002", sentAt), casestore.ErrConflict, "MarkSent twice")
	wantErr(t, s.MarkFailed(ctx, a.ID, 1, "late"), casestore.ErrConflict, "MarkFailed after MarkSent")

	// b: the provider is down; retry in five minutes, then give up.
	must(t, s.MarkRetry(ctx, b.ID, 1, "twilio: 503 Service Unavailable", now.Add(5*time.Minute)), "MarkRetry")
	stored, err = s.Outbound(ctx, b.ID)
	must(t, err, "Outbound")
	wantEq(t, "Status after MarkRetry", stored.Status, casestore.OutboundPending)
	wantEq(t, "LastError after MarkRetry", stored.LastError, "twilio: 503 Service Unavailable")
	wantInstant(t, "NextAttempt after MarkRetry", stored.NextAttempt, now.Add(5*time.Minute))
	wantEq(t, "OutboxDepth with one waiting to retry", depth(t, s), 1)
	wantIDs(t, "claim before the retry is due", claim(t, s, now.Add(time.Minute), 10))
	again, err := s.ClaimOutbound(ctx, now.Add(5*time.Minute), 10, lease)
	must(t, err, "ClaimOutbound at the retry")
	if len(again) != 1 || again[0].ID != b.ID || again[0].Attempts != 2 {
		t.Fatalf("claim at the retry: got %d messages, want message %d in attempt 2", len(again), b.ID)
	}
	must(t, s.MarkFailed(ctx, b.ID, 2, "twilio: 21610 unsubscribed recipient"), "MarkFailed")
	stored, err = s.Outbound(ctx, b.ID)
	must(t, err, "Outbound")
	wantEq(t, "Status after MarkFailed", stored.Status, casestore.OutboundFailed)
	wantEq(t, "LastError after MarkFailed", stored.LastError, "twilio: 21610 unsubscribed recipient")
	wantEq(t, "OutboxDepth when all are done", depth(t, s), 0)
	wantIDs(t, "claim when all are done", claim(t, s, now.Add(time.Hour), 10))

	c := enqueue(t, s, "whatsapp:+31633333333", "Nog niet geclaimd")
	wantErr(t, s.MarkSent(ctx, c.ID, 0, "SMc", sentAt), casestore.ErrConflict, "MarkSent of a pending message")
	wantErr(t, s.MarkRetry(ctx, c.ID, 0, "x", sentAt), casestore.ErrConflict, "MarkRetry of a pending message")
	for name, err := range map[string]error{
		"MarkSent":   s.MarkSent(ctx, 987654, 1, "SMx", sentAt),
		"MarkRetry":  s.MarkRetry(ctx, 987654, 1, "x", sentAt),
		"MarkFailed": s.MarkFailed(ctx, 987654, 1, "x"),
	} {
		wantErr(t, err, casestore.ErrNotFound, name+"(unknown id)")
	}
}

// testClaimOrder: a debtor's replies arrive in the order they were written.
func testClaimOrder(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	const anna, bert = "whatsapp:+31611111111", "whatsapp:+31622222222"
	a1 := enqueue(t, s, anna, "Welkom terug.")
	b1 := enqueue(t, s, bert, "Dank u wel.")
	a2 := enqueue(t, s, anna, "Uw saldo is € 1.234,57.")
	a3 := enqueue(t, s, anna, "Wilt u een betalingsregeling?")
	// The same address on another channel is another conversation.
	sms := &casestore.OutboundMessage{Channel: "sms", To: anna, Text: "Per sms", NextAttempt: t0}
	must(t, s.EnqueueOutbound(ctx, sms), "EnqueueOutbound sms")

	now := t0.Add(time.Minute)
	wantIDs(t, "first claim: the oldest of each recipient", claim(t, s, now, 10), a1.ID, b1.ID, sms.ID)
	wantIDs(t, "claim while a1 is sending", claim(t, s, now, 10))
	must(t, s.MarkSent(ctx, b1.ID, 1, "SM-b1", now), "MarkSent b1")
	must(t, s.MarkSent(ctx, sms.ID, 1, "SM-sms", now), "MarkSent sms")
	wantIDs(t, "claim while a1 is still sending", claim(t, s, now, 10))
	must(t, s.MarkSent(ctx, a1.ID, 1, "SM-a1", now), "MarkSent a1")
	wantIDs(t, "claim after a1 is sent", claim(t, s, now, 10), a2.ID)
	must(t, s.MarkRetry(ctx, a2.ID, 1, "timeout", now.Add(time.Minute)), "MarkRetry a2")
	wantIDs(t, "claim while a2 waits to retry: a3 waits too", claim(t, s, now.Add(30*time.Second), 10))
	wantIDs(t, "claim when a2 is due again", claim(t, s, now.Add(time.Minute), 10), a2.ID)
	must(t, s.MarkFailed(ctx, a2.ID, 2, "invalid number"), "MarkFailed a2")
	wantIDs(t, "a failed message does not hold the next back", claim(t, s, now.Add(time.Minute), 10), a3.ID)

	list, err := s.OutboundFor(ctx, "whatsapp", anna, 0)
	must(t, err, "OutboundFor")
	ids := []int64{}
	for _, m := range list {
		ids = append(ids, m.ID)
	}
	wantIDs(t, "OutboundFor newest first", ids, a3.ID, a2.ID, a1.ID)
	list, err = s.OutboundFor(ctx, "whatsapp", anna, 2)
	must(t, err, "OutboundFor limit 2")
	wantEq(t, "OutboundFor limit 2", len(list), 2)
}

// testExpiredLease: a sender that died mid-send leaves its message
// sending; after the lease another sender takes it over, and the old one
// can no longer mark it.
func testExpiredLease(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	m := enqueue(t, s, "whatsapp:+31611111111", "Uw betalingsregeling is goedgekeurd.")
	first := t0.Add(time.Minute)
	firstClaim, err := s.ClaimOutbound(ctx, first, 10, lease)
	must(t, err, "first ClaimOutbound")
	if len(firstClaim) != 1 || firstClaim[0].ID != m.ID || firstClaim[0].Resumed {
		t.Fatalf("first claim: %+v, want message %d, not resumed", firstClaim, m.ID)
	}
	wantIDs(t, "claim within the lease", claim(t, s, first.Add(lease-time.Second), 10))
	second := first.Add(lease + time.Second)
	got, err := s.ClaimOutbound(ctx, second, 10, lease)
	must(t, err, "ClaimOutbound after the lease")
	if len(got) != 1 || got[0].ID != m.ID {
		t.Fatalf("claim after the lease: got %d messages, want message %d", len(got), m.ID)
	}
	wantEq(t, "Attempts of the second claim", got[0].Attempts, 2)
	wantEq(t, "Resumed of a claim taken over from a lapsed sender", got[0].Resumed, true)
	wantInstant(t, "LeaseUntil of the second claim", got[0].LeaseUntil, second.Add(lease))

	wantErr(t, s.MarkSent(ctx, m.ID, 1, "SM-stale", second), casestore.ErrConflict, "MarkSent by the stale sender")
	wantErr(t, s.MarkRetry(ctx, m.ID, 1, "x", second), casestore.ErrConflict, "MarkRetry by the stale sender")
	wantErr(t, s.MarkFailed(ctx, m.ID, 1, "x"), casestore.ErrConflict, "MarkFailed by the stale sender")
	stored, err := s.Outbound(ctx, m.ID)
	must(t, err, "Outbound")
	wantEq(t, "Status after the stale marks", stored.Status, casestore.OutboundSending)
	must(t, s.MarkSent(ctx, m.ID, 2, "SM-new", second.Add(time.Second)), "MarkSent by the second sender")
	stored, err = s.Outbound(ctx, m.ID)
	must(t, err, "Outbound")
	wantEq(t, "ProviderID of the second sender", stored.ProviderID, "SM-new")
}

func testDeliveryStatus(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	a := enqueue(t, s, "whatsapp:+31611111111", "Uw saldo is € 0,01.")
	b := enqueue(t, s, "whatsapp:+31622222222", "Wij bellen u terug.")
	now := t0.Add(time.Minute)
	wantIDs(t, "claim", claim(t, s, now, 10), a.ID, b.ID)
	must(t, s.MarkSent(ctx, a.ID, 1, "SM-A", now), "MarkSent a")
	must(t, s.MarkSent(ctx, b.ID, 1, "SM-B", now), "MarkSent b")

	steps := []struct {
		name       string
		providerID string
		status     casestore.OutboundStatus
		detail     string
		want       casestore.OutboundStatus
		wantError  string
		wantMoved  bool
	}{
		{"late 'sent' changes nothing", "SM-A", casestore.OutboundSent, "", casestore.OutboundSent, "", false},
		{"delivered", "SM-A", casestore.OutboundDelivered, "", casestore.OutboundDelivered, "", true},
		{"delivered again", "SM-A", casestore.OutboundDelivered, "", casestore.OutboundDelivered, "", false},
		{"sent after delivered", "SM-A", casestore.OutboundSent, "", casestore.OutboundDelivered, "", false},
		{"failed after delivered", "SM-A", casestore.OutboundFailed, "30008", casestore.OutboundDelivered, "", false},
		{"undelivered", "SM-B", casestore.OutboundFailed, "30003 unreachable", casestore.OutboundFailed, "30003 unreachable", true},
		{"undelivered again, other detail", "SM-B", casestore.OutboundFailed, "30005", casestore.OutboundFailed, "30003 unreachable", false},
		{"delivered after failed", "SM-B", casestore.OutboundDelivered, "", casestore.OutboundFailed, "30003 unreachable", false},
	}
	for _, st := range steps {
		got, moved, err := s.SetDeliveryStatus(ctx, "whatsapp", st.providerID, st.status, st.detail)
		must(t, err, "SetDeliveryStatus "+st.name)
		wantEq(t, st.name+": moved", moved, st.wantMoved)
		wantEq(t, st.name+": returned Status", got.Status, st.want)
		wantEq(t, st.name+": returned LastError", got.LastError, st.wantError)
		stored, err := s.Outbound(ctx, got.ID)
		must(t, err, "Outbound")
		wantEq(t, st.name+": stored Status", stored.Status, st.want)
		wantEq(t, st.name+": stored LastError", stored.LastError, st.wantError)
	}
	got, _, err := s.SetDeliveryStatus(ctx, "whatsapp", "SM-A", casestore.OutboundDelivered, "")
	must(t, err, "SetDeliveryStatus")
	wantEq(t, "returned message", got.ID, a.ID)
	wantEq(t, "returned To", got.To, a.To)

	_, _, err = s.SetDeliveryStatus(ctx, "whatsapp", "SM-UNKNOWN", casestore.OutboundDelivered, "")
	wantErr(t, err, casestore.ErrNotFound, "SetDeliveryStatus(unknown provider id)")
	_, _, err = s.SetDeliveryStatus(ctx, "sms", "SM-A", casestore.OutboundDelivered, "")
	wantErr(t, err, casestore.ErrNotFound, "SetDeliveryStatus(provider id of another channel)")
	_, _, err = s.SetDeliveryStatus(ctx, "whatsapp", "SM-A", casestore.OutboundPending, "")
	wantErr(t, err, casestore.ErrInvalid, "SetDeliveryStatus(pending)")
	_, _, err = s.SetDeliveryStatus(ctx, "whatsapp", "", casestore.OutboundDelivered, "")
	wantErr(t, err, casestore.ErrInvalid, "SetDeliveryStatus(no provider id)")
}

// claimAll runs workers that claim (up to batch at a time) and mark sent
// until nothing is left, calling onClaim (from any worker, at once) for
// each message before marking it, and returns every ID claimed.
func claimAll(t *testing.T, s casestore.Store, workers, batch int, onClaim func(m *casestore.OutboundMessage)) []int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	now := t0.Add(time.Minute)
	var mu sync.Mutex
	var claimed []int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for idle := 0; idle < 3; {
				got, err := s.ClaimOutbound(ctx, now, batch, time.Hour)
				if err != nil {
					t.Errorf("worker %d: ClaimOutbound: %v", w, err)
					return
				}
				if len(got) == 0 {
					idle++ // another worker may still finish a message that frees the next
					time.Sleep(10 * time.Millisecond)
					continue
				}
				idle = 0
				for _, m := range got {
					mu.Lock()
					claimed = append(claimed, m.ID)
					mu.Unlock()
					onClaim(m)
					if err := s.MarkSent(ctx, m.ID, m.Attempts, fmt.Sprintf("SM-%d", m.ID), now); err != nil {
						t.Errorf("worker %d: MarkSent %d: %v", w, m.ID, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	return claimed
}

func testConcurrentClaimers(t *testing.T, s casestore.Store) {
	const recipients = 40
	var want []int64
	for i := range recipients {
		want = append(want, enqueue(t, s, fmt.Sprintf("whatsapp:+3161000%04d", i), "Herinnering").ID)
	}
	claimed := claimAll(t, s, 4, 3, func(*casestore.OutboundMessage) {})
	slices.Sort(claimed)
	wantIDs(t, "messages claimed by 4 senders, each once", claimed, want...)
	wantEq(t, "OutboxDepth after the senders", depth(t, s), 0)
}

func testConcurrentClaimOrder(t *testing.T, s casestore.Store) {
	const recipients, each = 8, 5
	for i := range each {
		for r := range recipients {
			enqueue(t, s, fmt.Sprintf("whatsapp:+3162000%04d", r), fmt.Sprintf("bericht %d", i))
		}
	}
	var mu sync.Mutex
	last := map[string]int64{}
	claimed := claimAll(t, s, 4, 4, func(m *casestore.OutboundMessage) {
		mu.Lock()
		if m.ID <= last[m.To] {
			t.Errorf("%s: message %d claimed after %d", m.To, m.ID, last[m.To])
		}
		last[m.To] = m.ID
		mu.Unlock()
		// Every older message to this recipient was finished when m was
		// claimed, so it still is now (finished never goes back).
		older, err := s.OutboundFor(context.Background(), m.Channel, m.To, 0)
		if err != nil {
			t.Errorf("OutboundFor: %v", err)
			return
		}
		for _, o := range older {
			if o.ID < m.ID && !o.Status.Finished() {
				t.Errorf("%s: message %d claimed while the older %d is %s", m.To, m.ID, o.ID, o.Status)
			}
		}
	})
	wantEq(t, "messages claimed", len(claimed), recipients*each)
	wantEq(t, "OutboxDepth after the senders", depth(t, s), 0)
}
