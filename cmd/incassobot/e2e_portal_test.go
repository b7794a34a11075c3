package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/incassobot/incassobot/bot/browsertest"
)

// Creditor A's bookkeeper, made with the real `incassobot users` commands,
// logs in to the creditor pages in Chromium, sees A's case and not B's,
// reads the debtor's `<script>` as text in the conversation, gets the
// not-found page for B's case, and prints the export; A's API token gets
// 404 on B's case and A's case with the debtor's words.
func TestE2EPortalCreditorReadsOnlyItsOwnCases(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Tab(t, 1280, 900, 120*time.Second) // a bookkeeper's desktop
	s := startE2E(t, e2eConfig{})
	const (
		refA, refB   = "IB-2026-000801", "IB-2026-000802"
		phoneB       = "+31687654321"
		typed        = "<script>alert(1)</script>"
		secretOfB    = "wij zijn verhuisd naar de Zuiderstraat 12"
		email, name  = "boekhouding@alpha.example", "Boekhouding Alpha"
		password     = "Welkom bij de schuldeiser"
		notFoundText = "Dit dossier of bestand is er niet"
	)
	s.newCase(refA, e2eDebtorPhone)
	s.newCase(refB, phoneB)
	a := s.debtor("whatsapp", e2eDebtorPhone)
	a.says(refA + " 1234AB")
	a.says(typed)
	b := s.debtor("sms", phoneB)
	b.says(refB + " 1234AB")
	b.says(secretOfB)
	entriesBefore := len(s.dossier(s.caseID(refA)))

	cli := func(stdin string, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"incassobot", "users"}, args...), func(k string) string { return s.vars[k] },
			strings.NewReader(stdin), &out, &errb)
		must(t, err, "incassobot users "+args[0]+": "+errb.String())
		return out.String()
	}
	cli(password+"\n", "add", "--email", email, "--name", name, "--role", "creditor", "--creditor", "CR-"+refA)
	token := strings.TrimSpace(cli("", "token", "--email", email, "--name", "e2e boekhouding"))

	alerts := countAlerts(t, ctx)

	err := chromedp.Do(ctx,
		logIn(s.url+"/portal/", email, password), // not logged in: the creditors' login page first
		chromedp.WaitVisible("#cases"),
	)
	must(t, err, "log in and see the case list")
	list := browsertest.Eval[string](t, ctx, `document.getElementById("cases").textContent`)
	if !strings.Contains(list, refA) || strings.Contains(list, refB) {
		t.Errorf("the case list reads %q; want %s and not %s", short(list), refA, refB)
	}
	listShot := browsertest.Screenshot(t, ctx)

	err = chromedp.Do(ctx,
		chromedp.Click(fmt.Sprintf("#case-%s a", refA)),
		chromedp.WaitVisible("#entries"),
		chromedp.Sleep(200*time.Millisecond), // time for a (wrongly) injected script to run
	)
	must(t, err, "open A's case")
	conversation := browsertest.Eval[string](t, ctx, `document.getElementById("entries").textContent`)
	if !strings.Contains(conversation, typed) {
		t.Errorf("the conversation reads %q; want the debtor's words literally", short(conversation))
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("main script").length`); n != 0 {
		t.Errorf("the debtor's text became %d script elements", n)
	}
	if open := browsertest.Eval[string](t, ctx, `document.getElementById("open").textContent`); !strings.HasPrefix(open, "€ ") {
		t.Errorf("the case's open balance reads %q", open)
	}
	caseShot := browsertest.Screenshot(t, ctx)

	// B's case by its address: the same page as a dossier that does not exist.
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/portal/cases/"+refB),
		chromedp.WaitVisible("#message"),
	)
	must(t, err, "open B's case by its address")
	body := browsertest.Eval[string](t, ctx, `document.body.textContent`)
	if !strings.Contains(body, notFoundText) || strings.Contains(body, secretOfB) || strings.Contains(body, refB) {
		t.Errorf("B's case shows %q; want the not-found page and nothing of B", short(body))
	}

	// The printable export renders, and prints.
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/portal/cases/"+refA),
		chromedp.WaitVisible("#export-html"),
		chromedp.Click("#export-html"),
		chromedp.WaitVisible("#doc-head"),
	)
	must(t, err, "open the printable export")
	for id, want := range map[string]string{"doc-ref": refA, "doc-creditor": "Energie CR-" + refA, "agency": "incassobot"} {
		if got := browsertest.Eval[string](t, ctx, fmt.Sprintf(`document.getElementById(%q).textContent`, id)); !strings.Contains(got, want) {
			t.Errorf("export #%s reads %q, want %q", id, got, want)
		}
	}
	exportShot := browsertest.Screenshot(t, ctx)
	if total := browsertest.Eval[string](t, ctx, `document.getElementById("total-principal").textContent`); total != e2ePrincipal {
		t.Errorf("the export's principal reads %q, want %s", total, e2ePrincipal)
	}
	if log := browsertest.Eval[string](t, ctx, `document.getElementById("doc-dossier").textContent`); !strings.Contains(log, typed) {
		t.Errorf("the export's dossier lacks the debtor's words: %q", short(log))
	}
	preferCSS := true // the export's @page: A4
	printed, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &preferCSS})
	must(t, err, "print the export")
	pdf := printed.Data
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 2000 {
		t.Errorf("printing the export gave %d bytes, not a PDF", len(pdf))
	}
	if n := alerts.Load(); n != 0 {
		t.Errorf("%d alert dialogs opened", n)
	}

	// The same answers to a browser without Chromium: B's page is a 404.
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := hc.PostForm(s.url+"/portal/login", url.Values{"email": {email}, "password": {password}})
	must(t, err, "log in over HTTP")
	resp.Body.Close()
	for ref, want := range map[string]int{refA: 200, refB: 404, "IB-2026-999999": 404} {
		resp, err := hc.Get(s.url + "/portal/cases/" + ref)
		must(t, err, "GET a case page")
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("case page %s for A's user: %d, want %d", ref, resp.StatusCode, want)
		}
	}

	// The API with A's token.
	api := func(path string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := e2eClient.Do(req)
		must(t, err, "GET "+path)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	for _, path := range []string{"/api/v1/cases/" + refB, "/api/v1/cases/" + refB + "/dossier", "/api/v1/cases/" + refB + "/export"} {
		code, body := api(path)
		if code != http.StatusNotFound || string(body) != "{\n  \"error\": \"case not found\"\n}\n" {
			t.Errorf("A's token on %s: %d %s, want 404 case not found", path, code, body)
		}
	}
	code, raw := api("/api/v1/cases/" + refA + "/dossier?kind=message.in")
	var dossier struct {
		Entries []struct {
			Text *string `json:"text"`
		} `json:"entries"`
	}
	if code != 200 || json.Unmarshal(raw, &dossier) != nil {
		t.Fatalf("A's token on A's dossier: %d %s", code, raw)
	}
	var texts []string
	for _, e := range dossier.Entries {
		if e.Text != nil {
			texts = append(texts, *e.Text)
		}
	}
	if len(texts) == 0 || texts[0] != typed || strings.Contains(string(raw), secretOfB) {
		t.Errorf("A's dossier through the API: %q; want the debtor's messages, the script tag last", texts)
	}
	code, raw = api("/api/v1/cases")
	if code != 200 || !bytes.Contains(raw, []byte(refA)) || bytes.Contains(raw, []byte(refB)) {
		t.Errorf("A's case list through the API: %d %s", code, raw)
	}
	// Disabling the user stops the token at once.
	cli("", "disable", "--email", email)
	if code, _ := api("/api/v1/cases/" + refA); code != http.StatusUnauthorized {
		t.Errorf("the token of a disabled user: %d, want 401", code)
	}
	if n := len(s.dossier(s.caseID(refA))); n != entriesBefore {
		t.Errorf("reading changed A's dossier: %d entries, were %d", n, entriesBefore)
	}

	if t.Failed() {
		return
	}
	browsertest.SaveForDocs(t, "portal-cases.png", listShot)
	browsertest.SaveForDocs(t, "portal-case.png", caseShot)
	browsertest.SaveForDocs(t, "portal-export.png", exportShot)
}

// caseID is the id of the case with dossier number ref.
func (s *e2eServer) caseID(ref string) int64 {
	s.t.Helper()
	c, err := s.store.CaseByRef(context.Background(), ref)
	must(s.t, err, "case "+ref)
	return c.ID
}
