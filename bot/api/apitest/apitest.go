// Package apitest gives the tests of the creditors' API and pages the same
// two tenants on a real store: creditor ALPHA's and creditor BRAVO's
// cases, with the users, tokens and sessions that read them, and one case
// whose balance is computed by hand in the comments below, to the cent.
package apitest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/shopspring/decimal"
)

// Now is the fixture's clock: the day the hand-computed case is read.
var Now = time.Date(2024, time.July, 30, 10, 0, 0, 0, time.UTC)

// Password is every fixture user's password.
const Password = "Welkom bij het incassobureau"

// Script is what a debtor typed: data, to be shown as text everywhere.
const Script = "<script>alert(1)</script>"

// The dossier numbers.
const (
	// RefHand is creditor A's NL B2B case computed by hand (see Hand).
	RefHand = "IB-A-001"
	// RefB is creditor B's case with a message and a file.
	RefB = "IB-B-001"
	// RefUnknown is no case at all.
	RefUnknown = "IB-X-999"
)

// Fillers is how many numbered messages ("Bericht nummer N") RefHand's
// dossier holds besides its other entries, for paging.
const Fillers = 30

// HandEntries is how many dossier entries RefHand has in all.
const HandEntries = Fillers + 6

// CreditorEntries is how many of them its creditor sees: all but the
// collector's private note ("Bakker belt morgen terug over de korting").
const CreditorEntries = HandEntries - 1

// Note is the text of that private note.
const Note = "Bakker belt morgen terug over de korting"

// ACases and BCases are how many cases each creditor has.
const (
	ACases = 6
	BCases = 2
)

// Tenants is the fixture.
type Tenants struct {
	Store casestore.Store
	Hot   *hotstate.Memory
	Clock *storetest.Clock
	Auth  *auth.Auth
	A, B  *casestore.Creditor
	// Users by first name: alice (creditor A), bert (creditor B), carla
	// (collector), sam (supervisor), dirk (creditor A, disabled after his
	// token and session were made).
	Users map[string]*casestore.User
	// Tokens are bearer secrets and Sessions cookie values, by user.
	Tokens   map[string]string
	Sessions map[string]*casestore.Session
	// Hand is RefHand as stored; HandMedia its file, BMedia RefB's.
	Hand      *casestore.Case
	HandMedia *casestore.Media
	BMedia    *casestore.Media
	// ScriptEntry is the id of the debtor's message that is a script tag.
	ScriptEntry int64
}

// SQLite is the fixture on the embedded store.
func SQLite(t testing.TB) *Tenants {
	t.Helper()
	clk := storetest.NewClock(Now)
	st := sqlitetest.OpenAt(t, filepath.Join(t.TempDir(), "api.db"))
	st.Now = clk.Now
	return New(t, st, clk)
}

// Postgres is the fixture on a database of its own (pgtest: skipped
// without a server, failed then under CI=true).
func Postgres(t testing.TB) *Tenants {
	t.Helper()
	clk := storetest.NewClock(Now)
	st := pgstoretest.Open(t)
	st.Now = clk.Now
	return New(t, st, clk)
}

// New files the tenants in st, whose clock is clk.
func New(t testing.TB, st casestore.Store, clk *storetest.Clock) *Tenants {
	t.Helper()
	ctx := context.Background()
	hot := hotstate.NewMemory()
	hot.Now = clk.Now
	tn := &Tenants{Store: st, Hot: hot, Clock: clk, Users: map[string]*casestore.User{},
		Tokens: map[string]string{}, Sessions: map[string]*casestore.Session{}}
	tn.Auth = &auth.Auth{Store: st, Hot: hot, Now: clk.Now, LoginPage: "/portal/login",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := st.InTx(ctx, func(tx casestore.Tx) error {
		tn.A = storetest.NewCreditor(t, tx, "ALPHA")
		tn.B = storetest.NewCreditor(t, tx, "BRAVO")
		tn.hand(t, tx)
		names := []string{"Piet Bakker", "Élise Janssens", "Kees Smit", "Fatima El Amrani", "Jan de Boer"}
		for i, name := range names {
			tn.plain(t, tx, fmt.Sprintf("IB-A-%03d", i+2), tn.A, name)
		}
		b := tn.plain(t, tx, RefB, tn.B, "Bram Geheim")
		tn.plain(t, tx, "IB-B-002", tn.B, "Anna Verborgen")
		e := casestore.DossierEntry{CaseID: b.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
			Channel: "sms", Body: []byte(`{"text":"geheim van Bravo: bel mij niet op mijn werk"}`)}
		must(t, tx.AppendDossier(ctx, &e), "B's message")
		tn.BMedia = &casestore.Media{CaseID: b.ID, Channel: "sms", ContentType: "application/pdf", Data: storetest.StatementPDF()}
		must(t, tx.AddMedia(ctx, tn.BMedia), "B's file")
		return nil
	})
	must(t, err, "file the tenants")
	tn.users(t)
	return tn
}

// hand files RefHand, the case of casestore's TestBalanceNLB2BPaymentOrder:
// NL B2B, one invoice of €1,000.00 due 30 June 2024, €200 paid on 30 July
// 2024, read on 30 July 2024. Handelsrente 12.25% for 1–30 July (30 days):
// 1000 × 12.25 × 30 / 36500 = 10.0684… → €10.07. Costs: staffel 15% ×
// 1,000 = €150.00, no VAT. The €200 goes to costs (150), then interest
// (10.07), then principal (39.93): open €960.07.
func (tn *Tenants) hand(t testing.TB, tx casestore.Tx) {
	t.Helper()
	ctx := context.Background()
	d := &casestore.Debtor{CreditorID: tn.A.ID, Ref: "DB-" + RefHand, Name: "Bakkerij De Korenaar B.V.", IsCompany: true,
		Phones: []string{"+31612345678"}, Postcode: "1234AB", Language: casestore.Dutch}
	must(t, tx.PutDebtor(ctx, d), "hand debtor")
	c := &casestore.Case{Ref: RefHand, CreditorID: tn.A.ID, DebtorID: d.ID, Regime: casestore.NLB2B,
		Stage: casestore.Minnelijk, Status: casestore.StatusOpen, Policy: casestore.DefaultPlanPolicy,
		Invoices: []casestore.Invoice{{Number: "F-2024-0630", Description: "Meel en gist, juni",
			IssueDate: casestore.Date(2024, time.June, 16), DueDate: casestore.Date(2024, time.June, 30),
			Principal: dec("1000.00"), Status: casestore.InvoiceOpen}}}
	_, err := tx.PutCase(ctx, c)
	must(t, err, "hand case")
	inv := c.Invoices[0].ID
	must(t, tx.AddPayment(ctx, &casestore.Payment{CaseID: c.ID, Amount: dec("200.00"),
		ValueDate: casestore.Date(2024, time.July, 30), Reference: "iDEAL 0042"}), "hand payment")
	must(t, tx.AddDispute(ctx, &casestore.Dispute{CaseID: c.ID, InvoiceID: &inv, Reason: casestore.ReasonWrongAmount,
		Text: Script + " het bedrag klopt niet"}), "hand dispute")
	p := &casestore.Plan{CaseID: c.ID, Status: casestore.PlanPending, Total: dec("960.07"), Installments: []casestore.Installment{
		{Seq: 1, Due: casestore.Date(2024, time.August, 15), Amount: dec("320.03")},
		{Seq: 2, Due: casestore.Date(2024, time.September, 15), Amount: dec("320.02")},
		{Seq: 3, Due: casestore.Date(2024, time.October, 15), Amount: dec("320.02")}}}
	must(t, tx.AddPlan(ctx, p), "hand plan")
	must(t, tx.AddPromise(ctx, &casestore.Promise{CaseID: c.ID, Amount: dec("100.00"),
		Date: casestore.Date(2024, time.August, 2), Status: casestore.PromiseOpen}), "hand promise")
	tn.HandMedia = &casestore.Media{CaseID: c.ID, Channel: "whatsapp", ContentType: "application/pdf", Data: storetest.StatementPDF()}
	must(t, tx.AddMedia(ctx, tn.HandMedia), "hand file")
	entry := func(kind casestore.EntryKind, actor casestore.Actor, channel, body string) int64 {
		e := casestore.DossierEntry{CaseID: c.ID, Kind: kind, Actor: actor, Channel: channel, Body: []byte(body)}
		must(t, tx.AppendDossier(ctx, &e), "hand entry")
		return e.ID
	}
	entry(casestore.EntryCaseImported, casestore.ActorImport, "", `{"file":"alpha-juli.csv","row":1}`)
	entry(casestore.EntryMessageIn, casestore.ActorDebtor, "whatsapp", `{"text":"Goedemorgen, ik heb een vraag over factuur F-2024-0630"}`)
	// As the bot stores them: decimal's shortest form, and a domain value
	// embedded with its Go field names (the API shows both in its convention).
	entry(casestore.EntryBalanceShown, casestore.ActorBot, "whatsapp", `{"open":"960.07","principal":"1000","plan":{"DownPayment":"0","Total":"960.07"}}`)
	tn.ScriptEntry = entry(casestore.EntryMessageIn, casestore.ActorDebtor, "whatsapp", `{"text":"`+Script+`"}`)
	entry(casestore.EntryMessageOut, casestore.ActorBot, "whatsapp", `{"text":"Dank u. Een medewerker kijkt naar uw vraag."}`)
	entry(casestore.EntryNote, "collector:7", "console", `{"text":"`+Note+`"}`)
	for i := 1; i <= Fillers; i++ {
		entry(casestore.EntryMessageIn, casestore.ActorDebtor, "whatsapp", fmt.Sprintf(`{"text":"Bericht nummer %d"}`, i))
	}
	tn.Hand, err = tx.Case(ctx, c.ID)
	must(t, err, "read the hand case back")
}

// plain files a case as storetest.CaseFor describes it for creditor cr,
// its debtor named name.
func (tn *Tenants) plain(t testing.TB, tx casestore.Tx, ref string, cr *casestore.Creditor, name string) *casestore.Case {
	t.Helper()
	d := storetest.NewDebtor(t, tx, cr.ID, "DB-"+ref, "+31612345678")
	d.Name = name
	must(t, tx.PutDebtor(context.Background(), d), "rename debtor")
	return storetest.NewCaseOf(t, tx, ref, cr.ID, d.ID)
}

// users adds the accounts with a session and a token each, then disables dirk.
func (tn *Tenants) users(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword(Password)
	must(t, err, "hash password")
	for _, u := range []*casestore.User{
		{Email: "alice@alpha.example", Name: "Alice Alpha", Role: casestore.RoleCreditor, CreditorID: tn.A.ID},
		{Email: "bert@bravo.example", Name: "Bert Bravo", Role: casestore.RoleCreditor, CreditorID: tn.B.ID},
		{Email: "carla@incasso.example", Name: "Carla Collector", Role: casestore.RoleCollector},
		{Email: "sam@incasso.example", Name: "Sam Supervisor", Role: casestore.RoleSupervisor},
		{Email: "dirk@alpha.example", Name: "Dirk Alpha", Role: casestore.RoleCreditor, CreditorID: tn.A.ID},
	} {
		u.PasswordHash = hash
		must(t, tn.Store.AddUser(ctx, u), "add user "+u.Email)
		first, _, _ := strings.Cut(u.Email, "@")
		tn.Users[first] = u
		secret, _, err := tn.Auth.NewAPIToken(ctx, u.ID, "fixture")
		must(t, err, "token of "+first)
		tn.Tokens[first] = secret
		s, err := tn.Auth.StartSession(ctx, u.ID)
		must(t, err, "session of "+first)
		tn.Sessions[first] = s
	}
	must(t, tn.Store.SetUserDisabled(ctx, tn.Users["dirk"].ID, true), "disable dirk")
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func must(t testing.TB, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
