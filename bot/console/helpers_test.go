package console_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/console"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/internal/webtest"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/incassobot/incassobot/dialogs"
)

func TestMain(m *testing.M) { webtest.Main(m) }

const (
	password     = "Welkom bij het incassobureau"
	debtorPhone  = "+31612345678" // storetest.NewCase's debtor
	scriptTyped  = "<script>alert(1)</script>"
	scriptEscape = "&lt;script&gt;alert(1)&lt;/script&gt;"
	// principal is the hoofdsom of storetest.CaseFor: 1234.56 + 0.01.
	principal = "€ 1.234,57"
)

// fixture is the console on a real SQLite store and in-process hot state,
// with a case whose debtor asked for a person on WhatsApp (handoff h), and
// users by first name: anna and bram (collectors), sven (supervisor),
// energie (a creditor user).
type fixture struct {
	t     *testing.T
	clk   *storetest.Clock
	st    *sqlite.Store
	hot   *hotstate.Memory
	srv   *httptest.Server
	c     *casestore.Case
	h     *casestore.Handoff
	users map[string]*casestore.User
	woken int
	mu    sync.Mutex
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := storetest.NewClock(time.Date(2026, time.March, 16, 9, 30, 0, 0, time.UTC))
	st := sqlitetest.Open(t)
	st.Now = clk.Now
	hot := hotstate.NewMemory()
	hot.Now = clk.Now
	f := &fixture{t: t, clk: clk, st: st, hot: hot, users: map[string]*casestore.User{}}
	err := st.InTx(ctx, func(tx casestore.Tx) error {
		f.c = storetest.NewCase(t, tx, "IB-2026-000777")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.addUsers()
	f.h = f.debtorAsksForPerson("whatsapp", debtorPhone, f.c.ID, "asked", 1, scriptTyped, "ik wil iemand spreken")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	con := console.New(console.Deps{Store: st, Hot: hot, Log: log, Now: clk.Now,
		Wake: func() { f.mu.Lock(); f.woken++; f.mu.Unlock() },
		Auth: &auth.Auth{Store: st, Hot: hot, Now: clk.Now, Log: log}})
	f.srv = httptest.NewServer(con.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) addUsers() {
	f.t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword(password)
	if err != nil {
		f.t.Fatal(err)
	}
	for key, u := range map[string]*casestore.User{
		"anna":    {Email: "anna@incasso.example", Name: "Anna de Vries", Role: casestore.RoleCollector},
		"bram":    {Email: "bram@incasso.example", Name: "Bram Jansen", Role: casestore.RoleCollector},
		"sven":    {Email: "sven@incasso.example", Name: "Sven Peeters", Role: casestore.RoleSupervisor},
		"energie": {Email: "boekhouding@energie.example", Name: "Energie B.V.", Role: casestore.RoleCreditor, CreditorID: f.c.CreditorID},
	} {
		u.PasswordHash = hash
		if err := f.st.AddUser(ctx, u); err != nil {
			f.t.Fatal(err)
		}
		f.users[key] = u
	}
}

// debtorAsksForPerson files the debtor's messages in the inbox (as the
// router would) and queues the conversation.
func (f *fixture) debtorAsksForPerson(channel, address string, caseID int64, reason string, priority int, texts ...string) *casestore.Handoff {
	f.t.Helper()
	ctx := context.Background()
	for _, text := range texts {
		m := casestore.InboundMessage{Channel: channel, From: address, CaseID: caseID,
			Body: []byte(`{"text":` + jsonString(text) + `}`)}
		if err := f.st.RecordInbound(ctx, &m); err != nil {
			f.t.Fatal(err)
		}
		if caseID != 0 {
			e := casestore.DossierEntry{CaseID: caseID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
				Channel: channel, Body: []byte(`{"text":` + jsonString(text) + `}`)}
			if err := f.st.AppendDossier(ctx, &e); err != nil {
				f.t.Fatal(err)
			}
		}
		f.clk.Advance(time.Second)
	}
	h := &casestore.Handoff{Channel: channel, Address: address, CaseID: caseID, Reason: reason, Priority: priority}
	if _, err := f.st.RequestHandoff(ctx, h); err != nil {
		f.t.Fatal(err)
	}
	return h
}

func jsonString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// browser is one collector's browser (webtest.Browser: its cookies and
// the CSRF token of the last page it read).
type browser struct {
	*webtest.Browser
	f *fixture
}

// login logs the user in through the login form and reads the queue.
func (f *fixture) login(who string) *browser {
	f.t.Helper()
	b := &browser{Browser: webtest.NewBrowser(f.t, f.srv.URL), f: f}
	code, loc, _ := b.postForm("/console/login", url.Values{"email": {f.users[who].Email}, "password": {password}})
	if code != http.StatusSeeOther || loc != "/console/" {
		f.t.Fatalf("login %s: %d to %q, want 303 to /console/", who, code, loc)
	}
	if who != "energie" {
		if code, _ := b.get("/console/"); code != http.StatusOK {
			f.t.Fatalf("queue after login of %s: %d", who, code)
		}
	}
	return b
}

// stranger is a browser that keeps no cookies: nobody logged in.
func (f *fixture) stranger() *browser {
	return &browser{Browser: &webtest.Browser{T: f.t, Base: f.srv.URL, Client: webtest.NoRedirects(nil)}, f: f}
}

// get returns the status and body, and keeps the page's CSRF token.
func (b *browser) get(path string) (int, string) {
	b.f.t.Helper()
	p := b.Get(path)
	return p.Code, p.Body
}

// post sends a form with the browser's CSRF token.
func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.CSRF)
	return b.postForm(path, form)
}

func (b *browser) postForm(path string, form url.Values) (code int, location, body string) {
	b.f.t.Helper()
	p := b.PostForm(path, form)
	return p.Code, p.Header.Get("Location"), p.Body
}

// outbox is every message to the debtor's WhatsApp, oldest first, but
// the notices of a take-over or hand-back (TestTheDebtorIsToldWhoWrites
// asserts those): tests count what a collector or a decision sent.
func (f *fixture) outbox() []*casestore.OutboundMessage {
	f.t.Helper()
	var out []*casestore.OutboundMessage
	for _, m := range f.wholeOutbox() {
		if !isHandoffNotice(m.Text) {
			out = append(out, m)
		}
	}
	return out
}

// wholeOutbox is every message to the debtor's WhatsApp, oldest first.
func (f *fixture) wholeOutbox() []*casestore.OutboundMessage {
	f.t.Helper()
	ms, err := f.st.OutboundFor(context.Background(), "whatsapp", debtorPhone, 100)
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]*casestore.OutboundMessage, len(ms))
	for i, m := range ms {
		out[len(ms)-1-i] = m
	}
	return out
}

// isHandoffNotice reports whether text is a take-over, release or
// hand-back notice, in any language.
func isHandoffNotice(text string) bool {
	for _, lang := range []casestore.Language{casestore.Dutch, casestore.English, casestore.French} {
		for _, n := range []string{dialogs.HandedBackText(lang, "whatsapp"), dialogs.ReleasedText(lang, "whatsapp"),
			strings.TrimSuffix(dialogs.TakeOverText(lang, "whatsapp", "X", ""), "X.")} {
			if strings.HasPrefix(text, n) {
				return true
			}
		}
	}
	return false
}

// dossier is the case's entries newest first.
func (f *fixture) dossier(kinds ...casestore.EntryKind) []casestore.DossierEntry {
	f.t.Helper()
	all, err := f.st.Dossier(context.Background(), f.c.ID, casestore.DossierQuery{Kinds: kinds, Limit: 200})
	if err != nil {
		f.t.Fatal(err)
	}
	var es []casestore.DossierEntry // as outbox: without the notices
	for _, e := range all {
		var b struct{ Text string }
		if e.Kind == casestore.EntryMessageOut && json.Unmarshal(e.Body, &b) == nil && isHandoffNotice(b.Text) {
			continue
		}
		es = append(es, e)
	}
	return es
}

func regexpFind(s, expr string) string {
	m := regexp.MustCompile(expr).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}
