package console_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// The fixture's clock stands on 16 March 2026; the debtor's proposal is
// €1.234,57 in three terms from 16 April, the odd cent last.
var proposalLines = []string{"1. € 411,52 op 16 april 2026", "2. € 411,52 op 16 mei 2026", "3. € 411,53 op 16 juni 2026"}

// pendingPlan files the debtor's proposal as the dialog does when a
// collector must decide.
func (f *fixture) pendingPlan(caseID int64) *casestore.Plan {
	f.t.Helper()
	total := decimal.RequireFromString("1234.57")
	p := &casestore.Plan{CaseID: caseID, Status: casestore.PlanPending, Total: total, DownPayment: decimal.Zero,
		Installments: casestore.Schedule(total, decimal.Zero, 3, casestore.Date(2026, time.April, 16))}
	if err := f.st.AddPlan(context.Background(), p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// dispute files the debtor's dispute of invoice number ("" = the whole
// case) and puts it on hold, as the dialog does.
func (f *fixture) dispute(number string) *casestore.Dispute {
	f.t.Helper()
	ctx := context.Background()
	d := &casestore.Dispute{CaseID: f.c.ID, Reason: casestore.ReasonNotReceived, Text: "Nooit ontvangen <b>echt</b>"}
	for _, inv := range f.c.Invoices {
		if inv.Number == number {
			id := inv.ID
			d.InvoiceID = &id
		}
	}
	if err := f.st.AddDispute(ctx, d); err != nil {
		f.t.Fatal(err)
	}
	var err error
	if d.InvoiceID != nil {
		err = f.st.SetInvoiceStatus(ctx, *d.InvoiceID, casestore.InvoiceDisputed)
	} else {
		err = f.st.SetCaseStatus(ctx, f.c.ID, casestore.StatusOnHold)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// verifiedDialog saves the bot's dialog state of a debtor verified for
// the case, at the menu, writing in lang.
func (f *fixture) verifiedDialog(lang casestore.Language) {
	f.t.Helper()
	st := dialogs.State{Lang: lang, Node: dialogs.NodeMenu, Verified: true, CaseID: f.c.ID, VerifiedAt: f.clk.Now(), LastAt: f.clk.Now(), Phone: debtorPhone}
	b, _ := json.Marshal(st)
	key := "dialog:" + bot.Inbound{Channel: "whatsapp", From: debtorPhone}.ConversationKey()
	if err := f.hot.Set(context.Background(), key, b, time.Hour); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) plans() []*casestore.Plan {
	f.t.Helper()
	ps, err := f.st.Plans(context.Background(), f.c.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return ps
}

func (f *fixture) caseNow() *casestore.Case {
	f.t.Helper()
	c, err := f.st.Case(context.Background(), f.c.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// openText is what is open on the case now in Dutch notation, "€ 1.430,12".
func (f *fixture) openText() string {
	f.t.Helper()
	b, err := casestore.Balance(f.caseNow(), f.clk.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	s := casestore.RoundCents(b.Total.Open).StringFixed(2)
	whole, cents, _ := strings.Cut(s, ".")
	if len(whole) > 3 {
		whole = whole[:len(whole)-3] + "." + whole[len(whole)-3:]
	}
	return "€ " + whole + "," + cents
}

// claimed logs who in and has them claim the fixture's chat.
func (f *fixture) claimed(who string) (*browser, string) {
	f.t.Helper()
	b := f.login(who)
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	if code, _, body := b.post(chat+"/claim", nil); code != http.StatusSeeOther {
		f.t.Fatalf("%s claims: %d\n%s", who, code, body)
	}
	b.get(chat)
	return b, chat
}

func (f *fixture) wokenCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.woken
}

func entryBody(t *testing.T, e casestore.DossierEntry) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(e.Body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Each decision changes the plan or dispute, files who decided and why,
// and tells the debtor on WhatsApp, in the debtor's language, in one go.
func TestDecisionsReachTheDebtorAndTheDossier(t *testing.T) {
	type check func(t *testing.T, f *fixture, out *casestore.OutboundMessage, e casestore.DossierEntry)
	tests := []struct {
		name  string
		lang  casestore.Language      // of the bot's dialog; "" = none saved
		setup func(f *fixture) string // returns the path under the chat
		form  url.Values
		kind  casestore.EntryKind
		done  string
		want  []string // in the debtor's message
		not   []string // never in it (private notes)
		check check
	}{
		{name: "approve a pending plan", lang: casestore.Dutch,
			setup: func(f *fixture) string { return fmt.Sprintf("/plans/%d/approve", f.pendingPlan(f.c.ID).ID) },
			form:  url.Values{"note": {"Akkoord na overleg met de opdrachtgever"}},
			kind:  "plan.approved", done: "plan-approved",
			want: append([]string{"heeft uw betalingsregeling voor dossier IB-2026-000777 goedgekeurd", "€ 1.234,57"}, proposalLines...),
			not:  []string{"overleg met de opdrachtgever"},
			check: func(t *testing.T, f *fixture, _ *casestore.OutboundMessage, e casestore.DossierEntry) {
				if p := f.plans(); len(p) != 1 || p[0].Status != casestore.PlanActive {
					t.Errorf("plans after approval: %+v, want the one active", p)
				}
				if s := f.caseNow().Status; s != casestore.StatusInPlan {
					t.Errorf("case status %s, want in-plan", s)
				}
			}},
		{name: "approve, told in English", lang: casestore.English,
			setup: func(f *fixture) string { return fmt.Sprintf("/plans/%d/approve", f.pendingPlan(f.c.ID).ID) },
			kind:  "plan.approved", done: "plan-approved",
			want: []string{"approved your payment plan for file IB-2026-000777", "1. €411.52 on 16 April 2026", "3. €411.53 on 16 June 2026"}},
		{name: "counter with six terms", lang: casestore.Dutch,
			setup: func(f *fixture) string { return fmt.Sprintf("/plans/%d/counter", f.pendingPlan(f.c.ID).ID) },
			form:  url.Values{"terms": {"6"}, "down": {"100,50"}, "start": {"2026-04-01"}, "note": {"Zes maanden is het maximum"}},
			kind:  "plan.countered", done: "plan-countered",
			want: []string{"deze regeling is wel mogelijk", "1. € 100,50 op 1 april 2026", "7. ", "op 1 oktober 2026", "JA"},
			not:  []string{"maximum"},
			check: func(t *testing.T, f *fixture, _ *casestore.OutboundMessage, e casestore.DossierEntry) {
				ps := f.plans()
				if len(ps) != 2 || ps[0].Status != casestore.PlanRejected || ps[1].Status != casestore.PlanPending {
					t.Fatalf("plans after the counter-offer: %+v, want the debtor's rejected and the offer pending", ps)
				}
				offer := ps[1]
				if len(offer.Installments) != 7 || !offer.DownPayment.Equal(decimal.RequireFromString("100.50")) {
					t.Errorf("the offer is %d payments with %s down, want 7 with 100.50", len(offer.Installments), offer.DownPayment)
				}
				b := entryBody(t, e)
				if b["plan_id"] != float64(ps[0].ID) || b["counter_plan_id"] != float64(offer.ID) {
					t.Errorf("plan.countered names plans %v → %v, want %d → %d", b["plan_id"], b["counter_plan_id"], ps[0].ID, offer.ID)
				}
				// The bot now waits for the debtor's yes to this plan.
				st, ok := bot.DialogState(context.Background(), f.hot, "whatsapp", debtorPhone)
				if !ok || st.Node != dialogs.NodePlanConfirm || st.Flow.Plan == nil || st.Flow.Plan.ID != offer.ID {
					t.Errorf("dialog after the counter-offer: node %q flow %+v, want the offer waiting for a yes", st.Node, st.Flow)
				}
			}},
		// Without the bot's dialog state (expired) the debtor's yes can
		// only be recorded by the collector, who is told so.
		{name: "counter when the bot has no dialog to wait in", lang: "",
			setup: func(f *fixture) string { return fmt.Sprintf("/plans/%d/counter", f.pendingPlan(f.c.ID).ID) },
			form:  url.Values{"terms": {"3"}},
			kind:  "plan.countered", done: "plan-countered-held",
			want: []string{"deze regeling is wel mogelijk", "3. ", "JA"},
			check: func(t *testing.T, f *fixture, _ *casestore.OutboundMessage, _ casestore.DossierEntry) {
				if _, ok := bot.DialogState(context.Background(), f.hot, "whatsapp", debtorPhone); ok {
					t.Error("a dialog state was made up for a conversation that had none")
				}
			}},
		{name: "counter by monthly amount typed the Dutch way", lang: casestore.Dutch,
			setup: func(f *fixture) string { return fmt.Sprintf("/plans/%d/counter", f.pendingPlan(f.c.ID).ID) },
			form:  url.Values{"monthly": {"1.000,00"}},
			kind:  "plan.countered", done: "plan-countered",
			want: []string{"1. ", "2. ", "op 16 april 2026", "op 16 mei 2026"},
			not:  []string{"3. "},
		},
		{name: "counter by monthly amount typed with a decimal point", lang: casestore.Dutch,
			setup: func(f *fixture) string { return fmt.Sprintf("/plans/%d/counter", f.pendingPlan(f.c.ID).ID) },
			form:  url.Values{"monthly": {"1000.00"}},
			kind:  "plan.countered", done: "plan-countered",
			want: []string{"1. ", "2. ", "op 16 mei 2026"},
			not:  []string{"3. "},
		},
		{name: "reject with a reason", lang: casestore.Dutch,
			setup: func(f *fixture) string { return fmt.Sprintf("/plans/%d/reject", f.pendingPlan(f.c.ID).ID) },
			form:  url.Values{"reason": {"too-long"}, "note": {"Opdrachtgever wil max 6 maanden"}},
			kind:  "plan.rejected", done: "plan-rejected",
			want: []string{"Helaas kunnen wij deze regeling niet met u afspreken", "langer lopen dan de schuldeiser kan toestaan", "Het openstaande bedrag is "},
			not:  []string{"max 6 maanden"},
			check: func(t *testing.T, f *fixture, out *casestore.OutboundMessage, e casestore.DossierEntry) {
				if p := f.plans(); p[0].Status != casestore.PlanRejected {
					t.Errorf("plan is %s, want rejected", p[0].Status)
				}
				if open := f.openText(); !strings.Contains(out.Text, "Het openstaande bedrag is "+open) {
					t.Errorf("the rejection does not say what is open (%s):\n%s", open, out.Text)
				}
				if b := entryBody(t, e); b["reason"] != "too-long" {
					t.Errorf("plan.rejected body %s", e.Body)
				}
			}},
		{name: "uphold a dispute of one invoice", lang: casestore.Dutch,
			setup: func(f *fixture) string { return fmt.Sprintf("/disputes/%d/resolve", f.dispute("F-1001").ID) },
			form:  url.Values{"outcome": {"upheld"}, "explanation": {"De factuur is nooit verstuurd."}, "note": {"intern: fout bij de opdrachtgever"}},
			kind:  "dispute.resolved", done: "dispute-resolved",
			want: []string{"u heeft gelijk", "factuur F-1001", "Toelichting van onze medewerker: De factuur is nooit verstuurd."},
			not:  []string{"intern"},
			check: func(t *testing.T, f *fixture, _ *casestore.OutboundMessage, e casestore.DossierEntry) {
				ds, _ := f.st.Disputes(context.Background(), f.c.ID)
				if len(ds) != 1 || ds[0].Status != casestore.DisputeUpheld || ds[0].ResolvedAt == nil {
					t.Errorf("dispute after upholding: %+v", ds)
				}
				for _, inv := range f.caseNow().Invoices {
					if inv.Number == "F-1001" && inv.Status != casestore.InvoiceWaived {
						t.Errorf("the upheld invoice is %s, want waived", inv.Status)
					}
				}
			}},
		{name: "reject a dispute of the whole case", lang: casestore.Dutch,
			setup: func(f *fixture) string { return fmt.Sprintf("/disputes/%d/resolve", f.dispute("").ID) },
			form:  url.Values{"outcome": {"rejected"}},
			kind:  "dispute.resolved", done: "dispute-resolved",
			want: []string{"Na controle blijft het bedrag verschuldigd", "het hele dossier", "Nog te betalen in dossier IB-2026-000777: "},
			not:  []string{"Toelichting"},
			check: func(t *testing.T, f *fixture, out *casestore.OutboundMessage, _ casestore.DossierEntry) {
				if s := f.caseNow().Status; s != casestore.StatusOpen {
					t.Errorf("case status %s after the dispute was rejected, want open (collection goes on)", s)
				}
				if open := f.openText(); !strings.Contains(out.Text, open) {
					t.Errorf("the answer does not say what is open (%s):\n%s", open, out.Text)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.lang != "" {
				f.verifiedDialog(tc.lang)
			}
			path := tc.setup(f)
			anna, chat := f.claimed("anna")
			if _, page := anna.get(chat); !strings.Contains(page, `action="`+chat+path+`"`) {
				t.Fatalf("the chat page offers no form for %s", path)
			}
			code, loc, body := anna.post(chat+path, tc.form)
			if code != http.StatusSeeOther || loc != chat+"?done="+tc.done {
				t.Fatalf("POST %s: %d to %q\n%s", path, code, loc, body)
			}
			out := f.outbox()
			if len(out) != 1 || out[0].Channel != "whatsapp" || out[0].To != debtorPhone || out[0].CaseID != f.c.ID || out[0].Status != casestore.OutboundPending {
				t.Fatalf("outbox = %+v, want one pending message to the debtor's WhatsApp", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out[0].Text, w) {
					t.Errorf("the debtor's message lacks %q:\n%s", w, out[0].Text)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out[0].Text, n) {
					t.Errorf("the debtor's message contains %q:\n%s", n, out[0].Text)
				}
			}
			byAnna := casestore.Actor(fmt.Sprintf("collector:%d", f.users["anna"].ID))
			es := f.dossier(tc.kind)
			if len(es) != 1 || es[0].Actor != byAnna {
				t.Fatalf("dossier %s = %+v, want one by %s", tc.kind, es, byAnna)
			}
			sent := f.dossier(casestore.EntryMessageOut)
			if len(sent) != 1 || sent[0].Actor != byAnna || !strings.Contains(string(sent[0].Body), fmt.Sprintf(`"outbound_id":%d`, out[0].ID)) {
				t.Errorf("dossier message.out = %+v, want Anna's message with its outbox id", sent)
			}
			if n := f.wokenCount(); n != 2 { // the take-over notice, then the decision
				t.Errorf("the outbox was woken %d times, want twice", n)
			}
			if tc.check != nil {
				tc.check(t, f, out[0], es[0])
			}
			// The collector's note is filed as a note of its own, tied to
			// the decision, and never inside the decision (which creditors
			// read).
			if note := tc.form.Get("note"); note != "" {
				if strings.Contains(string(es[0].Body), note) {
					t.Errorf("the private note is inside the %s entry: %s", tc.kind, es[0].Body)
				}
				notes := f.dossier(casestore.EntryNote)
				if len(notes) != 1 || entryBody(t, notes[0])["text"] != note || entryBody(t, notes[0])["decision_entry"] != float64(es[0].ID) {
					t.Errorf("want one note %q tied to entry %d, got %d notes", note, es[0].ID, len(notes))
				}
			}
			if _, page := anna.get(loc); !strings.Contains(page, `class="notice"`) {
				t.Errorf("after the decision the chat shows no notice")
			}
		})
	}
}

// A double click, or a second collector, finds the plan decided: told by
// whom, and nothing changes or is sent again.
func TestASecondDecisionIsRefusedNamingWhoDecided(t *testing.T) {
	f := newFixture(t)
	p := f.pendingPlan(f.c.ID)
	anna, chat := f.claimed("anna")
	approve := fmt.Sprintf("%s/plans/%d/approve", chat, p.ID)
	if code, _, body := anna.post(approve, nil); code != http.StatusSeeOther {
		t.Fatalf("first approval: %d\n%s", code, body)
	}
	code, _, body := anna.post(approve, nil)
	if code != http.StatusConflict || !strings.Contains(body, "al beslist door Anna de Vries") || !strings.Contains(body, "goedgekeurd") {
		t.Fatalf("double click: %d\n%s\nwant 409 saying Anna approved it", code, body)
	}

	// Anna leaves; Bram takes the chat and tries to reject the same plan.
	if _, err := f.st.ReleaseHandoff(context.Background(), f.h.ID, f.users["anna"].ID, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	bram, _ := f.claimed("bram")
	code, _, body = bram.post(fmt.Sprintf("%s/plans/%d/reject", chat, p.ID), url.Values{"reason": {"creditor"}})
	if code != http.StatusConflict || !strings.Contains(body, "al beslist door Anna de Vries") {
		t.Fatalf("Bram's rejection of the approved plan: %d\n%s", code, body)
	}
	if out := f.outbox(); len(out) != 1 {
		t.Errorf("%d messages to the debtor, want the one approval", len(out))
	}
	if ps := f.plans(); len(ps) != 1 || ps[0].Status != casestore.PlanActive {
		t.Errorf("plans %+v, want the one approved", ps)
	}
	if n := len(f.dossier("plan.approved", "plan.rejected")); n != 1 {
		t.Errorf("%d decisions in the dossier, want 1", n)
	}

	// A dispute likewise.
	d := f.dispute("F-1002")
	resolve := fmt.Sprintf("%s/disputes/%d/resolve", chat, d.ID)
	bram.get(chat)
	if code, _, body := bram.post(resolve, url.Values{"outcome": {"rejected"}}); code != http.StatusSeeOther {
		t.Fatalf("resolve: %d\n%s", code, body)
	}
	code, _, body = bram.post(resolve, url.Values{"outcome": {"upheld"}})
	if code != http.StatusConflict || !strings.Contains(body, "al afgehandeld door Bram Jansen") {
		t.Fatalf("second resolution: %d\n%s", code, body)
	}
	if ds, _ := f.st.Disputes(context.Background(), f.c.ID); ds[0].Status != casestore.DisputeRejected {
		t.Errorf("the dispute is %s, want the first decision (rejected) kept", ds[0].Status)
	}
}

// Only the one holding the chat decides; a form without its CSRF token,
// wrong input, and a plan of another case change nothing and send
// nothing, with a clear answer.
func TestDecisionsRefused(t *testing.T) {
	tests := []struct {
		name     string
		who      string // "" = Anna, who holds the chat
		noCSRF   bool
		path     func(f *fixture, p *casestore.Plan) string
		form     url.Values
		wantCode int
		wantText string
	}{
		{name: "not the holder", who: "bram", path: approvePath, wantCode: http.StatusForbidden, wantText: "niet in behandeling"},
		{name: "a supervisor who does not hold it", who: "sven", path: approvePath, wantCode: http.StatusForbidden, wantText: "Claim hem eerst"},
		{name: "no CSRF token", noCSRF: true, path: approvePath, wantCode: http.StatusForbidden},
		{name: "monthly amount that is no amount", path: counterPath, form: url.Values{"monthly": {"12,3,4"}},
			wantCode: http.StatusBadRequest, wantText: "Bedrag per maand &#34;12,3,4&#34; is geen bedrag"},
		{name: "down payment that is no amount", path: counterPath, form: url.Values{"terms": {"3"}, "down": {"veel"}},
			wantCode: http.StatusBadRequest, wantText: "Aanbetaling &#34;veel&#34; is geen bedrag"},
		{name: "terms that are no number", path: counterPath, form: url.Values{"terms": {"zes"}},
			wantCode: http.StatusBadRequest, wantText: "vul een heel getal van 1 tot en met 120 in"},
		{name: "neither terms nor amount", path: counterPath, form: url.Values{"down": {"10"}},
			wantCode: http.StatusBadRequest, wantText: "Vul het aantal termijnen of het bedrag per maand in"},
		{name: "first date in the past", path: counterPath, form: url.Values{"terms": {"3"}, "start": {"2026-03-01"}},
			wantCode: http.StatusBadRequest, wantText: "01-03-2026 ligt in het verleden"},
		{name: "down payment above what is open", path: counterPath, form: url.Values{"terms": {"3"}, "down": {"99.999,00"}},
			wantCode: http.StatusBadRequest, wantText: "is meer dan het openstaande bedrag"},
		{name: "no reason to reject", path: rejectPath, form: url.Values{"reason": {"because"}},
			wantCode: http.StatusBadRequest, wantText: "Kies een reden"},
		{name: "a plan of another case", path: func(f *fixture, _ *casestore.Plan) string {
			var other *casestore.Case
			f.st.InTx(context.Background(), func(tx casestore.Tx) error {
				other = newOtherCase(f, tx)
				return nil
			})
			return fmt.Sprintf("/console/handoffs/%d/plans/%d/approve", f.h.ID, f.pendingPlan(other.ID).ID)
		}, wantCode: http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			p := f.pendingPlan(f.c.ID)
			anna, chat := f.claimed("anna")
			b := anna
			if tc.who != "" {
				b = f.login(tc.who)
				b.get(chat)
			}
			path := tc.path(f, p)
			var code int
			var body string
			if tc.noCSRF {
				code, _, body = b.postForm(path, tc.form)
			} else {
				code, _, body = b.post(path, tc.form)
			}
			if code != tc.wantCode || !strings.Contains(body, tc.wantText) {
				t.Fatalf("POST %s: %d\n%s\nwant %d with %q", path, code, body, tc.wantCode, tc.wantText)
			}
			if out := f.outbox(); len(out) != 0 {
				t.Errorf("the debtor was sent %+v", out)
			}
			if ps := f.plans(); ps[0].Status != casestore.PlanPending || len(ps) > 2 {
				t.Errorf("plans changed: %+v", ps)
			}
			if es := f.dossier("plan.approved", "plan.countered", "plan.rejected", casestore.EntryMessageOut); len(es) != 0 {
				t.Errorf("dossier entries filed: %+v", es)
			}
		})
	}
}

func approvePath(f *fixture, p *casestore.Plan) string {
	return fmt.Sprintf("/console/handoffs/%d/plans/%d/approve", f.h.ID, p.ID)
}
func counterPath(f *fixture, p *casestore.Plan) string {
	return fmt.Sprintf("/console/handoffs/%d/plans/%d/counter", f.h.ID, p.ID)
}
func rejectPath(f *fixture, p *casestore.Plan) string {
	return fmt.Sprintf("/console/handoffs/%d/plans/%d/reject", f.h.ID, p.ID)
}

func newOtherCase(f *fixture, tx casestore.Tx) *casestore.Case {
	f.t.Helper()
	ctx := context.Background()
	c := *f.c
	c.ID, c.Ref, c.Invoices = 0, "IB-2026-000999", nil
	for _, inv := range f.c.Invoices {
		inv.ID, inv.CaseID = 0, 0
		c.Invoices = append(c.Invoices, inv)
	}
	if _, err := tx.PutCase(ctx, &c); err != nil {
		f.t.Fatal(err)
	}
	return &c
}

// The chat page lays out each pending plan with its schedule and where it
// departs from the policy, and the forms only for whoever holds the chat;
// a counter-offer outside the policy is allowed and flagged; a supervisor
// holding the chat decides like a collector.
func TestChatPageShowsDecisions(t *testing.T) {
	f := newFixture(t)
	p := f.pendingPlan(f.c.ID)
	d := f.dispute("F-1001")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)

	bram := f.login("bram")
	_, page := bram.get(chat)
	for _, want := range []string{fmt.Sprintf(`id="plan-%d"`, p.ID), "16-04-2026", "€ 411,53", "Past binnen het beleid",
		"Betwisting van factuur F-1001", "Nooit ontvangen &lt;b&gt;echt&lt;/b&gt;", "Claim de chat om te beslissen"} {
		if !strings.Contains(page, want) {
			t.Errorf("the chat page lacks %q", want)
		}
	}
	if strings.Contains(page, "/approve\"") || strings.Contains(page, fmt.Sprintf("/disputes/%d/resolve", d.ID)) {
		t.Errorf("someone who does not hold the chat is offered the decision forms")
	}

	sven, _ := f.claimed("sven")
	code, loc, body := sven.post(fmt.Sprintf("%s/plans/%d/counter", chat, p.ID), url.Values{"terms": {"24"}})
	if code != http.StatusSeeOther {
		t.Fatalf("supervisor's counter-offer of 24 terms: %d\n%s", code, body)
	}
	_, page = sven.get(loc)
	for _, want := range []string{"Tegenvoorstel van Sven Peeters", "Buiten het beleid: meer termijnen dan het beleid toestaat",
		"24. ", fmt.Sprintf(`/disputes/%d/resolve`, d.ID)} {
		if !strings.Contains(page, want) {
			t.Errorf("after the counter-offer the page lacks %q", want)
		}
	}
	if strings.Contains(page, fmt.Sprintf(`id="plan-%d"`, p.ID)) {
		t.Errorf("the debtor's replaced proposal is still shown as pending")
	}
	if out := f.outbox(); len(out) != 1 || !strings.Contains(out[0].Text, "24. ") {
		t.Errorf("the debtor was not sent the 24-term offer: %+v", out)
	}
}

// Approving the collector's own counter-offer after the debtor said yes
// takes it out of the dialog, so the bot does not ask again.
func TestApprovingTheOfferWithdrawsItFromTheDialog(t *testing.T) {
	f := newFixture(t)
	f.verifiedDialog(casestore.Dutch)
	p := f.pendingPlan(f.c.ID)
	anna, chat := f.claimed("anna")
	if code, _, body := anna.post(fmt.Sprintf("%s/plans/%d/counter", chat, p.ID), url.Values{"terms": {"4"}}); code != http.StatusSeeOther {
		t.Fatalf("counter: %d\n%s", code, body)
	}
	offer := f.plans()[1]
	anna.get(chat)
	if code, _, body := anna.post(fmt.Sprintf("%s/plans/%d/approve", chat, offer.ID), nil); code != http.StatusSeeOther {
		t.Fatalf("approve the offer: %d\n%s", code, body)
	}
	st, ok := bot.DialogState(context.Background(), f.hot, "whatsapp", debtorPhone)
	if !ok || st.Node != dialogs.NodeMenu || st.Flow.Plan != nil {
		t.Errorf("dialog after the approval: node %q, flow %+v; want the menu", st.Node, st.Flow)
	}
	if out := f.outbox(); len(out) != 2 || !strings.Contains(out[1].Text, "goedgekeurd") || !strings.Contains(out[1].Text, "4. ") {
		t.Errorf("messages: %+v, want the offer, then its approval with 4 payments", out)
	}
	if _, err := f.st.Handoff(context.Background(), f.h.ID); errors.Is(err, casestore.ErrNotFound) {
		t.Fatal("the chat vanished")
	}
}
