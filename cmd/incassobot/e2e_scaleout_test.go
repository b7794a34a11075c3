package main

// The scale-out and kill proof (issues #16 and #18): three `serve`
// processes of one binary on one PostgreSQL database and one Redis prefix,
// behind a round-robin reverse proxy; debtors write on SMS, WhatsApp and
// Telegram through it with real signed webhooks, the fake providers answer
// slowly (so replies are in flight), and one instance is SIGKILLed mid-run.
// The audit reads the system of record and the fakes: nothing lost,
// nothing filed twice, each conversation's messages in the order sent, no
// Twilio reply delivered twice (counted at the fake by the outbox id its
// status callback carries), any Telegram reply delivered twice explained by
// a delivery.uncertain entry, the dead instance's outbox work taken over,
// and the conversations it held answering again within 5 s of the kill.
//
// The short run is part of `make test`; scripts/faultrun.sh runs it bigger
// through KILLRUN_DEBTORS (per channel) and KILLRUN_MESSAGES (per debtor).

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
)

// roundRobin is the load balancer: each request to the next live instance;
// an instance that refuses a connection is taken out, as a balancer's
// health check would, and the request answered 502 (the provider retries).
type roundRobin struct {
	backends []*url.URL
	dead     []atomic.Bool
	next     atomic.Uint64
}

type backendKey struct{}

func newRoundRobin(t *testing.T, urls []string) *httptest.Server {
	t.Helper()
	rr := &roundRobin{dead: make([]atomic.Bool, len(urls))}
	for _, u := range urls {
		p, err := url.Parse(u)
		must(t, err, "backend URL")
		rr.backends = append(rr.backends, p)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			i := rr.pick()
			*r.Out = *r.Out.WithContext(context.WithValue(r.Out.Context(), backendKey{}, i))
			r.SetURL(rr.backends[i])
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if i, ok := r.Context().Value(backendKey{}).(int); ok && strings.Contains(err.Error(), "refused") {
				rr.dead[i].Store(true)
			}
			http.Error(w, "bad gateway", http.StatusBadGateway)
		},
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv
}

func (rr *roundRobin) pick() int {
	for range len(rr.backends) {
		i := int(rr.next.Add(1) % uint64(len(rr.backends)))
		if !rr.dead[i].Load() {
			return i
		}
	}
	return int(rr.next.Load() % uint64(len(rr.backends)))
}

// killRunSize: debtors per channel and messages per debtor.
func killRunSize(t *testing.T) (debtors, msgs int) {
	t.Helper()
	debtors, msgs = 4, 8
	for name, p := range map[string]*int{"KILLRUN_DEBTORS": &debtors, "KILLRUN_MESSAGES": &msgs} {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				t.Fatalf("%s=%q: want a positive number", name, v)
			}
			*p = n
		}
	}
	return debtors, msgs
}

// killRunDebtor is one debtor of the run and what the balancer accepted.
type killRunDebtor struct {
	*debtor
	caseID   int64
	sent     []string // texts answered 200, in the order sent
	ids      []string // their provider ids
	acceptAt []time.Time
	inFlight atomic.Int64 // unix nanos the current post started; 0 when none
	failedAt []time.Time  // posts not answered 200 (retried with the same id)
}

func TestE2EThreeInstancesOneKilled(t *testing.T) {
	t.Parallel()
	perChannel, perDebtor := killRunSize(t)
	const providerDelay = 500 * time.Millisecond
	bin := buildIncassobotRace(t, false) // three race-enabled servers would swamp two cores
	dbURL := pgtest.NewDatabase(t)
	redisURL, prefix := redistest.NewPrefix(t)
	tw := twiliofake.New(t, e2eAccountSID, e2eAuthToken)
	tw.Slow(providerDelay)
	tg := telegramfake.New(t, e2eTGToken)
	tg.SendDelay = providerDelay

	vars := e2eEnv(dbURL, redisURL, prefix, tw.URL)
	vars["TELEGRAM_BOT_TOKEN"] = e2eTGToken
	vars["TELEGRAM_WEBHOOK_SECRET"] = e2eTGSecret
	vars["TELEGRAM_API_URL"] = tg.URL
	vars["LOG_LEVEL"] = "warn"
	// The dead instance's claims run out quickly (the shortest lease the
	// configuration allows with a 300 ms provider).
	vars["OUTBOX_LEASE"] = "2s"
	var procs []*process
	var urls []string
	for range 3 {
		p := startProcess(t, bin, maps.Clone(vars)) // each its own spool volume
		procs = append(procs, p)
		urls = append(urls, p.url)
	}
	lb := newRoundRobin(t, urls)

	st, err := postgres.Open(t.Context(), dbURL)
	must(t, err, "open the store")
	t.Cleanup(func() { st.Close() })
	s := &e2eServer{t: t, url: lb.URL, store: st, twilio: tw, tg: tg}
	s.nextUpd.Store(int64(200000 + time.Now().UnixNano()%100000))

	var debtors []*killRunDebtor
	for range perChannel {
		for _, ch := range []string{"sms", "whatsapp", "telegram"} {
			n := len(debtors) + 1
			phone := fmt.Sprintf("+316130%05d", n)
			c := newE2ECase(t, st, fmt.Sprintf("IB-2026-%06d", 500+n), phone)
			d := &killRunDebtor{caseID: c.ID}
			if ch == "telegram" {
				d.debtor = s.telegramDebtor(int64(880000 + n))
				d.sharesPhone(phone) // links the chat to the case before the run
			} else {
				d.debtor = s.debtor(ch, phone)
			}
			debtors = append(debtors, d)
		}
	}

	// The run: every debtor writes perDebtor messages one after another,
	// each retried with its provider id until answered 200.
	start := time.Now()
	var wg sync.WaitGroup
	for _, d := range debtors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 1; k <= perDebtor; k++ {
				text := fmt.Sprintf("bericht %d van %s", k, d.address())
				id := d.newID()
				first := time.Now()
				for {
					d.inFlight.Store(time.Now().UnixNano())
					code := d.post(id, text)
					d.inFlight.Store(0)
					if code == http.StatusOK {
						d.sent, d.ids, d.acceptAt = append(d.sent, text), append(d.ids, id), append(d.acceptAt, time.Now())
						break
					}
					d.failedAt = append(d.failedAt, time.Now())
					if time.Since(first) > 30*time.Second {
						return // the audit reports the rest as not sent
					}
					time.Sleep(50 * time.Millisecond)
				}
				time.Sleep(150 * time.Millisecond)
			}
		}()
	}
	// About a third into the run, at a moment when most debtors have a
	// reply at the providers: the killed instance then surely has some.
	time.Sleep(time.Duration(perDebtor) * 200 * time.Millisecond)
	for waitUntil := time.Now().Add(5 * time.Second); time.Now().Before(waitUntil); time.Sleep(10 * time.Millisecond) {
		sending := 0
		for _, d := range debtors {
			for _, m := range outboxFor(t, st, d.channel, d.address()) {
				if m.Status == casestore.OutboundSending {
					sending++
				}
			}
		}
		if sending >= len(debtors)*3/4 {
			break
		}
	}
	// SIGKILL the middle instance while replies are in flight; which
	// debtors had a webhook on the way at that moment.
	killed := time.Now()
	busy := map[*killRunDebtor]bool{}
	for _, d := range debtors {
		if d.inFlight.Load() != 0 {
			busy[d] = true
		}
	}
	procs[1].kill()
	wg.Wait()
	runFor := time.Since(start)

	// Drain: the survivors take over the dead instance's claims when
	// OUTBOX_LEASE runs out.
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := st.OutboxDepth(t.Context())
		must(t, err, "outbox depth")
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d replies still in the outbox 30s after the run", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * providerDelay) // calls the dead instance started have landed at the fakes

	var f struct {
		accepted, lost, twice, outOfOrder, notSent                    int
		replies, resumed, twilioTwice, tgTwice, tgTwiceExplained, bad int
		held                                                          int
		slowest                                                       time.Duration
	}
	twilioByOutbound := map[string]int{}
	for _, m := range tw.Messages() {
		u, err := url.Parse(m.StatusCallback)
		must(t, err, "status callback URL")
		twilioByOutbound[u.Query().Get("outbound")]++
	}
	for _, d := range debtors {
		f.accepted += len(d.sent)
		if len(d.sent) != perDebtor {
			f.notSent += perDebtor - len(d.sent)
			t.Errorf("%s debtor %s: %d of %d messages answered 200 within 30s", d.channel, d.address(), len(d.sent), perDebtor)
		}
		// Inbox: each accepted provider id exactly once.
		inbox, err := st.InboundMessages(t.Context(), d.channel, d.address(), 10000)
		must(t, err, "inbox")
		filed := map[string]int{}
		for _, m := range inbox {
			filed[m.ProviderID]++
		}
		for i, id := range d.ids {
			if d.channel == "telegram" {
				id = "upd:" + id // the inbox's id of a Telegram update
			}
			switch n := filed[id]; {
			case n == 0:
				f.lost++
				t.Errorf("%s debtor %s: message %q accepted but not in the inbox", d.channel, d.address(), d.sent[i])
			case n > 1:
				f.twice++
				t.Errorf("%s debtor %s: message %q filed %d times", d.channel, d.address(), d.sent[i], n)
			}
		}
		// Dossier: the run's messages once each, in the order sent.
		entries := dossierOf(t, st, d.caseID)
		var got []string
		uncertain := map[int64]bool{}
		for _, e := range entries {
			if e.Kind == casestore.EntryMessageIn && e.Channel == d.channel {
				if txt := entryText(t, e); strings.HasPrefix(txt, "bericht ") {
					got = append(got, txt)
				}
			}
			if e.Kind == bot.EntryDeliveryUncertain {
				var b struct {
					OutboundID int64 `json:"outbound_id"`
				}
				must(t, json.Unmarshal(e.Body, &b), "delivery.uncertain body")
				uncertain[b.OutboundID] = true
			}
		}
		if strings.Join(got, "|") != strings.Join(d.sent, "|") {
			f.outOfOrder++
			t.Errorf("%s debtor %s: dossier holds %q, want %q (once each, in the order sent)", d.channel, d.address(), got, d.sent)
		}
		// Replies.
		rows := d.outbox()
		tgGot := map[string]int{}
		if d.channel == "telegram" {
			for _, text := range d.received() {
				tgGot[text]++
			}
		}
		tgWant := map[string][]*casestore.OutboundMessage{}
		for _, m := range rows {
			f.replies++
			if m.Status != casestore.OutboundSent && m.Status != casestore.OutboundDelivered {
				f.bad++
				t.Errorf("%s reply %d to %s is %s (%s), want sent", d.channel, m.ID, d.address(), m.Status, m.LastError)
			}
			if m.Attempts > 1 {
				f.resumed++
			}
			if d.channel == "telegram" {
				tgWant[m.Text] = append(tgWant[m.Text], m)
				continue
			}
			switch n := twilioByOutbound[strconv.FormatInt(m.ID, 10)]; {
			case n > 1:
				f.twilioTwice++
				t.Errorf("%s reply %d to %s reached Twilio %d times, want once", d.channel, m.ID, d.address(), n)
			case n == 0:
				t.Errorf("%s reply %d to %s is marked %s but never reached Twilio", d.channel, m.ID, d.address(), m.Status)
			}
		}
		for text, want := range tgWant {
			extra := tgGot[text] - len(want)
			if extra < 0 {
				t.Errorf("telegram chat %s: %q reached it %d times, %d replies hold it", d.address(), short(text), tgGot[text], len(want))
			}
			if extra <= 0 {
				continue
			}
			f.tgTwice += extra
			explained := false
			for _, m := range want {
				explained = explained || uncertain[m.ID]
			}
			if !explained {
				t.Errorf("telegram chat %s: %q delivered %d extra time(s) without a delivery.uncertain entry", d.address(), short(text), extra)
				continue
			}
			f.tgTwiceExplained += extra
		}
		// A conversation the dead instance held: its next message answered
		// within 5 s of the kill.
		if busy[d] && len(d.failedAt) > 0 {
			for i, at := range d.acceptAt {
				if at.After(killed) {
					f.held++
					wait := at.Sub(killed)
					f.slowest = max(f.slowest, wait)
					if wait > 5*time.Second {
						t.Errorf("%s debtor %s: held by the killed instance, answered again %s after the kill (message %q), want within 5s", d.channel, d.address(), wait.Round(time.Millisecond), d.sent[i])
					}
					break
				}
			}
		}
	}
	if f.resumed == 0 {
		t.Errorf("no reply was taken over from the killed instance: the kill came when it had nothing in flight")
	}
	summary := fmt.Sprintf("three instances, one SIGKILLed %s into a %s run; %d debtors (%d per channel) × %d messages; providers answer in %s:\n"+
		"  messages accepted %d: lost %d, filed twice %d, conversations out of order %d, not accepted %d\n"+
		"  replies %d: not sent %d, taken over from the killed instance %d, Twilio delivered twice %d, Telegram delivered twice %d (with delivery.uncertain %d)\n"+
		"  conversations the killed instance held %d: slowest answered again %s after the kill",
		killed.Sub(start).Round(time.Millisecond), runFor.Round(time.Millisecond), len(debtors), perChannel, perDebtor, providerDelay,
		f.accepted, f.lost, f.twice, f.outOfOrder, f.notSent,
		f.replies, f.bad, f.resumed, f.twilioTwice, f.tgTwice, f.tgTwiceExplained,
		f.held, f.slowest.Round(time.Millisecond))
	t.Log(summary)
	if path := os.Getenv("KILLRUN_SUMMARY"); path != "" {
		must(t, os.WriteFile(path, []byte(summary+"\n"), 0o644), "write "+path)
	}
	procs[0].stop()
	procs[2].stop()
}
