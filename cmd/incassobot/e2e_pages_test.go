package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/incassobot/incassobot/bot/browsertest"
	"github.com/incassobot/incassobot/casestore"
)

// rawCodes are what no person should read on a page: JSON, and the codes
// the store keeps for entry kinds, regimes, statuses and reasons.
var rawCodes = []string{`{"`, `":`, "verification.", "handoff.", "plan.proposed", "plan.accepted", "message.in",
	"message.out", "balance.shown", "nl-b2c", "in-plan", "wrong-amount", "collector:"}

// assertReadable fails when the visible text of the page in ctx shows
// raw JSON or a stored code, or the page holds secret anywhere (its HTML
// source included), or it scrolls sideways.
func assertReadable(t *testing.T, ctx context.Context, what, secret string) {
	t.Helper()
	text := browsertest.Eval[string](t, ctx, `document.body.innerText`)
	for _, code := range rawCodes {
		if strings.Contains(text, code) {
			i := strings.Index(text, code)
			t.Errorf("%s shows %q: …%s…", what, code, text[max(0, i-60):min(len(text), i+60)])
		}
	}
	if secret != "" && strings.Contains(browsertest.Eval[string](t, ctx, `document.title + document.documentElement.outerHTML`), secret) {
		t.Errorf("%s holds the debtor's web chat session id", what)
	}
	if n := browsertest.Overflow(t, ctx); n > 0 {
		w := browsertest.Eval[int](t, ctx, `innerWidth`)
		t.Errorf("%s at %d px is %d px wider than the window", what, w, n)
	}
}

// A debtor on a phone identifies in the web chat, agrees a plan by
// pressing "Ja" and asks for a person; a collector takes the chat in the
// console; the agency's bookkeeper reads the case and its export. At 390
// and 1366 px nothing scrolls sideways, the agency's name shows before
// identification, the console titles the chat with the debtor's name and
// nowhere holds the session id, and no page shows raw JSON or a stored
// code. `make screenshots` keeps the pictures.
func TestE2EPagesReadWellOnAPhoneAndADesktop(t *testing.T) {
	t.Parallel()
	const (
		agency  = "Incassobureau Voorbeeld B.V."
		kvk     = "12345678"
		wki     = "WKI-2026-0042"
		address = "Postbus 1000, 3500 BA Utrecht"
		debtor  = "J. de Vries" // storetest.NewDebtor
	)
	phone := browsertest.Tab(t, 390, 844, 150*time.Second)
	desk := browsertest.Tab(t, 1366, 900, 150*time.Second)
	s := startE2E(t, e2eConfig{vars: map[string]string{"AGENCY_NAME": agency, "AGENCY_KVK": kvk, "AGENCY_WKI": wki, "AGENCY_ADDRESS": address}})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	anna := s.addConsoleUser("anna@incasso.example", "Anna de Vries", casestore.RoleCollector)

	// The debtor, on a phone.
	must(t, chromedp.Do(phone, chromedp.Navigate(s.url+"/chat"), chromedp.WaitVisible(`main[data-live="true"]`)), "open the web chat")
	if got := browsertest.Eval[string](t, phone, `document.getElementById("agency").innerText`); got != agency {
		t.Errorf("before identification the chat's header names %q, want %q", got, agency)
	}
	if h := browsertest.Eval[float64](t, phone, `document.querySelector("header").getBoundingClientRect().height`); h > 100 {
		t.Errorf("the chat's header is %.0f px tall on a 844 px phone", h)
	}
	assertReadable(t, phone, "the web chat", "")
	say := func(text string) {
		t.Helper()
		n := browsertest.Eval[int](t, phone, `document.querySelectorAll("#messages li.bot").length`)
		must(t, chromedp.Do(phone, chromedp.SendKeys("#text", text), chromedp.Click("#send")), "type "+text)
		waitCount(t, phone, `document.querySelectorAll("#messages li.bot").length`, n+1)
	}
	say(e2eRef + " 1234AB")
	if p := browsertest.Eval[string](t, phone, `document.getElementById("text").placeholder`); strings.Contains(p, "IB-2026") {
		t.Errorf("after identification the input still suggests %q", p)
	}
	say("kan ik 200 euro per maand betalen")
	n := browsertest.Eval[int](t, phone, `document.querySelectorAll("#messages li.bot").length`)
	if !browsertest.Eval[bool](t, phone, `(() => { const b = [...document.querySelectorAll(".options button")].find(b => b.innerText === "Ja");
		if (b) { b.click(); } return !!b; })()`) {
		t.Fatalf("no Ja button after proposing a plan; the chat reads:\n%s", browsertest.Eval[string](t, phone, `document.getElementById("messages").innerText`))
	}
	waitCount(t, phone, `document.querySelectorAll("#messages li.bot").length`, n+1)
	if got := browsertest.Eval[string](t, phone, `[...document.querySelectorAll("#messages li.debtor p")].pop().innerText`); got != "Ja" {
		t.Errorf("pressing the Ja button shows %q as the debtor's line", got)
	}
	say("ik wil een medewerker spreken")
	assertReadable(t, phone, "the web chat after a plan", "")
	chatShot := browsertest.Screenshot(t, phone)
	got, err := chromedp.Call(phone, network.GetCookies, network.GetCookiesParams{URLs: []string{s.url + "/chat"}})
	must(t, err, "read the chat's cookie")
	session := ""
	for _, ck := range got.Cookies {
		if ck.Name == "ib_chat" {
			session = ck.Value
		}
	}
	if session == "" {
		t.Fatal("the web chat set no session cookie")
	}
	// The handoff is filed under the chat's public conversation id, never
	// the cookie: find it by the case.
	chats := webChatsOf(t, s, c.ID)
	if len(chats) != 1 {
		t.Fatalf("asking for a person queued %d web chats of the case, want 1", len(chats))
	}
	h := chats[0]
	if h.Address == session {
		t.Error("the handoff is filed under the session cookie")
	}
	if st, err := s.store.Case(context.Background(), c.ID); err != nil || st.Status != casestore.StatusInPlan {
		t.Errorf("pressing Ja did not agree the plan: %v %v", st.Status, err)
	}

	// The collector, on a desktop, then on a phone.
	row := fmt.Sprintf("#handoff-%d", h.ID)
	must(t, chromedp.Do(desk, logIn(s.url+"/console/", anna.Email, e2eConsolePassword), chromedp.WaitVisible(row)), "log in to the console")
	if got := browsertest.Eval[string](t, desk, fmt.Sprintf(`document.querySelector(%q).innerText`, row)); !strings.Contains(got, debtor) {
		t.Errorf("the queue row reads %q; want the debtor's name", got)
	}
	assertReadable(t, desk, "the queue", session)
	must(t, chromedp.Do(desk, chromedp.Click(row+" button.claim"), chromedp.WaitVisible("#reply-text")), "claim the web chat")
	if title := browsertest.Eval[string](t, desk, `document.title + " | " + document.getElementById("chat-title").innerText`); !strings.Contains(title, "Chat met "+debtor+" ·") ||
		!strings.HasSuffix(title, "| Chat met "+debtor) {
		t.Errorf("the chat is titled %q; want the debtor's name", title)
	}
	assertReadable(t, desk, "the chat page", session)
	if dossier := browsertest.Eval[string](t, desk, `document.getElementById("dossier").innerText`); !strings.Contains(dossier, "Chat doorgezet naar een medewerker (de debiteur vroeg erom") ||
		!strings.Contains(dossier, "De debiteur ging akkoord met de betalingsregeling") {
		t.Errorf("the dossier does not say in words what happened:\n%s", dossier)
	}
	consoleShot := browsertest.Screenshot(t, desk)
	browsertest.Eval[bool](t, desk, `(() => { const d = document.querySelector("#dossier details"); if (d) { d.open = true; } return !!d; })()`)
	dossierShot, err := chromedp.Run(desk, chromedp.Screenshot("#dossier"))
	must(t, err, "a picture of the dossier")
	must(t, chromedp.Do(desk, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible("#chat-title")), "the chat on a phone")
	assertReadable(t, desk, "the chat page on a phone", session)
	consolePhoneShot := browsertest.Screenshot(t, desk)

	// The same account reads the agency's case pages, on a phone and a desktop.
	casePage := s.url + "/portal/cases/" + e2eRef
	var casesPhoneShot []byte
	for _, width := range []int64{390, 1366} {
		must(t, chromedp.Do(desk, chromedp.EmulateViewport(width, 844), chromedp.Navigate(s.url+"/portal/"), chromedp.WaitVisible("#cases")), "the case list")
		assertReadable(t, desk, "the case list", session)
		if width == 390 {
			casesPhoneShot = browsertest.Screenshot(t, desk)
		}
		must(t, chromedp.Do(desk, chromedp.Navigate(casePage+"?view=dossier"), chromedp.WaitVisible("#entries")), "the case's dossier")
		assertReadable(t, desk, "the case's dossier", session)
		must(t, chromedp.Do(desk, chromedp.Navigate(casePage+"/export.html"), chromedp.WaitVisible("#doc-dossier")), "the export")
		assertReadable(t, desk, "the export", session)
	}
	portalPhoneShot := func() []byte {
		must(t, chromedp.Do(desk, chromedp.EmulateViewport(390, 844), chromedp.Navigate(casePage), chromedp.WaitVisible("#entries")), "the case on a phone")
		return browsertest.Screenshot(t, desk)
	}()

	// The export: the agency's letterhead, the entries numbered 1…N as
	// the heading counts them, page numbers when printed.
	must(t, chromedp.Do(desk, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(casePage+"/export.html"), chromedp.WaitVisible("#doc-dossier")), "the export")
	head := browsertest.Eval[string](t, desk, `document.getElementById("letterhead").innerText`)
	for _, want := range []string{agency, address, "KvK " + kvk, "Wki-registratie " + wki} {
		if !strings.Contains(head, want) {
			t.Errorf("the export's letterhead %q lacks %q", head, want)
		}
	}
	count := browsertest.Eval[string](t, desk, `document.getElementById("entry-count").innerText`)
	numbers := browsertest.Eval[string](t, desk, `[...document.querySelectorAll("#doc-dossier td.seq")].map(td => td.innerText).join(",")`)
	var want []string
	for i := range len(s.dossier(c.ID)) {
		want = append(want, fmt.Sprint(i+1))
	}
	if numbers != strings.Join(want, ",") || count != fmt.Sprint(len(want)) {
		t.Errorf("the export counts %s entries and numbers them %s; want 1…%d", count, numbers, len(want))
	}
	if browsertest.Eval[int](t, desk, `document.querySelectorAll("#export-pdf-link").length`) != 1 {
		t.Error("the export does not link its PDF")
	}
	printed, err := chromedp.Call(desk, page.PrintToPDF, page.PrintToPDFParams{})
	must(t, err, "print the export")
	if text := pdfText(t, printed.Data); text != "" && !strings.Contains(text, "Pagina 1 van") {
		t.Errorf("the printed export has no page numbers:\n%s", short(text))
	}

	if t.Failed() {
		return
	}
	browsertest.SaveForDocs(t, "webchat-plan.png", chatShot)
	browsertest.SaveForDocs(t, "console-webchat.png", consoleShot)
	browsertest.SaveForDocs(t, "console-dossier.png", dossierShot)
	browsertest.SaveForDocs(t, "console-chat-phone.png", consolePhoneShot)
	browsertest.SaveForDocs(t, "portal-case-phone.png", portalPhoneShot)
	browsertest.SaveForDocs(t, "portal-cases-phone.png", casesPhoneShot)
}

// waitCount waits until the number js counts reaches want.
func waitCount(t *testing.T, ctx context.Context, js string, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if browsertest.Eval[int](t, ctx, js) >= want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s stayed below %d", js, want)
}

// pdfText is a PDF's text as pdftotext reads it; "" (the check skipped)
// without pdftotext, outside CI.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing; run scripts/ensure-chromium.sh")
		}
		t.Log("pdftotext is missing: the printed export's page numbers are not checked")
		return ""
	}
	file := filepath.Join(t.TempDir(), "printed.pdf")
	must(t, os.WriteFile(file, pdf, 0o600), "keep the printed PDF")
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	must(t, err, "pdftotext")
	return string(out)
}
