package dialogs

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Conversations are tables of turns run by one helper (converse) that
// threads the State and plays the runtime: it loads the fixture case for
// the sender's phone, answers dossier look-ups, passes the verified case,
// keeps verification locks, and applies status effects to its copy of the
// case the way the store would.

// convNow is a Wednesday during office hours in Amsterdam.
var convNow = time.Date(2026, time.June, 10, 10, 0, 0, 0, casestore.Amsterdam)

const (
	phoneOnFile = "+31612345678"
	phoneOther  = "+31687654321"
	refOnFile   = "IB-2026-000123"
)

// fixtureCase is an NL consumer case in the given stage: creditor "Energie
// Noord B.V.", debtor J. de Vries (postcode 1234AB, born 14 March 1985,
// phone +31612345678), invoices F-1001 (€ 1.234,56) and F-1002 (€ 65,44).
func fixtureCase(stage casestore.Stage) *casestore.Case {
	born := casestore.Date(1985, time.March, 14)
	letter := casestore.Date(2026, time.February, 2)
	return &casestore.Case{
		ID: 101, Ref: refOnFile, CreditorID: 7, DebtorID: 9,
		Regime: casestore.NLB2C, Stage: stage, Status: casestore.StatusOpen,
		LetterSentOn: &letter, Policy: casestore.DefaultPlanPolicy,
		Creditor: casestore.Creditor{ID: 7, Code: "ENOORD", Name: "Energie Noord B.V.", PaymentURL: "https://pay.example.test/enoord"},
		Debtor: casestore.Debtor{
			ID: 9, Ref: "DB-9", Name: "J. de Vries", Phones: []string{phoneOnFile},
			Postcode: "1234AB", BirthDate: &born, Language: casestore.Dutch,
		},
		Invoices: []casestore.Invoice{
			{ID: 1001, CaseID: 101, Number: "F-1001", Description: "Stroom januari",
				IssueDate: casestore.Date(2026, time.January, 1), DueDate: casestore.Date(2026, time.January, 31),
				Principal: decimal.RequireFromString("1234.56"), Status: casestore.InvoiceOpen},
			{ID: 1002, CaseID: 101, Number: "F-1002", Description: "Stroom februari",
				IssueDate: casestore.Date(2026, time.February, 1), DueDate: casestore.Date(2026, time.February, 28),
				Principal: decimal.RequireFromString("65.44"), Status: casestore.InvoiceOpen},
		},
	}
}

// withLang returns the case with the debtor's language on file set.
func withLang(c *casestore.Case, l casestore.Language) *casestore.Case {
	c.Debtor.Language = l
	return c
}

// singleInvoice drops F-1002 so that no invoice needs choosing.
func singleInvoice(c *casestore.Case) *casestore.Case {
	c.Invoices = c.Invoices[:1]
	return c
}

type turnSpec struct {
	Say      string        // a text message (when Event is nil)
	Event    *Event        // any other event
	After    time.Duration // since the previous turn; default one minute
	Want     []string      // every one appears in the reply
	WantNot  []string      // none appears in the reply
	Intent   Intent        // Result.Intent of the text, when set
	Effects  []string      // exact effect kinds (any order) when non-nil
	Entries  []string      // exact entry kinds (any order) when non-nil
	Node     Node          // the node after the turn, when set
	Verified *bool         // State.Verified after the turn, when set
	Check    func(t *testing.T, r Result)
}

type conversation struct {
	Name    string
	Case    *casestore.Case // the case on file; nil: none
	Phone   string          // the sender; default phoneOnFile
	Channel string          // default "whatsapp"
	OnFile  OnFile          // the case's disputes, plans and promises
	Agency  *Agency         // the agency in the view; nil: the demo agency without a bank account
	Flags   casestore.CaseFlags
	// AtCeiling: the case has reached its web chat ceiling; the runtime
	// then judges only an attempt with both factors (View.BothFactors)
	// and answers any other as it answers an unknown dossier number.
	AtCeiling bool
	// HandoffBusy: the runtime says this client already has an unverified
	// handoff open (View.HandoffBusy).
	HandoffBusy bool
	Turns       []turnSpec
}

var (
	yes = ptrBool(true)
	no  = ptrBool(false)
)

func ptrBool(b bool) *bool { return &b }

// runtimeFake is the part of the runtime the dialog relies on.
type runtimeFake struct {
	agency    *Agency
	flags     casestore.CaseFlags
	c         *casestore.Case
	onFile    OnFile
	lockUntil time.Time
	optedOut  bool
	atCeiling bool
	busy      bool
}

func (rt *runtimeFake) view(st State, ev Event, now time.Time) View {
	v := View{OptedOut: rt.optedOut, HandoffBusy: rt.busy, Agency: Agency{Name: "Incasso Demo B.V.", Contact: "www.incasso-demo.example"}}
	if rt.agency != nil {
		v.Agency = *rt.agency
	}
	if rt.c != nil {
		v.OnFile = map[int64]OnFile{rt.c.ID: rt.onFile}
		v.Flags = map[int64]casestore.CaseFlags{rt.c.ID: rt.flags}
	}
	if rt.c != nil && slices.Contains(rt.c.Debtor.Phones, st.PhoneFor(ev)) {
		v.PhoneCases = []*casestore.Case{rt.c}
	}
	if st.Verified && rt.c != nil && st.CaseID == rt.c.ID {
		v.Case = rt.c
	}
	if rt.lockUntil.After(now) {
		v.CaseLocked, v.LockedUntil = true, rt.lockUntil
	}
	return v
}

// apply does to the fixture what the store would do with the effects.
func (rt *runtimeFake) apply(effects []Effect) {
	for _, e := range effects {
		switch e := e.(type) {
		case LockVerification:
			if e.Until.After(rt.lockUntil) {
				rt.lockUntil = e.Until
			}
		case OptOut:
			rt.optedOut = true
		case OptIn:
			rt.optedOut = false
		case OpenDispute:
			if e.Dispute.InvoiceID != nil {
				rt.setInvoice(*e.Dispute.InvoiceID, e.InvoiceStatus)
			} else {
				rt.c.Status = e.CaseStatus
			}
		case ReportPayment:
			if e.InvoiceID != nil {
				rt.setInvoice(*e.InvoiceID, casestore.InvoicePaused)
			} else {
				rt.c.Status = casestore.StatusOnHold
			}
		case SetInvoiceStatus:
			rt.setInvoice(e.InvoiceID, e.Status)
		case SetCaseStatus:
			rt.c.Status = e.Status
		}
	}
}

func (rt *runtimeFake) setInvoice(id int64, s casestore.InvoiceStatus) {
	for i := range rt.c.Invoices {
		if rt.c.Invoices[i].ID == id {
			rt.c.Invoices[i].Status = s
		}
	}
}

// step runs one event like the runtime: it answers a LookupRef with an
// EventCaseLoaded at once and returns both results merged.
func (rt *runtimeFake) step(st State, ev Event, now time.Time) Result {
	r := Step(st, ev, rt.view(st, ev, now), now)
	rt.apply(r.Effects)
	if r.LookupRef == "" {
		return r
	}
	loaded := Event{Kind: EventCaseLoaded, Channel: ev.Channel, From: ev.From, Phone: ev.Phone}
	v := rt.view(r.State, loaded, now)
	v.LookupRef = r.LookupRef
	if rt.c != nil && normRef(rt.c.Ref) == normRef(r.LookupRef) {
		v.Lookup = rt.c
		if rt.atCeiling {
			v.BothFactors = r.State.PendingPC != "" && !r.State.PendingDOB.IsZero()
			if !v.BothFactors {
				v.Lookup = nil // refused, as the runtime does
			}
		}
	}
	r2 := Step(r.State, loaded, v, now)
	rt.apply(r2.Effects)
	r2.Replies = append(r.Replies, r2.Replies...)
	r2.Entries = append(r.Entries, r2.Entries...)
	r2.Effects = append(r.Effects, r2.Effects...)
	r2.Intent, r2.Understanding = r.Intent, r.Understanding
	return r2
}

func converse(t *testing.T, c conversation) {
	t.Helper()
	rt := &runtimeFake{c: c.Case, onFile: c.OnFile, agency: c.Agency, flags: c.Flags, atCeiling: c.AtCeiling, busy: c.HandoffBusy}
	secrets := caseSecrets(c.Case)
	phone, channel := c.Phone, c.Channel
	switch phone {
	case "":
		phone = phoneOnFile
	case "-":
		phone = "" // the channel does not vouch for a number (Telegram)
	}
	if channel == "" {
		channel = "whatsapp"
	}
	var st State
	now := convNow
	for i, tc := range c.Turns {
		now = now.Add(max(tc.After, time.Minute))
		ev := Event{Kind: EventText, Text: tc.Say, Channel: channel, From: channel + ":user", Phone: phone}
		if tc.Event != nil {
			ev = *tc.Event
		}
		r := rt.step(st, ev, now)
		reply := replyText(r)
		where := func() string { return "turn " + itoa(i+1) + " (" + tc.Say + ")\nreply: " + reply }
		for _, w := range tc.Want {
			if !strings.Contains(reply, w) {
				t.Errorf("%s\nwant %q in the reply", where(), w)
			}
		}
		for _, w := range tc.WantNot {
			if strings.Contains(reply, w) {
				t.Errorf("%s\ndo not want %q in the reply", where(), w)
			}
		}
		if !r.State.Verified {
			for _, s := range secrets {
				if strings.Contains(reply, s) {
					t.Errorf("%s\nleaks %q before verification", where(), s)
				}
			}
		}
		if tc.Intent != "" && r.Intent != tc.Intent {
			t.Errorf("%s\nintent %q, want %q", where(), r.Intent, tc.Intent)
		}
		if tc.Effects != nil {
			if got := effectKinds(r.Effects); !sameKinds(got, tc.Effects) {
				t.Errorf("%s\neffects %v, want %v", where(), got, tc.Effects)
			}
		}
		if tc.Entries != nil {
			if got := entryKinds(r.Entries); !sameKinds(got, tc.Entries) {
				t.Errorf("%s\nentries %v, want %v", where(), got, tc.Entries)
			}
		}
		if tc.Node != "" && r.State.Node != tc.Node {
			t.Errorf("%s\nnode %q, want %q", where(), r.State.Node, tc.Node)
		}
		if tc.Verified != nil && r.State.Verified != *tc.Verified {
			t.Errorf("%s\nverified %v, want %v", where(), r.State.Verified, *tc.Verified)
		}
		checkEntries(t, r, where)
		if tc.Check != nil {
			tc.Check(t, r)
		}
		st = roundTrip(t, r.State) // as the hot state stores it
	}
}

// checkEntries holds for every entry: a case, a kind, a JSON object body.
func checkEntries(t *testing.T, r Result, where func() string) {
	t.Helper()
	for _, e := range r.Entries {
		if e.CaseID == 0 || e.Kind == "" || !json.Valid(e.Body) || e.Body[0] != '{' {
			t.Errorf("%s\nbad entry %+v", where(), e)
		}
	}
}

// roundTrip stores and loads a State through JSON, as the hot state does.
func roundTrip(t *testing.T, st State) State {
	t.Helper()
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatalf("state does not marshal: %v", err)
	}
	var out State
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("state does not unmarshal: %v\n%s", err, raw)
	}
	return out
}

func replyText(r Result) string {
	var b strings.Builder
	for _, rp := range r.Replies {
		b.WriteString(rp.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func effectKinds(es []Effect) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.Kind())
	}
	return out
}

func entryKinds(es []casestore.DossierEntry) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, string(e.Kind))
	}
	return out
}

func sameKinds(got, want []string) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// caseSecrets is what must never be shown before verification: the
// creditor's name, invoice numbers, and the amounts in every format.
func caseSecrets(c *casestore.Case) []string {
	if c == nil {
		return nil
	}
	out := []string{c.Creditor.Name, c.Debtor.Name}
	var total decimal.Decimal
	for _, inv := range c.Invoices {
		out = append(out, inv.Number)
		total = total.Add(inv.Principal)
		for _, l := range []casestore.Language{casestore.Dutch, casestore.English, casestore.French} {
			out = append(out, Money(l, inv.Principal))
		}
	}
	for _, l := range []casestore.Language{casestore.Dutch, casestore.English, casestore.French} {
		out = append(out, Money(l, total))
	}
	if b, err := casestore.Balance(c, casestore.DayOf(convNow)); err == nil {
		for _, l := range []casestore.Language{casestore.Dutch, casestore.English, casestore.French} {
			out = append(out, Money(l, b.Total.Open), Money(l, b.Total.Interest))
		}
	}
	return out
}

// shown returns the figures of casestore.Balance for c today in lang: what
// the balance reply must contain.
func shown(t *testing.T, c *casestore.Case, lang casestore.Language) []string {
	t.Helper()
	b, err := casestore.Balance(c, casestore.DayOf(convNow))
	if err != nil {
		t.Fatalf("fixture balance: %v", err)
	}
	tot := b.Total
	return []string{Money(lang, tot.Open), Money(lang, tot.Principal), Money(lang, tot.Interest),
		Money(lang, tot.Costs.Add(tot.CostsVAT)), Money(lang, tot.Paid)}
}

// verifyTurns are the two turns that identify the fixture debtor in Dutch.
func verifyNL() []turnSpec {
	return []turnSpec{
		{Say: "hallo", Want: []string{"dossiernummer", "postcode"}, Node: NodeVerifyRef, Entries: []string{}},
		{Say: refOnFile + ", postcode 1234AB", Want: []string{"U bent geïdentificeerd", "1. "}, Verified: yes,
			Entries: []string{"verification.succeeded"}, Node: NodeMenu},
	}
}

func TestConversations(t *testing.T) {
	var all []conversation
	all = append(all, conversationsNL(t)...)
	all = append(all, conversationsEN(t)...)
	all = append(all, conversationsFR(t)...)
	if len(all) < 40 {
		t.Errorf("only %d conversations; the issue asks for at least 40", len(all))
	}
	for _, c := range all {
		t.Run(c.Name, func(t *testing.T) { converse(t, c) })
	}
}
