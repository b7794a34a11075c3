package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"

	"github.com/incassobot/incassobot/bot/browsertest"
	"github.com/incassobot/incassobot/casestore"
)

// Two WhatsApp debtors each ask for a plan of 25 monthly terms, more
// than the creditor's policy allows (12) and too far from it for the bot
// to counter: each plan waits pending and the chat goes to the queue. A
// collector logs in in Chromium, claims the first chat and approves the
// plan: the debtor's WhatsApp receives the dated schedule in Dutch. The
// collector claims the second chat, offers 10 terms instead and hands the
// chat back; the debtor answers "ja" to the bot, which records the
// collector's plan.
func TestE2EConsoleCollectorDecidesAPlan(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Tab(t, 1280, 1000, 120*time.Second)
	s := startE2E(t, e2eConfig{})
	bg := context.Background()
	anna := s.addConsoleUser("anna@incasso.example", "Anna de Vries", casestore.RoleCollector)
	var err error

	type asker struct {
		c    *casestore.Case
		d    *debtor
		h    *casestore.Handoff
		plan *casestore.Plan
	}
	ask := func(ref, phone string) asker {
		t.Helper()
		a := asker{c: s.newCase(ref, phone), d: s.debtor("whatsapp", phone)}
		a.d.says(ref + " 1234AB")
		if got := a.d.says("ik wil een betalingsregeling in 25 termijnen"); !strings.Contains(got, "medewerker bekijkt uw voorstel") {
			t.Fatalf("a plan outside the policy: the bot answered %s; want that a collector decides", short(got))
		}
		a.h, err = s.store.OpenHandoff(bg, "whatsapp", phone)
		if err != nil || a.h.Reason != "plan outside policy" || a.h.CaseID != a.c.ID {
			t.Fatalf("the plan did not queue the chat: %+v, %v", a.h, err)
		}
		plans, err := s.store.Plans(bg, a.c.ID)
		if err != nil || len(plans) != 1 || plans[0].Status != casestore.PlanPending || len(plans[0].Installments) != 25 {
			t.Fatalf("plans of %s: %+v, %v; want the debtor's 25 terms pending", ref, plans, err)
		}
		a.plan = plans[0]
		return a
	}
	first := ask(e2eRef, e2eDebtorPhone)
	second := ask("IB-2026-000778", "+31612345679")

	// Approve the first debtor's plan in the page.
	planBox := fmt.Sprintf("#plan-%d", first.plan.ID)
	err = chromedp.Do(ctx,
		logIn(s.url+"/console/", anna.Email, e2eConsolePassword),
		chromedp.WaitVisible(fmt.Sprintf("#handoff-%d", first.h.ID)),
		chromedp.Click(fmt.Sprintf("#handoff-%d button.claim", first.h.ID)),
		chromedp.WaitVisible(planBox),
	)
	must(t, err, "log in, claim the chat and see the plan")
	box := browsertest.Eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, planBox))
	for _, want := range []string{"Regeling voorgesteld door de debiteur", "meer termijnen dan het beleid toestaat", dutchDay(first.plan.Installments[24].Due)} {
		if !strings.Contains(box, want) {
			t.Errorf("the pending plan reads %s; want %q", short(box), want)
		}
	}
	before := len(first.d.received())
	err = chromedp.Do(ctx,
		chromedp.SendKeys(fmt.Sprintf("#approve-note-%d", first.plan.ID), "Akkoord, inkomen laag"),
		chromedp.Click(fmt.Sprintf("#approve-%d", first.plan.ID)),
		chromedp.WaitVisible(noticeShown),
	)
	must(t, err, "approve the plan")
	got := waitReceived(t, first.d, before, "goedgekeurd")
	for _, in := range []casestore.Installment{first.plan.Installments[0], first.plan.Installments[12], first.plan.Installments[24]} {
		line := fmt.Sprintf("%d. %s op %s", in.Seq, dutchEUR(in.Amount), dutchLongDay(in.Due))
		if !strings.Contains(got, line) {
			t.Errorf("the debtor's WhatsApp lacks the schedule line %q:\n%s", line, got)
		}
	}
	if !strings.Contains(got, "U betaalt in totaal "+dutchEUR(first.plan.Total)) || strings.Contains(got, "inkomen laag") {
		t.Errorf("the approval names no total, or leaks the private note:\n%s", got)
	}
	plans, _ := s.store.Plans(bg, first.c.ID)
	if len(plans) != 1 || plans[0].Status != casestore.PlanActive {
		t.Errorf("after the approval the plans are %+v, want the one active", plans)
	}
	approved := false
	for _, e := range s.dossier(first.c.ID) {
		approved = approved || e.Kind == "plan.approved" && e.Actor == casestore.Actor(fmt.Sprintf("collector:%d", anna.ID))
	}
	if !approved {
		t.Error("the dossier does not say Anna approved the plan")
	}

	// Counter the second debtor's plan, hand back, and the debtor agrees.
	before = len(second.d.received())
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/console/"),
		chromedp.WaitVisible(fmt.Sprintf("#handoff-%d", second.h.ID)),
		chromedp.Click(fmt.Sprintf("#handoff-%d button.claim", second.h.ID)),
		chromedp.WaitVisible(fmt.Sprintf("#counter-terms-%d", second.plan.ID)),
		chromedp.SendKeys(fmt.Sprintf("#counter-terms-%d", second.plan.ID), "10"),
		chromedp.Click(fmt.Sprintf("#counter-%d", second.plan.ID)),
		chromedp.WaitVisible(noticeShown),
	)
	must(t, err, "send a counter-offer")
	offerText := waitReceived(t, second.d, before, "Antwoord dan met JA")
	if !strings.Contains(offerText, "10. ") || strings.Contains(offerText, "11. ") {
		t.Errorf("the counter-offer is not 10 terms:\n%s", offerText)
	}
	err = chromedp.Do(ctx,
		chromedp.Click("#hand-back"),
		chromedp.WaitVisible("#filters"),
	)
	must(t, err, "hand back to the bot")
	if reply := second.d.says("ja"); !strings.Contains(reply, "de regeling is vastgelegd") {
		t.Fatalf("the debtor's yes after the hand-back: %s; want the plan recorded", short(reply))
	}
	plans, _ = s.store.Plans(bg, second.c.ID)
	if len(plans) != 2 || plans[0].Status != casestore.PlanRejected || plans[1].Status != casestore.PlanActive || len(plans[1].Installments) != 10 {
		t.Errorf("after the yes the plans are %+v; want the debtor's replaced and the collector's 10 terms active", plans)
	}
	if cs, err := s.store.Case(bg, second.c.ID); err != nil || cs.Status != casestore.StatusInPlan {
		t.Errorf("the case is not in a plan after the yes: %+v, %v", cs, err)
	}
}

// noticeShown is the chat page's notice after a decision (the page also
// holds a hidden one for live updates).
const noticeShown = `p.notice[role="status"]`

// waitReceived waits until a message after the first `after` ones that
// contains want reached the debtor's WhatsApp, and returns everything
// received after them, joined.
func waitReceived(t *testing.T, d *debtor, after int, want string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := d.received()
		if after < len(got) {
			joined := strings.Join(got[after:], "\n")
			if strings.Contains(joined, want) {
				return joined
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message with %q reached the debtor's WhatsApp; received %q", want, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var dutchMonths = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// dutchLongDay is a day as the debtor reads it: "24 december 2026".
func dutchLongDay(d time.Time) string {
	return fmt.Sprintf("%d %s %d", d.Day(), dutchMonths[d.Month()-1], d.Year())
}

// dutchDay is a day as the console shows it: "24-12-2026".
func dutchDay(d time.Time) string { return d.Format("02-01-2006") }

// dutchEUR is an amount in Dutch notation: "€ 1.234,57".
func dutchEUR(a decimal.Decimal) string {
	whole, cents, _ := strings.Cut(a.StringFixed(2), ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "." + whole[i:]
	}
	return "€ " + whole + "," + cents
}
