package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore"
)

// stallingStore holds every transaction until release is closed: a
// message in flight for as long as the test wants.
type stallingStore struct {
	casestore.Store
	entered chan struct{}
	release chan struct{}
}

func (s *stallingStore) InTx(ctx context.Context, fn func(casestore.Tx) error) error {
	s.entered <- struct{}{}
	<-s.release
	return s.Store.InTx(ctx, fn)
}

// admissionRig is a real Twilio webhook over a Router that admits one
// message at a time, on a store whose transactions wait for release.
type admissionRig struct {
	t     *testing.T
	f     *fixture
	stall *stallingStore
	url   string
}

const (
	rigToken  = "f00dfeedf00dfeedf00dfeedf00dfeed"
	rigPublic = "https://bot.example.nl"
	rigSID    = "AC0123456789abcdef0123456789abcdef"
)

func newAdmissionRig(t *testing.T, b backend, queue time.Duration) *admissionRig {
	f := newFixture(t, b)
	stall := &stallingStore{Store: f.store, entered: make(chan struct{}, 8), release: make(chan struct{})}
	conv := &bot.Conversations{Store: stall, Hot: f.conv.Hot, Now: f.conv.Now}
	router := &bot.Router{Conversations: conv, Store: stall, Admit: bot.NewAdmission(1, queue)}
	hook := httptest.NewServer(twilio.NewWebhook(twilio.Config{
		AccountSID: rigSID, AuthToken: rigToken, SMSFrom: "+3197010000001", PublicURL: rigPublic,
	}, router, nil))
	t.Cleanup(hook.Close)
	return &admissionRig{t: t, f: f, stall: stall, url: hook.URL}
}

// post delivers one signed SMS webhook and returns the response.
func (r *admissionRig) post(sid, text string) *http.Response {
	form := url.Values{"MessageSid": {sid}, "AccountSid": {rigSID},
		"From": {debtorPhone}, "To": {"+3197010000001"}, "Body": {text}, "NumMedia": {"0"}}
	req, _ := http.NewRequest(http.MethodPost, r.url+"/webhooks/twilio", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliofake.Sign(rigToken, rigPublic+"/webhooks/twilio", form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// postAsync posts in the background; wait returns the response.
func (r *admissionRig) postAsync(sid, text string) (wait func() *http.Response) {
	var wg sync.WaitGroup
	var resp *http.Response
	wg.Add(1)
	go func() { defer wg.Done(); resp = r.post(sid, text) }()
	return func() *http.Response { wg.Wait(); return resp }
}

func (r *admissionRig) inbound() int {
	in, err := r.f.store.InboundMessages(context.Background(), "sms", debtorPhone, 10)
	if err != nil {
		r.t.Fatal(err)
	}
	return len(in)
}

// An instance that already handles as many messages as it admits refuses
// the next one at the door with 503 and Retry-After, storing nothing; the
// provider's retry, once a slot is free, is taken exactly once.
func TestBusyInstanceRefusesWithRetryAfterAndTakesTheRetry(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			r := newAdmissionRig(t, b, 50*time.Millisecond)
			first := r.postAsync("SM00000000000000000000000000000001", "hallo")
			<-r.stall.entered // the first message holds the only slot

			second := r.post("SM00000000000000000000000000000002", "hoeveel moet ik betalen?")
			if second.StatusCode != http.StatusServiceUnavailable || second.Header.Get("Retry-After") == "" {
				t.Fatalf("a message beyond the bound: status %d, Retry-After %q; want 503 with Retry-After",
					second.StatusCode, second.Header.Get("Retry-After"))
			}
			if n := len(r.stall.entered); n != 0 {
				t.Fatalf("the refused message reached the store (%d transactions began)", n)
			}

			close(r.stall.release)
			if s := first().StatusCode; s != http.StatusOK {
				t.Fatalf("the admitted message: status %d, want 200", s)
			}
			// Twilio's retry of the refused message, and a duplicate of it.
			for range 2 {
				if s := r.post("SM00000000000000000000000000000002", "hoeveel moet ik betalen?").StatusCode; s != http.StatusOK {
					t.Fatalf("the retry once a slot is free: status %d, want 200", s)
				}
			}
			if n := r.inbound(); n != 2 {
				t.Fatalf("stored %d inbound messages, want 2 (the first and the retried one, once each)", n)
			}
		})
	}
}

// A message that finds the instance full waits its queue time for a slot
// before it is refused: a short burst is absorbed, not bounced.
func TestBusyInstanceQueuesABurstWithinItsQueueTime(t *testing.T) {
	r := newAdmissionRig(t, backends[0], 5*time.Second)
	first := r.postAsync("SM00000000000000000000000000000011", "hallo")
	<-r.stall.entered
	second := r.postAsync("SM00000000000000000000000000000012", "hoeveel moet ik betalen?")
	time.Sleep(100 * time.Millisecond) // the second is now waiting at the door
	if n := len(r.stall.entered); n != 0 {
		t.Fatalf("the second message began a transaction while the only slot was taken")
	}
	close(r.stall.release)
	if a, b := first().StatusCode, second().StatusCode; a != http.StatusOK || b != http.StatusOK {
		t.Fatalf("statuses %d and %d, want 200 and 200", a, b)
	}
	if n := r.inbound(); n != 2 {
		t.Fatalf("stored %d inbound messages, want 2", n)
	}
}
