package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/browsertest"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/demo"
)

// A debtor in a real browser on the web chat of the real server: she
// identifies, asks for a plan with an amount and accepts it with the "Ja"
// button (a plan is filed, no counter-offer); disputes an invoice and
// uploads a PDF through the upload control, which is kept as the
// dispute's evidence; asks for a person. Kim claims the chat in the
// console and replies: the chat says who took over and shows Kim's reply
// under her first name. Kim hands back: the chat says the assistant
// answers again, and "dank u wel" is answered without asking her to
// identify again.
func TestE2EWebChatPlanEvidenceAndTakeOverInABrowser(t *testing.T) {
	t.Parallel()
	const agency = "Incasso Noord"
	ctx := browsertest.Tab(t, 1280, 860, 120*time.Second)
	s := startE2E(t, e2eConfig{vars: map[string]string{"AGENCY_NAME": agency}})
	bg := context.Background()
	if _, err := demo.Seed(bg, s.store, time.Now()); err != nil {
		t.Fatalf("seed the demo cases: %v", err)
	}
	cs, err := s.store.CaseByRef(bg, "IB-2026-000101")
	must(t, err, "the demo case")

	botLines := `[...document.querySelectorAll("#messages li.bot p")].map(p => p.textContent)`
	lines := func() []string { return browsertest.Eval[[]string](t, ctx, botLines) }
	// say types text and waits until the bot has answered it.
	say := func(text string) {
		t.Helper()
		n := len(lines())
		must(t, chromedp.Do(ctx, chromedp.SendKeys("#text", text), chromedp.Click("#send")), "send "+text)
		waitPage(t, ctx, "an answer to "+text, fmt.Sprintf(`document.querySelectorAll("#messages li.bot").length > %d`, n))
	}
	// press clicks the latest question's button labelled label.
	press := func(label string) {
		t.Helper()
		n := len(lines())
		// Mark the button, then click it with the mouse as the debtor would.
		if !browsertest.Eval[bool](t, ctx, fmt.Sprintf(`(() => { const b = [...document.querySelectorAll(".options button")].find(b => b.textContent === %q);
			if (b) b.dataset.press = "1"; return !!b })()`, label)) {
			t.Fatalf("no button %q; chat: %q", label, lines())
		}
		must(t, chromedp.Do(ctx, chromedp.Click(`.options button[data-press="1"]`)), "press "+label)
		waitPage(t, ctx, "an answer to "+label, fmt.Sprintf(`document.querySelectorAll("#messages li.bot").length > %d`, n))
	}
	buttons := func() []string {
		return browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll(".options button")].map(b => b.textContent)`)
	}

	must(t, chromedp.Do(ctx, chromedp.Navigate(s.url+"/chat"), chromedp.WaitVisible(`main[data-live="true"]`)), "open the chat")
	say("IB-2026-000101 3512JK")
	if got := strings.Join(lines(), "\n"); !strings.Contains(got, "geïdentificeerd") {
		t.Fatalf("after the dossier number and postcode the chat reads %q", got)
	}

	// A plan with an amount, accepted with the button.
	say("kan ik 50 euro per maand betalen")
	if !containsAll(buttons(), "Ja") {
		t.Fatalf("the plan proposal offers buttons %q, want Ja; chat: %q", buttons(), lines())
	}
	press("Ja")
	plans, err := s.store.Plans(bg, cs.ID)
	if err != nil || len(plans) != 1 {
		t.Fatalf("after Ja the case has plans %+v, %v; want one", plans, err)
	}
	if p := plans[0]; p.Status != casestore.PlanActive || !p.Installments[0].Amount.Equal(decimal.RequireFromString("50")) {
		t.Errorf("the plan filed is %s with a first installment of %s; want active at 50 a month", p.Status, p.Installments[0].Amount)
	}
	if q := webChatsOf(t, s, cs.ID); len(q) != 0 {
		t.Errorf("accepting a plan within policy asked a collector to decide: %+v", q)
	}

	// A dispute with a PDF through the upload control.
	say("ik wil een factuur betwisten")
	press(buttons()[0]) // the first invoice
	if b := buttons(); len(b) > 0 {
		press(b[0]) // the first reason
	}
	say("Ik heb deze energie nooit afgenomen, zie de brief.")
	pdf := filepath.Join(t.TempDir(), "brief.pdf")
	must(t, os.WriteFile(pdf, []byte("%PDF-1.4\n% brief van de leverancier\n"), 0o600), "write the PDF")
	n := len(lines())
	must(t, chromedp.Do(ctx, chromedp.SetUploadFiles("#file", []string{pdf})), "upload the PDF")
	waitPage(t, ctx, "an answer to the PDF", fmt.Sprintf(`document.querySelectorAll("#messages li.bot").length > %d`, n))
	say("klaar")
	kept, err := s.store.MediaOf(bg, cs.ID)
	if err != nil || len(kept) != 1 || kept[0].ContentType != "application/pdf" {
		t.Fatalf("want the PDF kept with the case, got %+v, %v; chat: %q", kept, err, lines())
	}
	disputes, err := s.store.Disputes(bg, cs.ID)
	if err != nil || len(disputes) != 1 {
		t.Fatalf("want one dispute, got %+v, %v; chat: %q", disputes, err, lines())
	}
	if ev := disputes[0].Evidence; len(ev) != 1 || ev[0] != bot.EvidenceRef(kept[0].SHA256) {
		t.Errorf("the dispute's evidence is %v; want the PDF %s", ev, kept[0].SHA256)
	}

	// A person takes over, replies and hands back.
	say("ik wil iemand spreken")
	queued := webChatsOf(t, s, cs.ID)
	if len(queued) != 1 {
		t.Fatalf("asking for a person queued %d web chats; chat: %q", len(queued), lines())
	}
	h := queued[0]
	s.addConsoleUser("kim@incasso.example", "Kim Jansen", casestore.RoleCollector)
	kim := consoleLogin(t, s.url, "kim@incasso.example")
	if code := kim.post(fmt.Sprintf("/console/handoffs/%d/claim", h.ID)); code != http.StatusSeeOther {
		t.Fatalf("Kim's claim: %d", code)
	}
	waitPage(t, ctx, "the chat says who took over",
		`[...document.querySelectorAll("#messages li.bot p")].some(p => p.textContent === "U spreekt nu met Kim van Incasso Noord.")`)
	if code := kim.postForm(fmt.Sprintf("/console/handoffs/%d/reply", h.ID), url.Values{"text": {"Ik kijk de brief voor u na."}}); code != http.StatusSeeOther {
		t.Fatalf("Kim's reply: %d", code)
	}
	waitPage(t, ctx, "the chat shows Kim's reply under her first name",
		`[...document.querySelectorAll("#messages li.bot p")].some(p => p.textContent === "Kim: Ik kijk de brief voor u na.")`)
	if code := kim.post(fmt.Sprintf("/console/handoffs/%d/resolve", h.ID)); code != http.StatusSeeOther {
		t.Fatalf("Kim hands back: %d", code)
	}
	waitPage(t, ctx, "the chat says the assistant answers again",
		`[...document.querySelectorAll("#messages li.bot p")].some(p => p.textContent.startsWith("U chat weer met onze digitale assistent."))`)
	say("dank u wel")
	if last := lines()[len(lines())-1]; !strings.HasPrefix(last, "Graag gedaan.") || strings.Contains(last, "dossiernummer") {
		t.Errorf("after hand-back \"dank u wel\" is answered %q; want \"Graag gedaan\", not a request to identify", last)
	}
	var out []string
	for _, e := range s.dossier(cs.ID) {
		if e.Kind == casestore.EntryMessageOut {
			out = append(out, entryText(t, e))
		}
	}
	if !containsAll(out, "U spreekt nu met Kim van Incasso Noord.") || !containsAll(out, "U chat weer met onze digitale assistent.") {
		t.Errorf("the dossier's messages out lack the take-over or hand-back notice: %q", out)
	}
}

// webChatsOf is the web chats of case caseID waiting for or held by a person.
func webChatsOf(t *testing.T, s *e2eServer, caseID int64) []*casestore.Handoff {
	t.Helper()
	queue, err := s.store.Queue(context.Background(), casestore.QueueFilter{})
	must(t, err, "read the queue")
	var out []*casestore.Handoff
	for _, q := range queue {
		if q.CaseID == caseID && q.Channel == "web" {
			out = append(out, q)
		}
	}
	return out
}
