package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/followup"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// followupRig is the test's own follow-up engine on the server's database
// (never started: it only moves due jobs, as River's leader would on its
// next tick, so the test need not wait for that tick after moving the
// clock).
func followupRig(t *testing.T, s *e2eServer, clock *storetest.Clock) *followup.Engine {
	t.Helper()
	eng, err := followup.New(s.store, s.store.RiverDriver(), postgres.RiverTx, followup.Config{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// waitTexts waits until the debtor's phone has received n texts (and no
// more), moving due jobs along, and returns them.
func waitTexts(t *testing.T, d *debtor, eng *followup.Engine, n int) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := eng.Due(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := d.received()
		if len(got) > n {
			t.Fatalf("the debtor received %d texts, want %d:\n%s", len(got), n, strings.Join(got, "\n"))
		}
		if len(got) == n {
			time.Sleep(300 * time.Millisecond)
			if got = d.received(); len(got) != n {
				t.Fatalf("the debtor received %d texts, want %d:\n%s", len(got), n, strings.Join(got, "\n"))
			}
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the debtor received %d texts, want %d:\n%s", len(got), n, strings.Join(got, "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A debtor agrees a plan of 3 terms by SMS on the real server (PostgreSQL,
// Redis, the real Twilio client against the fake) on an injected clock.
// The installment reminder reaches the phone 3 days before the first due
// date at 10:00, not a minute earlier; the unpaid installment gets a
// friendly message after the 3-day grace period; when the second is
// missed too the plan breaks: broken, the case open again, a task for the
// collectors, and the debtor told.
func TestE2EFollowUpInstallmentsAndBrokenPlan(t *testing.T) {
	t.Parallel()
	clock := storetest.NewClock(time.Date(2026, time.December, 2, 10, 0, 0, 0, casestore.Amsterdam))
	s := startE2E(t, e2eConfig{now: clock.Now, vars: map[string]string{"QUIET_HOURS": "21-8"}})
	s.store.Now = clock.Now
	eng := followupRig(t, s, clock)
	ctx := context.Background()
	c := s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("sms", e2eDebtorPhone)
	d.says(e2eRef + " 1234AB")
	d.says("ik wil een betalingsregeling in 3 termijnen")
	reply := d.says("ja")
	plans, err := s.store.Plans(ctx, c.ID)
	if err != nil || len(plans) != 1 || plans[0].Status != casestore.PlanActive {
		t.Fatalf("plans: %+v %v (the bot said %s)", plans, err, short(reply))
	}
	p := plans[0]
	if n := len(s.dossierKind(c.ID, followup.EntryScheduled)); n != 1 {
		t.Fatalf("%d followup.scheduled entries, want 1: the plan's jobs are scheduled with it", n)
	}
	// The collectors see what is planned.
	s.addConsoleUser("anna@incasso.example", "Anna de Vries", casestore.RoleCollector)
	cc := consoleLogin(t, s.url, "anna@incasso.example")
	code, page := cc.get("/console/followups")
	if code != http.StatusOK || strings.Count(page, "herinnering termijn") != 3 || strings.Count(page, "controle termijn betaald") != 3 ||
		!strings.Contains(page, c.Ref) || !strings.Contains(page, "Niets mislukt") {
		t.Fatalf("console follow-ups (%d): want 3 reminders and 3 checks of %s, nothing failed:\n%s", code, c.Ref, page)
	}
	chat := len(d.received())
	first := p.Installments[0].Due
	remind := time.Date(first.Year(), first.Month(), first.Day()-3, 10, 0, 0, 0, casestore.Amsterdam)
	if remind.Weekday() == time.Sunday {
		// The clock is fixed, so this is the fixture's promise, not luck.
		t.Fatalf("the reminder day %s is a Sunday: move the fixed clock so the rules let it go out that day", remind)
	}
	clock.Advance(remind.Add(-time.Minute).Sub(clock.Now()))
	waitTexts(t, d, eng, chat)
	clock.Advance(time.Minute)
	got := waitTexts(t, d, eng, chat+1)
	want := "Herinnering: op " + strconv.Itoa(first.Day()) + " "
	if last := got[chat]; !strings.HasPrefix(last, want) || !strings.Contains(last, c.Ref) {
		t.Fatalf("reminder %q, want it to start %q and name %s", last, want, c.Ref)
	}

	// Unpaid: after the grace period the debtor hears it was missed.
	check := time.Date(first.Year(), first.Month(), first.Day()+3, 12, 0, 0, 0, casestore.Amsterdam)
	clock.Advance(check.Sub(clock.Now()))
	got = waitTexts(t, d, eng, chat+2)
	if !strings.Contains(got[chat+1], "nog niet ontvangen") {
		t.Fatalf("missed installment: %q", got[chat+1])
	}

	// The second installment is missed too: the plan breaks.
	second := p.Installments[1].Due
	clock.Advance(time.Date(second.Year(), second.Month(), second.Day()+4, 12, 0, 0, 0, casestore.Amsterdam).Sub(clock.Now()))
	deadline := time.Now().Add(20 * time.Second)
	for {
		eng.Due(ctx)
		ps, _ := s.store.Plans(ctx, c.ID)
		if ps[0].Status == casestore.PlanBroken {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("plan still %s after two missed installments", ps[0].Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if cs := s.caseNow(c.ID); cs.Status != casestore.StatusOpen {
		t.Fatalf("case %s after the plan broke, want open", cs.Status)
	}
	tasks, err := s.store.OpenTasks(ctx, 10)
	if err != nil || len(tasks) != 1 || tasks[0].Kind != casestore.TaskPlanBroken || tasks[0].CaseID != c.ID {
		t.Fatalf("collector tasks: %+v %v", tasks, err)
	}
	// The reminder of the second installment, then the notice (held to
	// a working day if the check fell on a Sunday or holiday).
	for range 7 {
		if texts := d.received(); len(texts) > 0 && strings.Contains(texts[len(texts)-1], "is beëindigd") {
			return
		}
		clock.Advance(24 * time.Hour)
		time.Sleep(500 * time.Millisecond)
		eng.Due(ctx)
	}
	t.Fatalf("the debtor was not told the plan ended: %s", strings.Join(d.received()[chat:], "\n"))
}

// dossierKind is the case's entries of one kind, oldest first.
func (s *e2eServer) dossierKind(caseID int64, kind casestore.EntryKind) []casestore.DossierEntry {
	var out []casestore.DossierEntry
	for _, e := range s.dossier(caseID) {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// get reads a console page.
func (cc *consoleClient) get(path string) (int, string) {
	cc.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, cc.base+path, nil)
	req.AddCookie(cc.cookie)
	resp, err := e2eClient.Do(req)
	must(cc.t, err, "GET "+path)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
