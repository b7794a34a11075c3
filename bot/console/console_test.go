package console_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/console"
	"github.com/incassobot/incassobot/casestore"
)

func TestQueueShowsTheChatAndClaimingIsExclusive(t *testing.T) {
	f := newFixture(t)
	anna, bram := f.login("anna"), f.login("bram")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)

	_, queue := anna.get("/console/")
	row := fmt.Sprintf(`id="handoff-%d"`, f.h.ID)
	if !strings.Contains(queue, row) || !strings.Contains(queue, f.c.Ref) || !strings.Contains(queue, "<td>de debiteur vroeg erom") {
		t.Fatalf("the queue does not list the chat with its dossier and reason:\n%s", queue)
	}

	code, loc, _ := anna.post(chat+"/claim", nil)
	if code != http.StatusSeeOther || loc != chat {
		t.Fatalf("Anna's claim: %d to %q, want 303 to %s", code, loc, chat)
	}
	f.clk.Advance(2 * time.Minute)
	bram.get("/console/")
	code, _, body := bram.post(chat+"/claim", nil)
	if code != http.StatusConflict || !strings.Contains(body, "Anna de Vries behandelt deze chat") {
		t.Fatalf("Bram's claim of Anna's chat: %d\n%s\nwant 409 naming Anna", code, body)
	}
	h, err := f.st.Handoff(context.Background(), f.h.ID)
	if err != nil || h.CollectorID != f.users["anna"].ID {
		t.Fatalf("after Bram's refused claim the chat is held by %d (%v), want Anna", h.CollectorID, err)
	}

	_, queued := bram.get("/console/")
	if strings.Contains(queued, row) {
		t.Errorf("the queue of waiting chats still lists the claimed chat")
	}
	_, all := bram.get("/console/?claimed=1")
	holder := "Anna de Vries (2 min)"
	if !strings.Contains(all, row) || !strings.Contains(all, holder) || strings.Contains(all, chat+"/claim") {
		t.Errorf("with claimed chats, Bram must see Anna holds it (%q) and no claim button:\n%s", holder, all)
	}
	_, chatPage := bram.get(chat)
	if !strings.Contains(chatPage, "in behandeling bij Anna de Vries") || strings.Contains(chatPage, `id="reply"`) {
		t.Errorf("Bram's view of Anna's chat must name Anna and offer no reply form:\n%s", chatPage)
	}
}

func TestReplyGoesToTheDebtorsChannelThroughTheOutbox(t *testing.T) {
	f := newFixture(t)
	anna := f.login("anna")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	anna.get(chat)
	f.clk.Advance(10 * time.Minute)

	const text = "Goedendag, ik kijk mee. Wij bellen u morgen om 10 uur."
	code, loc, body := anna.post(chat+"/reply", url.Values{"text": {text}})
	if code != http.StatusSeeOther || loc != chat+"?done=reply" {
		t.Fatalf("reply: %d to %q\n%s", code, loc, body)
	}
	out := f.outbox()
	// The debtor reads the reply under the collector's first name, never as the bot's.
	if len(out) != 1 || out[0].Text != "Anna: "+text || out[0].Channel != "whatsapp" || out[0].To != debtorPhone || out[0].CaseID != f.c.ID {
		t.Fatalf("outbox = %+v, want one message to the debtor's WhatsApp with the case", out)
	}
	if out[0].Status != casestore.OutboundPending {
		t.Errorf("the reply is %s, want pending for the outbox sender", out[0].Status)
	}
	f.mu.Lock()
	woken := f.woken
	f.mu.Unlock()
	if woken != 2 { // the take-over notice, then the reply
		t.Errorf("the outbox was woken %d times, want twice", woken)
	}
	sent := f.dossier(casestore.EntryMessageOut)
	if len(sent) != 1 || sent[0].Actor != casestore.Actor(fmt.Sprintf("collector:%d", f.users["anna"].ID)) ||
		sent[0].Channel != "whatsapp" || !strings.Contains(string(sent[0].Body), "Wij bellen u morgen") {
		t.Fatalf("dossier message.out = %+v, want Anna's reply", sent)
	}
	h, _ := f.st.Handoff(context.Background(), f.h.ID)
	if want := f.clk.Now().Add(console.DefaultLease); h.LeaseUntil == nil || !h.LeaseUntil.Equal(want) {
		t.Errorf("after the reply the lease runs until %v, want %v", h.LeaseUntil, want)
	}
	if _, page := anna.get(chat); !strings.Contains(page, "Wij bellen u morgen om 10 uur.") {
		t.Errorf("the conversation does not show the reply")
	}

	// A canned reply picked without typing (no script) is sent as is.
	anna.post(chat+"/reply", url.Values{"canned": {"3"}})
	if out := f.outbox(); len(out) != 2 || !strings.HasPrefix(out[1].Text, "Anna: Hello, you are now talking to") {
		t.Errorf("a canned English reply: outbox %+v", out)
	}
}

func TestReplyRefusedUnlessYouHoldTheChat(t *testing.T) {
	f := newFixture(t)
	anna, bram := f.login("anna"), f.login("bram")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	const notHeld = "U heeft deze chat niet (meer) in behandeling, dus uw antwoord is niet verstuurd."
	for _, tc := range []struct {
		name string
		b    *browser
		form url.Values
		want int
		says string
	}{
		{"queued, nobody holds it", anna, url.Values{"text": {"hallo"}}, http.StatusConflict, notHeld},
		{"another holds it", bram, url.Values{"text": {"hallo"}}, http.StatusConflict, notHeld},
		{"empty text", anna, url.Values{"text": {"   "}}, http.StatusBadRequest, "Het bericht is leeg"},
		{"too long", anna, url.Values{"text": {strings.Repeat("a", 4001)}}, http.StatusBadRequest, "langer dan 4000 tekens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "another holds it" {
				anna.post(chat+"/claim", nil)
			}
			code, _, body := tc.b.post(chat+"/reply", tc.form)
			if code != tc.want || !strings.Contains(body, tc.says) {
				t.Errorf("reply: %d, want %d saying %q\n%s", code, tc.want, tc.says, body)
			}
			if out := f.outbox(); len(out) != 0 {
				t.Errorf("a refused reply reached the outbox: %+v", out)
			}
		})
	}
	// Without the CSRF token nothing is sent either.
	code, _, _ := anna.postForm(chat+"/reply", url.Values{"text": {"hallo"}})
	if code != http.StatusForbidden || len(f.outbox()) != 0 {
		t.Errorf("a reply without the CSRF token: %d, outbox %d; want 403 and nothing", code, len(f.outbox()))
	}
}

func TestNoteIsFiledAndNeverSent(t *testing.T) {
	f := newFixture(t)
	anna := f.login("anna")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	const text = "Debiteur klinkt gestrest; niet over beslag beginnen."
	code, loc, _ := anna.post(chat+"/note", url.Values{"text": {text}})
	if code != http.StatusSeeOther || loc != chat+"?done=note" {
		t.Fatalf("note: %d to %q", code, loc)
	}
	notes := f.dossier(casestore.EntryNote)
	if len(notes) != 1 || !strings.Contains(string(notes[0].Body), "niet over beslag") ||
		notes[0].Actor != casestore.Actor(fmt.Sprintf("collector:%d", f.users["anna"].ID)) {
		t.Fatalf("dossier notes = %+v", notes)
	}
	if out := f.outbox(); len(out) != 0 {
		t.Fatalf("a private note reached the outbox: %+v", out)
	}
	if sent := f.dossier(casestore.EntryMessageOut); len(sent) != 0 {
		t.Fatalf("a private note was filed as a message to the debtor: %+v", sent)
	}
}

func TestResolveHandsTheChatBackToTheBot(t *testing.T) {
	f := newFixture(t)
	anna, bram := f.login("anna"), f.login("bram")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	bram.get(chat)
	if code, _, _ := bram.post(chat+"/resolve", nil); code != http.StatusConflict {
		t.Errorf("Bram handing back Anna's chat: %d, want 409", code)
	}
	code, loc, _ := anna.post(chat+"/resolve", nil)
	if code != http.StatusSeeOther || loc != "/console/?done=resolved" {
		t.Fatalf("resolve: %d to %q", code, loc)
	}
	_, err := f.st.OpenHandoff(context.Background(), "whatsapp", debtorPhone)
	if !errors.Is(err, casestore.ErrNotFound) {
		t.Fatalf("after the hand-back OpenHandoff = %v, want ErrNotFound (the bot owns the chat)", err)
	}
	if _, page := anna.get(loc); !strings.Contains(page, "teruggegeven aan de assistent") {
		t.Errorf("the queue does not say the chat was handed back")
	}
	if code, _, _ := anna.post(chat+"/reply", url.Values{"text": {"nog één ding"}}); code != http.StatusConflict || len(f.outbox()) != 0 {
		t.Errorf("a reply after the hand-back: %d, outbox %d; want 409 and nothing sent", code, len(f.outbox()))
	}
}

func TestSupervisorMayHandBackAnyChat(t *testing.T) {
	f := newFixture(t)
	anna, sven := f.login("anna"), f.login("sven")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	if _, page := sven.get(chat); !strings.Contains(page, `id="resolve"`) {
		t.Errorf("a supervisor is not offered the hand-back of Anna's chat")
	}
	if code, _, _ := sven.post(chat+"/resolve", nil); code != http.StatusSeeOther {
		t.Fatalf("supervisor's hand-back: %d", code)
	}
	if _, err := f.st.OpenHandoff(context.Background(), "whatsapp", debtorPhone); !errors.Is(err, casestore.ErrNotFound) {
		t.Fatalf("OpenHandoff = %v, want ErrNotFound", err)
	}
}

func TestChatShowsCaseBalanceConversationAndDossierEscaped(t *testing.T) {
	f := newFixture(t)
	anna := f.login("anna")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	resp, err := anna.Client.Get(f.srv.URL + chat)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	_, page := anna.get(chat)
	for _, want := range []string{
		f.c.Ref, "J. de Vries", f.c.Creditor.Name, // the case summary
		principal,                 // hoofdsom of storetest.CaseFor
		`<td id="open">€ `,        // the live balance's open amount
		scriptEscape,              // the debtor's words, as text
		"ik wil iemand spreken",   // the conversation
		"Bericht van de debiteur", // the dossier, in words
		"<title>Chat met J. de Vries", `<h1 id="chat-title">Chat met J. de Vries</h1>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the chat page lacks %q", want)
		}
	}
	for _, code := range []string{"message.in", "nl-b2c", "minnelijk</dd>", "{&#34;", `{"`} {
		if strings.Contains(page, code) {
			t.Errorf("the chat page shows %q, a stored code or raw JSON", code)
		}
	}
	if strings.Contains(page, scriptTyped) {
		t.Errorf("the debtor's script tag is in the page unescaped")
	}
	if n := strings.Count(page, "<script"); n != 1 || !strings.Contains(page, `<script src="/console/static/console.js" defer></script>`) {
		t.Errorf("the page has %d script elements; want only the console's own file", n)
	}
}

func TestDossierIsPaginatedNewestFirst(t *testing.T) {
	f := newFixture(t)
	anna := f.login("anna")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	for i := 1; i <= 30; i++ {
		anna.post(chat+"/note", url.Values{"text": {fmt.Sprintf("notitie nummer %02d", i)}})
	}
	_, first := anna.get(chat)
	if !strings.Contains(first, "notitie nummer 30") || strings.Contains(first, "notitie nummer 05") {
		t.Errorf("the first page must hold the newest entries only")
	}
	if strings.Index(first, "notitie nummer 30") > strings.Index(first, "notitie nummer 29") {
		t.Errorf("the dossier is not newest first")
	}
	next := regexpFind(first, `href="(/console/handoffs/\d+\?before=\d+)#dossier"`)
	if next == "" {
		t.Fatal("no link to older dossier entries")
	}
	_, older := anna.get(strings.ReplaceAll(next, "&amp;", "&"))
	if !strings.Contains(older, "notitie nummer 05") || !strings.Contains(older, scriptEscape) || strings.Contains(older, "notitie nummer 30") {
		t.Errorf("the second page must hold the older entries")
	}
}

func TestQueueFilters(t *testing.T) {
	f := newFixture(t)
	f.clk.Advance(30 * time.Minute)
	other := f.debtorAsksForPerson("sms", "+31600000001", 0, "hardship", 2, "ik kan niet meer betalen")
	anna := f.login("anna")
	mine := fmt.Sprintf(`id="handoff-%d"`, f.h.ID)
	theirs := fmt.Sprintf(`id="handoff-%d"`, other.ID)
	for _, tc := range []struct {
		query      string
		want, skip []string
		status     int
	}{
		{"", []string{mine, theirs}, nil, 200},
		{"?reason=hardship", []string{theirs}, []string{mine}, 200},
		{"?min_priority=2", []string{theirs}, []string{mine}, 200},
		{"?creditor=CR-IB-2026-000777", []string{mine}, []string{theirs}, 200},
		{"?min_wait=20", []string{mine}, []string{theirs}, 200}, // asked 30 min ago vs just now
		{"?min_priority=hoog", []string{"prioriteit"}, []string{mine}, 400},
		{"?creditor=ONBEKEND", []string{"geen opdrachtgever met code"}, []string{mine}, 400},
	} {
		code, page := anna.get("/console/" + tc.query)
		if code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.query, code, tc.status)
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: page lacks %q", tc.query, w)
			}
		}
		for _, s := range tc.skip {
			if strings.Contains(page, s) {
				t.Errorf("%s: page shows %q", tc.query, s)
			}
		}
	}
	// Highest priority first.
	_, page := anna.get("/console/")
	if strings.Index(page, theirs) > strings.Index(page, mine) {
		t.Errorf("the priority-2 chat is not listed first")
	}
}

func TestWhoMayOpenTheConsole(t *testing.T) {
	f := newFixture(t)
	creditor := f.login("energie")
	if code, _ := creditor.get("/console/"); code != http.StatusForbidden {
		t.Errorf("a creditor user on /console/: %d, want 403", code)
	}
	if code, _ := creditor.get(fmt.Sprintf("/console/handoffs/%d", f.h.ID)); code != http.StatusForbidden {
		t.Errorf("a creditor user on a chat: %d, want 403", code)
	}

	stranger := f.stranger()
	resp, err := stranger.Client.Get(f.srv.URL + "/console/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/login?next=") {
		t.Errorf("without a login: %d to %q, want 303 to the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code, _, _ := stranger.postForm(fmt.Sprintf("/console/handoffs/%d/claim", f.h.ID), url.Values{}); code != http.StatusUnauthorized {
		t.Errorf("a claim without a login: %d, want 401", code)
	}

	resp, err = stranger.Client.PostForm(f.srv.URL+"/console/login", url.Values{"email": {"anna@incasso.example"}, "password": {"verkeerd wachtwoord!"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "E-mailadres of wachtwoord klopt niet.") || len(resp.Cookies()) != 0 {
		t.Errorf("a wrong password: %d, %d cookies\n%s; want 401, the message and no cookie", resp.StatusCode, len(resp.Cookies()), body)
	}
}

func TestLoginRedirectStaysInTheConsole(t *testing.T) {
	f := newFixture(t)
	for next, want := range map[string]string{
		"/console/handoffs/1":      "/console/handoffs/1",
		"/console/?reason=asked":   "/console/?reason=asked",
		"https://evil.example/":    "/console/",
		"//evil.example/console/":  "/console/",
		"/\\evil.example/console/": "/console/",
		"/chat":                    "/console/",
		"":                         "/console/",
	} {
		b := f.stranger()
		code, loc, _ := b.postForm("/console/login", url.Values{"email": {"anna@incasso.example"}, "password": {password}, "next": {next}})
		if code != http.StatusSeeOther || loc != want {
			t.Errorf("next=%q: %d to %q, want 303 to %q", next, code, loc, want)
		}
	}
}

func TestLoginFromAnotherSiteIsRefused(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/console/login",
		strings.NewReader(url.Values{"email": {"anna@incasso.example"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
		t.Errorf("a login posted from another site: %d with %d cookies, want 403 and none", resp.StatusCode, len(resp.Cookies()))
	}
}

// A debtor who was never identified has no dossier: the chat still opens
// with the conversation, and a note (which needs a dossier) is refused.
func TestChatWithoutACase(t *testing.T) {
	f := newFixture(t)
	stranger := f.debtorAsksForPerson("sms", "+31600000001", 0, "asked", 1, "wie zijn jullie?")
	anna := f.login("anna")
	chat := fmt.Sprintf("/console/handoffs/%d", stranger.ID)
	anna.post(chat+"/claim", nil)
	code, page := anna.get(chat)
	if code != http.StatusOK || !strings.Contains(page, "wie zijn jullie?") || !strings.Contains(page, "Geen dossier") {
		t.Fatalf("a chat without a case: %d\n%s", code, page)
	}
	if code, _, body := anna.post(chat+"/note", url.Values{"text": {"onbekende afzender"}}); code != http.StatusConflict || !strings.Contains(body, "bij geen dossier") {
		t.Errorf("a note without a case: %d\n%s", code, body)
	}
	if code, _, _ := anna.post(chat+"/reply", url.Values{"text": {"Met wie spreek ik?"}}); code != http.StatusSeeOther {
		t.Fatalf("a reply without a case: %d", code)
	}
	out, err := f.st.OutboundFor(context.Background(), "sms", "+31600000001", 10)
	// Newest first: the reply, after the notice that Anna took over.
	if err != nil || len(out) != 2 || out[0].Text != "Anna: Met wie spreek ik?" || out[0].CaseID != 0 || out[1].Text != "U spreekt nu met Anna." {
		t.Errorf("the reply to a stranger: %+v, %v", out, err)
	}
	if code, _ := anna.get("/console/handoffs/99999"); code != http.StatusNotFound {
		t.Errorf("an unknown chat: %d, want 404", code)
	}
}

// Two collectors claiming the same chat at the same moment: one gets it,
// the other is told who has it.
func TestClaimRaceHasOneWinner(t *testing.T) {
	f := newFixture(t)
	anna, bram := f.login("anna"), f.login("bram")
	claim := fmt.Sprintf("/console/handoffs/%d/claim", f.h.ID)
	codes := make(chan int, 2)
	for _, b := range []*browser{anna, bram} {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+claim, strings.NewReader(url.Values{"csrf": {b.CSRF}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := b.Client.Do(req)
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	got := map[int]int{}
	for range 2 {
		got[<-codes]++
	}
	if got[http.StatusSeeOther] != 1 || got[http.StatusConflict] != 1 {
		t.Fatalf("two simultaneous claims answered %v, want one 303 and one 409", got)
	}
	h, err := f.st.Handoff(context.Background(), f.h.ID)
	if err != nil || h.Status != casestore.HandoffClaimed {
		t.Fatalf("after the race the chat is %+v, %v", h, err)
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	f := newFixture(t)
	anna := f.login("anna")
	base, _ := url.Parse(f.srv.URL)
	cookies := anna.Client.Jar.Cookies(base)
	if len(cookies) != 1 {
		t.Fatalf("after the login the browser holds %d cookies, want the session", len(cookies))
	}
	code, loc, _ := anna.post("/console/logout", nil)
	if code != http.StatusSeeOther || loc != "/console/login" {
		t.Fatalf("logout: %d to %q", code, loc)
	}
	// The old cookie, kept by a thief, no longer works either.
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/console/", nil)
	req.AddCookie(cookies[0])
	resp, err := anna.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/login") {
		t.Errorf("after the logout the queue answers %d to %q, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
}
