package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// fakeSender records what it was asked to send and fails as scripted.
type fakeSender struct {
	mu   sync.Mutex
	sent []bot.Outgoing
	fail []error // consumed one per Send before succeeding
}

func (f *fakeSender) Send(_ context.Context, m bot.Outgoing) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.fail) > 0 {
		err := f.fail[0]
		f.fail = f.fail[1:]
		return "", err
	}
	f.sent = append(f.sent, m)
	return "SM" + strings.Repeat("0", 3) + string(rune('A'+len(f.sent)-1)), nil
}

func (f *fakeSender) texts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, m := range f.sent {
		out = append(out, m.Text)
	}
	return out
}

func newOutbox(f *fixture, s bot.Sender) *bot.Outbox {
	return &bot.Outbox{Store: f.store, Hot: f.conv.Hot, Senders: map[string]bot.Sender{"sms": s, "whatsapp": s},
		Now: func() time.Time { return f.now }, QuietFrom: 21, QuietTo: 8}
}

func (f *fixture) enqueue(m casestore.OutboundMessage) *casestore.OutboundMessage {
	f.t.Helper()
	if m.CaseID == 0 {
		m.CaseID = f.c.ID
	}
	if err := f.store.EnqueueOutbound(context.Background(), &m); err != nil {
		f.t.Fatal(err)
	}
	return &m
}

func (f *fixture) outbound(id int64) *casestore.OutboundMessage {
	f.t.Helper()
	m, err := f.store.Outbound(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

func TestRepliesAreDeliveredInOrderAfterCommit(t *testing.T) {
	f := newFixture(t, backends[0])
	f.conv.Deliver = true
	s := &fakeSender{}
	ob := newOutbox(f, s)
	f.say("sms", debtorPhone, "hallo")
	f.say("sms", debtorPhone, "IB-2026-000777 1234AB")
	for i := 0; i < 5; i++ {
		if _, err := ob.SendDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	out, _ := f.store.OutboundFor(context.Background(), "sms", debtorPhone, 50)
	if len(s.texts()) != len(out) || len(out) < 2 {
		t.Fatalf("sent %d of %d queued replies", len(s.texts()), len(out))
	}
	for i, m := range out { // newest first
		if m.Status != casestore.OutboundSent || m.ProviderID == "" {
			t.Fatalf("reply %d: status %s provider id %q", m.ID, m.Status, m.ProviderID)
		}
		if want := s.texts()[len(out)-1-i]; m.Text != want {
			t.Fatalf("replies went out in another order than queued")
		}
	}
}

func TestA429ThenSuccessDeliversExactlyOnce(t *testing.T) {
	f := newFixture(t, backends[0])
	s := &fakeSender{fail: []error{&bot.SendError{Err: errors.New("429 Too Many Requests"), Temporary: true, RetryAfter: 2 * time.Second}}}
	ob := newOutbox(f, s)
	m := f.enqueue(casestore.OutboundMessage{Channel: "sms", To: debtorPhone, Text: "Dank u."})
	ob.SendDue(context.Background())
	if got := f.outbound(m.ID); got.Status != casestore.OutboundPending || !got.NextAttempt.Equal(f.now.Add(2*time.Second)) {
		t.Fatalf("after a 429: status %s next %v, want pending until Retry-After", got.Status, got.NextAttempt)
	}
	ob.SendDue(context.Background()) // too early: nothing
	if len(s.texts()) != 0 {
		t.Fatal("retried before Retry-After")
	}
	f.now = f.now.Add(3 * time.Second)
	ob.SendDue(context.Background())
	ob.SendDue(context.Background())
	if got := f.outbound(m.ID); len(s.texts()) != 1 || got.Status != casestore.OutboundSent || got.Attempts != 2 {
		t.Fatalf("want exactly one delivery on the second attempt, sent %d, message %+v", len(s.texts()), got)
	}
}

func TestAPermanentFailureIsGivenUpAndFiled(t *testing.T) {
	f := newFixture(t, backends[0])
	s := &fakeSender{fail: []error{&bot.SendError{Err: errors.New("21211 invalid 'To' number")}}}
	ob := newOutbox(f, s)
	m := f.enqueue(casestore.OutboundMessage{Channel: "sms", To: debtorPhone, Text: "Dank u."})
	ob.SendDue(context.Background())
	if got := f.outbound(m.ID); got.Status != casestore.OutboundFailed || !strings.Contains(got.LastError, "21211") {
		t.Fatalf("want failed with the provider's reason, got %+v", got)
	}
	if k := kinds(f.dossier()); k["delivery.failed"] != 1 {
		t.Fatalf("the collector cannot see the debtor was not reached: %v", k)
	}
}

func TestAutomatedMessagesRespectOptOutAndQuietHours(t *testing.T) {
	f := newFixture(t, backends[0])
	s := &fakeSender{}
	ob := newOutbox(f, s)
	if err := f.store.SetOptOut(context.Background(), "sms", "+31600000099", true, f.now); err != nil {
		t.Fatal(err)
	}
	optedOut := f.enqueue(casestore.OutboundMessage{Channel: "sms", To: "+31600000099", Text: "Herinnering", Automated: true})
	f.now = time.Date(2026, time.November, 24, 22, 30, 0, 0, casestore.Amsterdam)
	night := f.enqueue(casestore.OutboundMessage{Channel: "sms", To: debtorPhone, Text: "Herinnering", Automated: true, NextAttempt: f.now})
	ob.SendDue(context.Background())
	if got := f.outbound(optedOut.ID); got.Status != casestore.OutboundFailed {
		t.Fatalf("an automated message to an opted-out number was not stopped: %+v", got)
	}
	morning := time.Date(2026, time.November, 25, 8, 0, 0, 0, casestore.Amsterdam)
	if got := f.outbound(night.ID); got.Status != casestore.OutboundPending || !got.NextAttempt.Equal(morning) {
		t.Fatalf("at 22:30 an automated message must wait until 08:00, got %s until %v", got.Status, got.NextAttempt)
	}
	if len(s.texts()) != 0 {
		t.Fatalf("sent during quiet hours or after opt-out: %v", s.texts())
	}
	f.now = morning.Add(time.Minute)
	ob.SendDue(context.Background())
	if len(s.texts()) != 1 {
		t.Fatalf("the held reminder did not go out in the morning: %v", s.texts())
	}
}

func TestWhatsAppOutsideTheWindowUsesTheTemplate(t *testing.T) {
	f := newFixture(t, backends[0])
	s := &fakeSender{}
	ob := newOutbox(f, s)
	ctx := context.Background()
	if err := f.store.RecordInbound(ctx, &casestore.InboundMessage{Channel: "whatsapp", ProviderID: "SMin", From: debtorPhone, ReceivedAt: f.now}); err != nil {
		t.Fatal(err)
	}
	f.enqueue(casestore.OutboundMessage{Channel: "whatsapp", To: debtorPhone, Text: "binnen het venster"})
	ob.SendDue(ctx)
	f.now = f.now.Add(25 * time.Hour)
	f.enqueue(casestore.OutboundMessage{Channel: "whatsapp", To: debtorPhone, Text: "buiten het venster", NextAttempt: f.now})
	ob.SendDue(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sent) != 2 || s.sent[0].Template || !s.sent[1].Template {
		t.Fatalf("want free text inside 24h and the template after, got %+v", s.sent)
	}
}

func TestAReplyClaimedByACrashedSenderIsSentAfterItsLease(t *testing.T) {
	f := newFixture(t, backends[0])
	m := f.enqueue(casestore.OutboundMessage{Channel: "sms", To: debtorPhone, Text: "Dank u."})
	// A sender claims it and dies before sending.
	if _, err := f.store.ClaimOutbound(context.Background(), f.now, 10, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	s := &fakeSender{}
	ob := newOutbox(f, s)
	ob.SendDue(context.Background())
	if len(s.texts()) != 0 {
		t.Fatal("sent while another sender's lease was running")
	}
	f.now = f.now.Add(31 * time.Second)
	ob.SendDue(context.Background())
	if got := f.outbound(m.ID); len(s.texts()) != 1 || got.Status != casestore.OutboundSent {
		t.Fatalf("the orphaned reply was not sent after the lease: sent %v, %+v", s.texts(), got)
	}
}

func TestDeliveryReportsAreFiledOnce(t *testing.T) {
	f := newFixture(t, backends[0])
	s := &fakeSender{}
	ob := newOutbox(f, s)
	r := &bot.Router{Conversations: f.conv, Outbox: ob, Store: f.store}
	f.enqueue(casestore.OutboundMessage{Channel: "sms", To: debtorPhone, Text: "Dank u."})
	ob.SendDue(context.Background())
	out, _ := f.store.OutboundFor(context.Background(), "sms", debtorPhone, 1)
	for i := 0; i < 3; i++ {
		if err := r.DeliveryStatus(context.Background(), bot.DeliveryStatus{Channel: "sms", ProviderID: out[0].ProviderID, Status: "delivered"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.DeliveryStatus(context.Background(), bot.DeliveryStatus{Channel: "sms", ProviderID: "SMunknown", Status: "delivered"}); err != nil {
		t.Fatalf("a report for an unknown message must be ignored, got %v", err)
	}
	if k := kinds(f.dossier()); k["delivery.delivered"] != 1 {
		t.Fatalf("three identical delivery reports filed %d entries", k["delivery.delivered"])
	}
}
