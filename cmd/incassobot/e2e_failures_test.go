package main

import (
	"context"
	"fmt"
	"github.com/incassobot/incassobot/bot/hotstate"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/redis/go-redis/v9"
)

// Ten messages of one debtor arriving at once are handled one at a time in
// arrival order, and the replies reach the phone in that order.
func TestE2EConcurrentMessagesOfOneDebtorInOrder(t *testing.T) {
	t.Parallel()
	s := startE2E(t, e2eConfig{})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("sms", e2eDebtorPhone)

	// Hold the conversation's cross-instance lock while the ten arrive, so
	// all of them are certainly in flight at once and queue in the
	// server's arrival order; the stagger between them is then wide enough
	// that no scheduling jitter on a loaded machine can swap two.
	hot, err := hotstate.OpenRedis(context.Background(), s.redisURL, s.prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer hot.Close()
	unlock, err := hot.Lock(context.Background(), "conv:sms:"+e2eDebtorPhone, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	const n = 10
	texts := make([]string, n)
	codes := make([]int, n)
	type span struct{ start, end time.Time }
	spans := make([]span, n)
	var wg sync.WaitGroup
	for i := range n {
		texts[i] = fmt.Sprintf("bericht %d van 10", i+1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			spans[i].start = time.Now()
			codes[i] = d.post(newMessageSid(), texts[i])
			spans[i].end = time.Now()
		}()
		time.Sleep(25 * time.Millisecond) // arrival order: the stagger, not correctness
	}
	unlock()
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Fatalf("message %d: webhook answered %d, want 200", i+1, code)
		}
	}
	overlapped := 0
	for i := 1; i < n; i++ {
		if spans[i].start.Before(spans[i-1].end) {
			overlapped++
		}
	}
	t.Logf("%d of %d messages arrived while the previous one was still being handled", overlapped, n-1)
	if overlapped == 0 {
		t.Fatal("no two webhooks were in flight at once: this run shows nothing about ordering")
	}

	rows := d.settle()
	entries := s.dossier(c.ID)
	if in := messages(t, entries, casestore.EntryMessageIn, "sms"); !slices.Equal(in, texts) {
		t.Errorf("dossier message.in, oldest first:\n%q\nwant the order they were sent:\n%q", in, texts)
	}
	// One at a time: each message's replies are filed before the next
	// message, so the dossier reads in, out…, in, out….
	var turns [][]string // the replies filed after each message
	for _, e := range entries {
		switch e.Kind {
		case casestore.EntryMessageIn:
			turns = append(turns, nil)
		case casestore.EntryMessageOut:
			if len(turns) == 0 {
				t.Fatalf("a reply filed before any message")
			}
			turns[len(turns)-1] = append(turns[len(turns)-1], entryText(t, e))
		}
	}
	var filed []string
	for i, replies := range turns {
		if len(replies) == 0 {
			t.Errorf("message %d has no reply filed before the next message", i+1)
		}
		filed = append(filed, replies...)
	}

	// The phone got the replies in the order they were filed: the outbox
	// sends one recipient's messages one after the other, oldest first.
	delivered := d.deliveries()
	if len(rows) != len(filed) {
		t.Fatalf("%d replies in the outbox, %d in the dossier", len(rows), len(filed))
	}
	var order []string
	for _, m := range delivered {
		order = append(order, m.SID)
	}
	var rowOrder []string
	for i, r := range rows {
		if r.Status != casestore.OutboundSent {
			t.Errorf("reply %d: %s (%s), want sent", i+1, r.Status, r.LastError)
		}
		if r.Text != filed[i] {
			t.Errorf("outbox reply %d is %s, dossier says %s", i+1, short(r.Text), short(filed[i]))
		}
		rowOrder = append(rowOrder, r.ProviderID)
	}
	// A long SMS goes out as several messages under the first one's SID;
	// compare the first parts.
	var firsts []string
	sidOf := map[string]bool{}
	for _, sid := range rowOrder {
		sidOf[sid] = true
	}
	for _, sid := range order {
		if sidOf[sid] {
			firsts = append(firsts, sid)
		}
	}
	if !slices.Equal(firsts, rowOrder) {
		t.Errorf("replies reached the phone in the order %q, want the outbox order %q", firsts, rowOrder)
	}
	if len(delivered) < len(rows) {
		t.Errorf("%d messages reached the phone, want at least the %d replies", len(delivered), len(rows))
	}
}

// Redis holds only the position in the dialog: losing it mid-conversation
// loses nothing the dossier holds, and the debtor can go on after
// identifying again.
func TestE2ERedisFlushedMidConversation(t *testing.T) {
	t.Parallel()
	s := startE2E(t, e2eConfig{})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("whatsapp", e2eDebtorPhone)
	verify := e2eRef + " 1234AB"

	d.says("hallo")
	d.says(verify)
	if got := d.says("saldo"); !strings.Contains(got, e2ePrincipal) {
		t.Fatalf("verified balance: want %s, got %s", e2ePrincipal, short(got))
	}
	before := s.dossier(c.ID)

	deleted := s.flushRedis()
	if deleted == 0 {
		t.Fatal("the test's Redis prefix held no keys: the dialog position was not in Redis")
	}

	after := d.says("saldo")
	if strings.Contains(after, "€") || !strings.Contains(after, e2eAskVerify) {
		t.Errorf("with the dialog position gone the bot must ask to identify again and show no amount, got %s", short(after))
	}
	now := s.dossier(c.ID)
	if len(now) < len(before) {
		t.Fatalf("dossier shrank from %d to %d entries", len(before), len(now))
	}
	for i, e := range before {
		got := now[i]
		if got.ID != e.ID || got.Kind != e.Kind || string(got.Body) != string(e.Body) || !got.At.Equal(e.At) {
			t.Errorf("dossier entry %d changed after Redis was flushed:\n was %+v\n now %+v", e.ID, e, got)
		}
	}
	if in := messages(t, now[len(before):], casestore.EntryMessageIn, "whatsapp"); !slices.Equal(in, []string{"saldo"}) {
		t.Errorf("the message after the flush is filed as %q, want saldo", in)
	}
	if got := d.says(verify); !strings.Contains(got, e2ePrincipal) {
		t.Errorf("after identifying again the debtor must get the balance asked for, got %s", short(got))
	}
	if got := d.says("saldo"); !strings.Contains(got, e2ePrincipal) {
		t.Errorf("the conversation must go on after identifying again, got %s", short(got))
	}
}

// flushRedis deletes every key of the test's own Redis prefix (FLUSHDB
// would hit everyone sharing the Redis) and returns how many there were.
func (s *e2eServer) flushRedis() int {
	s.t.Helper()
	opt, err := redis.ParseURL(s.redisURL)
	must(s.t, err, "REDIS_URL")
	rc := redis.NewClient(opt)
	defer rc.Close()
	ctx := context.Background()
	var keys []string
	iter := rc.Scan(ctx, 0, s.prefix+"*", 500).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	must(s.t, iter.Err(), "SCAN")
	if len(keys) > 0 {
		must(s.t, rc.Del(ctx, keys...).Err(), "DEL")
	}
	s.t.Logf("deleted %d Redis keys: %q", len(keys), keys)
	return len(keys)
}

// Twilio answers 429 with Retry-After, then accepts: the reply reaches the
// phone exactly once, after the wait, and the outbox records the delivery.
// Retry-After is 2s, longer than the outbox's own first backoff (1s), so
// the test sees whether the provider's wait was kept.
func TestE2EProviderRateLimitedThenAccepts(t *testing.T) {
	t.Parallel()
	s := startE2E(t, e2eConfig{})
	s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("sms", e2eDebtorPhone)

	s.twilio.FailNextRetryAfter(http.StatusTooManyRequests, 20429, 1, 2*time.Second)
	start := time.Now()
	if code := d.post(newMessageSid(), "hallo"); code != http.StatusOK {
		t.Fatalf("webhook: %d, want 200", code)
	}
	msgs := s.twilio.WaitForMessages(t, 1, 15*time.Second)
	took := time.Since(start)
	rows := d.settle()
	if len(rows) != 1 {
		t.Fatalf("%d replies in the outbox, want 1: %+v", len(rows), rows)
	}
	r := rows[0]
	if r.Status != casestore.OutboundSent || r.Attempts != 2 || r.ProviderID != msgs[0].SID || r.SentAt == nil {
		t.Errorf("outbox row: status %s attempts %d provider id %q sent at %v; want sent on the 2nd attempt as %s",
			r.Status, r.Attempts, r.ProviderID, r.SentAt, msgs[0].SID)
	}
	if took < 1900*time.Millisecond {
		t.Errorf("the reply went out %s after a 429 with Retry-After 2s: the wait was not kept", took)
	}

	// The barrier: a later reply to the same phone leaves only after every
	// earlier one is done, so a second copy of the first would show now.
	d.says("hallo")
	got := d.deliveries()
	if n := countSID(got, r.ProviderID); n != 1 || len(got) != 2 {
		t.Errorf("the phone got %d messages (%d with the first reply's SID), want 2: the first reply once and the second", len(got), n)
	}
	if got[0].Body != r.Text {
		t.Errorf("delivered %s, outbox says %s", short(got[0].Body), short(r.Text))
	}
	if v := s.metric(`incassobot_sends_failed_total{channel="sms",outcome="retry"}`); v != 1 {
		t.Errorf("retries counted: %v, want 1", v)
	}

	// Twilio reports the delivery: it is filed in the dossier once.
	status := func() int {
		form := map[string][]string{
			"AccountSid": {e2eAccountSID}, "ApiVersion": {"2010-04-01"}, "MessageSid": {r.ProviderID}, "SmsSid": {r.ProviderID},
			"MessageStatus": {"delivered"}, "SmsStatus": {"delivered"}, "From": {e2eSMSFrom}, "To": {e2eDebtorPhone},
		}
		return postTwilio(t, s.url, "/webhooks/twilio/status", e2eAuthToken, form)
	}
	for i := range 2 {
		if code := status(); code != http.StatusOK {
			t.Fatalf("status callback %d: %d, want 200", i+1, code)
		}
	}
	m, err := s.store.Outbound(context.Background(), r.ID)
	must(t, err, "outbound")
	if m.Status != casestore.OutboundDelivered {
		t.Errorf("after Twilio's delivered callback the reply is %s, want delivered", m.Status)
	}
	delivered := 0
	for _, e := range s.dossier(r.CaseID) {
		if e.Kind == "delivery.delivered" {
			delivered++
		}
	}
	if delivered != 1 {
		t.Errorf("%d delivery.delivered entries in the dossier, want 1 (the callback came twice)", delivered)
	}
}

func countSID(msgs []twilioMessage, sid string) int {
	n := 0
	for _, m := range msgs {
		if m.SID == sid {
			n++
		}
	}
	return n
}
