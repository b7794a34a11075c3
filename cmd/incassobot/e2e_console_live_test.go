package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/browsertest"
	"github.com/incassobot/incassobot/bot/console"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
)

// Two instances behind one load balancer, sharing PostgreSQL and Redis.
// Anna has the chat open on instance A; everything else happens on B or
// on a third process, and her page follows without a reload: the
// debtor's script tag (as text) and photo, her claim running out, Bram
// taking the chat, the supervisor releasing it. The supervisor's queue on
// B follows what happens on A the same way.
func TestE2EConsoleLiveAcrossInstances(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Tab(t, 1280, 860, 120*time.Second)
	s := startE2E(t, e2eConfig{})
	other := s.startInstance() // instance B
	c := s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("whatsapp", e2eDebtorPhone)
	d.says(e2eRef + " 1234AB")
	d.says("ik wil iemand spreken")
	h, err := s.store.OpenHandoff(context.Background(), "whatsapp", e2eDebtorPhone)
	must(t, err, "asking for a person queues the chat")
	anna := s.addConsoleUser("anna@incasso.example", "Anna de Vries", casestore.RoleCollector)
	bram := s.addConsoleUser("bram@incasso.example", "Bram Jansen", casestore.RoleCollector)
	s.addConsoleUser("sven@incasso.example", "Sven Peeters", casestore.RoleSupervisor)

	alerts := countAlerts(t, ctx)

	// Anna, on A, claims the chat and keeps it open.
	row := fmt.Sprintf("#handoff-%d", h.ID)
	must(t, chromedp.Do(ctx,
		logIn(s.url+"/console/", anna.Email, e2eConsolePassword),
		chromedp.WaitVisible(row),
		chromedp.Click(row+" button.claim"),
		chromedp.WaitVisible("#reply-text"),
	), "Anna claims the chat on A")
	browsertest.Eval[bool](t, ctx, `window.stayedOnPage = true`) // gone if the page reloads
	if got := browsertest.Eval[string](t, ctx, `document.getElementById("holder").textContent`); !strings.HasPrefix(got, "in behandeling bij u tot ") {
		t.Errorf("Anna's chat page says the chat is %q; want held by her", got)
	}

	// The debtor writes a script tag and sends a photo and a letter; B's
	// webhook takes them.
	const typed = "<script>alert(1)</script>"
	if code := postTwilio(t, other, "/webhooks/twilio", e2eAuthToken, twilioForm("whatsapp", e2eDebtorPhone, newMessageSid(), typed)); code != http.StatusOK {
		t.Fatalf("instance B's webhook answered %d", code)
	}
	photo := s.twilio.AddMedia("ME-bon", "image/png", tinyPNG(t))
	letter := s.twilio.AddMedia("ME-brief", "application/pdf", []byte("%PDF-1.4\n% brief van de werkgever\n"))
	form := twilioForm("whatsapp", e2eDebtorPhone, newMessageSid(), "hierbij de bon en de brief")
	form.Set("NumMedia", "2")
	form.Set("MediaUrl0", photo)
	form.Set("MediaContentType0", "image/png")
	form.Set("MediaUrl1", letter)
	form.Set("MediaContentType1", "application/pdf")
	if code := postTwilio(t, other, "/webhooks/twilio", e2eAuthToken, form); code != http.StatusOK {
		t.Fatalf("instance B's webhook answered %d to the files", code)
	}
	waitPage(t, ctx, "the debtor's lines from B appear on A's page",
		`[...document.querySelectorAll("#conversation li.debtor p")].some(p => p.textContent === "hierbij de bon en de brief")`)
	lines := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll("#conversation li.debtor")].map(li => li.textContent)`)
	if !containsAll(lines, "Debiteur", typed) {
		t.Errorf("the live lines read %q; want the debtor's script tag as text, labelled Debiteur", lines)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#conversation script").length`); n != 0 {
		t.Errorf("the debtor's text became %d script elements", n)
	}
	waitPage(t, ctx, "the photo shows as a thumbnail and the letter as a link",
		`(() => { const img = document.querySelector("#media img.thumb");
		  return img && img.complete && img.naturalWidth === 2 &&
		    [...document.querySelectorAll("#media a")].some(a => a.textContent === "PDF-document") })()`)

	// Anna's claim runs out unanswered; a third process returns it.
	expireClaims(t, s, h.ID)
	waitPage(t, ctx, "A's page says the chat is back in the queue",
		`document.getElementById("holder").textContent === "wacht op een medewerker" &&
		 document.getElementById("live-notice").textContent.includes("staat weer in de wachtrij")`)
	if !browsertest.Eval[bool](t, ctx, `document.getElementById("send").disabled`) {
		t.Errorf("after the claim ran out, Anna's send button still works")
	}

	// Sven, a supervisor, opens the queue on B in his own browser.
	sven, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	lapsed := fmt.Sprintf("#lapsed-%d", h.ID)
	must(t, chromedp.Do(sven,
		chromedp.EmulateViewport(1280, 860),
		logIn(other+"/console/", "sven@incasso.example", e2eConsolePassword),
		chromedp.WaitVisible(lapsed),
	), "Sven opens the queue on B")
	browsertest.Eval[bool](t, sven, `window.stayedOnPage = true`)
	if got := browsertest.Eval[string](t, sven, fmt.Sprintf(`document.querySelector(%q).textContent`, lapsed)); !strings.Contains(got, "(1× blijven liggen)") ||
		!strings.Contains(got, "laatst niet beantwoord door Anna de Vries") {
		t.Errorf("the supervisor's row of the lapsed chat reads %q; want how often and whose claim ran out", got)
	}

	// Bram claims it on A; Anna's page and Sven's queue follow.
	bramOnA := consoleLogin(t, s.url, bram.Email)
	if code := bramOnA.post(fmt.Sprintf("/console/handoffs/%d/claim", h.ID)); code != http.StatusSeeOther {
		t.Fatalf("Bram's claim on A: %d", code)
	}
	waitPage(t, ctx, "A's page says Bram took the chat",
		`document.getElementById("holder").textContent.startsWith("in behandeling bij Bram Jansen") &&
		 document.getElementById("live-notice").textContent.includes("overgenomen")`)
	waitPage(t, sven, "Sven's queue on B shows Bram holds the chat",
		fmt.Sprintf(`document.querySelector("%s td.holder").textContent.startsWith("Bram Jansen")`, lapsed))

	// Another debtor asks for a person through A: Sven's queue on B grows,
	// and rows that did not change stay as they are (a button about to be
	// pressed does not move).
	browsertest.Eval[bool](t, sven, fmt.Sprintf(`!!(window.keptRow = document.querySelector(%q))`, lapsed))
	sms := s.debtor("sms", e2eDebtorPhone)
	sms.says(e2eRef + " 1234AB")
	sms.says("ik wil iemand spreken")
	h2, err := s.store.OpenHandoff(context.Background(), "sms", e2eDebtorPhone)
	must(t, err, "the second chat is queued")
	waitPage(t, sven, "the new chat appears in Sven's queue", fmt.Sprintf(`!!document.getElementById("handoff-%d")`, h2.ID))
	if !browsertest.Eval[bool](t, sven, `window.stayedOnPage === true`) {
		t.Errorf("Sven's queue reloaded instead of updating")
	}
	if !browsertest.Eval[bool](t, sven, fmt.Sprintf(`window.keptRow === document.querySelector(%q)`, lapsed)) {
		t.Errorf("the unchanged row of the lapsed chat was rebuilt")
	}
	queueShot := browsertest.Screenshot(t, sven)

	// Sven releases Bram's claim; the chat waits again, and A's page says so.
	must(t, chromedp.Do(sven,
		chromedp.Click(lapsed+" button.release"),
		chromedp.WaitVisible(".notice"),
	), "Sven releases the chat")
	if got := browsertest.Eval[string](t, sven, `document.querySelector(".notice").textContent`); !strings.Contains(got, "weer in de wachtrij") {
		t.Errorf("after the release the queue says %q", got)
	}
	back, err := s.store.Handoff(context.Background(), h.ID)
	if err != nil || back.Status != casestore.HandoffQueued || back.TimesExpired != 1 {
		t.Fatalf("after the release the chat is %+v, %v; want queued, once lapsed", back, err)
	}
	waitPage(t, ctx, "A's page says the chat waits again",
		`document.getElementById("holder").textContent === "wacht op een medewerker" &&
		 document.getElementById("live-notice").textContent.startsWith("Deze chat staat weer in de wachtrij.")`)
	if !browsertest.Eval[bool](t, ctx, `window.stayedOnPage === true`) {
		t.Errorf("Anna's chat page reloaded instead of updating")
	}
	if n := alerts.Load(); n != 0 {
		t.Errorf("%d alert dialogs opened", n)
	}
	if got := len(s.dossier(c.ID)); got == 0 {
		t.Errorf("the case's dossier is empty")
	}
	if t.Failed() {
		return
	}
	browsertest.SaveForDocs(t, "console-supervisor.png", queueShot)
}

// e2eConsolePassword is every console user's password in these tests.
const e2eConsolePassword = "Welkom bij het incassobureau"

// addConsoleUser adds a console user with e2eConsolePassword.
func (s *e2eServer) addConsoleUser(email, name string, role casestore.Role) *casestore.User {
	s.t.Helper()
	hash, err := auth.HashPassword(e2eConsolePassword)
	must(s.t, err, "hash password")
	u := &casestore.User{Email: email, Name: name, Role: role, PasswordHash: hash}
	must(s.t, s.store.AddUser(context.Background(), u), "add user "+email)
	return u
}

// startInstance starts another serve on s's database, Redis prefix and
// fake providers, as a second instance behind the same load balancer,
// and returns its URL. It stops when the test ends.
func (s *e2eServer) startInstance() string {
	s.t.Helper()
	return runServe(s.t, "the second instance", s.vars, &syncBuffer{})
}

// expireClaims runs the expiry of unanswered claims once, as any instance
// does every half minute, with a clock past the lease, and waits until it
// announced that handoff id is back in the queue.
func expireClaims(t *testing.T, s *e2eServer, id int64) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hot, err := hotstate.OpenRedis(ctx, s.redisURL, s.prefix)
	must(t, err, "open Redis")
	defer hot.Close()
	heard, err := hot.Subscribe(ctx, bot.ConsoleTopic)
	must(t, err, "subscribe")
	later := func() time.Time { return time.Now().Add(console.DefaultLease + time.Minute) }
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		bot.ExpireClaims(ctx, s.store, hot, later, time.Hour, slog.New(slog.DiscardHandler))
	}()
	defer func() { cancel(); <-stopped }()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case msg := <-heard:
			var a bot.Activity
			if json.Unmarshal(msg, &a) == nil && a.Kind == bot.ActivityExpired && a.HandoffID == id {
				return
			}
		case <-timeout:
			t.Fatalf("handoff %d was not announced as expired", id)
		}
	}
}

// waitPage waits until the page's js expression is true.
func waitPage(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func containsAll(lines []string, parts ...string) bool {
	for _, l := range lines {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// tinyPNG is a 2×1 picture: a real image, so the browser shows it.
func tinyPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	img.Set(1, 0, color.RGBA{B: 200, A: 255})
	var b bytes.Buffer
	must(t, png.Encode(&b, img), "encode png")
	return b.Bytes()
}

// consoleClient is a collector's session without a browser: the session
// cookie (kept by hand: it is Secure, and the test talks plain HTTP) and
// the CSRF token of the last page.
type consoleClient struct {
	t      *testing.T
	base   string
	cookie *http.Cookie
	csrf   string
}

var e2eCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func consoleLogin(t *testing.T, base, email string) *consoleClient {
	t.Helper()
	noRedirect := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(base+"/console/login", url.Values{"email": {email}, "password": {e2eConsolePassword}})
	must(t, err, "log in")
	resp.Body.Close()
	cc := &consoleClient{t: t, base: base}
	for _, ck := range resp.Cookies() {
		if ck.Name == auth.CookieName {
			cc.cookie = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther || cc.cookie == nil {
		t.Fatalf("login of %s: %d without a session cookie", email, resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/console/", nil)
	req.AddCookie(cc.cookie)
	resp, err = noRedirect.Do(req)
	must(t, err, "read the queue")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := e2eCSRF.FindSubmatch(body)
	if m == nil {
		t.Fatalf("the queue of %s has no CSRF token (%d)", email, resp.StatusCode)
	}
	cc.csrf = string(m[1])
	return cc
}

// post sends a console form and returns the status code.
func (cc *consoleClient) post(path string) int {
	cc.t.Helper()
	return cc.postForm(path, url.Values{})
}

// postForm sends a console form with fields (the CSRF token added).
func (cc *consoleClient) postForm(path string, fields url.Values) int {
	cc.t.Helper()
	fields.Set("csrf", cc.csrf)
	req, _ := http.NewRequest(http.MethodPost, cc.base+path, strings.NewReader(fields.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cc.cookie)
	resp, err := (&http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	must(cc.t, err, "POST "+path)
	resp.Body.Close()
	return resp.StatusCode
}
