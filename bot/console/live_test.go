package console_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// feed is the chat page's feed as its script reads it.
type feed struct {
	Status string `json:"status"`
	Holder string `json:"holder"`
	HeldBy int64  `json:"held_by"`
	Mine   bool   `json:"mine"`
	Lines  []struct {
		Key, From, Who, When, Text string
	} `json:"lines"`
	Dossier []struct {
		ID                 int64
		Summary, Who, Text string
	} `json:"dossier"`
	Media []struct {
		ID    int64
		URL   string
		Type  string
		Image bool
	} `json:"media"`
}

// queueJSON is /console/queue.json.
type queueJSON struct {
	Rows []struct {
		ID      int64
		Holder  string
		Held    bool
		Mine    bool
		Expired string
		Lapse   string
	} `json:"rows"`
	Supervisor bool `json:"supervisor"`
	Lapsed     []struct {
		ID     int64
		Lapse  string
		Holder string
	} `json:"lapsed"`
}

// getJSON fetches path as the page's script does and decodes the answer
// into v when it is 200.
func (b *browser) getJSON(path string, v any) int {
	b.f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.f.srv.URL+path, nil)
	req.Header.Set("Accept", "application/json")
	resp, err := b.Client.Do(req)
	if err != nil {
		b.f.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode == http.StatusOK && !strings.HasPrefix(ct, "application/json") {
		b.f.t.Errorf("GET %s: Content-Type %q, want JSON", path, ct)
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			b.f.t.Fatalf("GET %s: %v", path, err)
		}
	}
	return resp.StatusCode
}

// botSays puts a reply of the bot (no dossier author) in the outbox.
func (f *fixture) botSays(text string) {
	f.t.Helper()
	m := casestore.OutboundMessage{Channel: "whatsapp", To: debtorPhone, CaseID: f.c.ID, Text: text}
	if err := f.st.EnqueueOutbound(context.Background(), &m); err != nil {
		f.t.Fatal(err)
	}
	f.clk.Advance(time.Second)
}

// The feed tells the page who holds the chat, from the reader's point of
// view, and who wrote each line; the debtor's words come as data.
func TestFeedSaysWhoHoldsTheChatAndWhoWroteEachLine(t *testing.T) {
	f := newFixture(t)
	f.botSays("Een medewerker neemt het gesprek zo over.")
	anna, bram := f.login("anna"), f.login("bram")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	anna.get(chat)
	f.clk.Advance(time.Minute)
	anna.post(chat+"/reply", url.Values{"text": {"Goedendag, u spreekt met Anna."}})
	lease := f.clk.Now().Add(15 * time.Minute).In(casestore.Amsterdam).Format("15:04")

	for _, tc := range []struct {
		who    *browser
		holder string
		mine   bool
	}{
		{anna, "in behandeling bij u tot " + lease, true},
		{bram, "in behandeling bij Anna de Vries tot " + lease, false},
	} {
		var got feed
		if code := tc.who.getJSON(chat+"/feed", &got); code != http.StatusOK {
			t.Fatalf("feed: %d", code)
		}
		if got.Status != "claimed" || got.Holder != tc.holder || got.Mine != tc.mine || got.HeldBy != f.users["anna"].ID {
			t.Errorf("feed holder = %q/%q mine %v held by %d; want %q, mine %v, Anna", got.Status, got.Holder, got.Mine, got.HeldBy, tc.holder, tc.mine)
		}
		var who, texts []string
		for _, l := range got.Lines {
			who, texts = append(who, l.From+":"+l.Who), append(texts, l.Text)
		}
		// Anna's claim told the debtor who writes now, then she wrote.
		want := []string{"debtor:Debiteur", "debtor:Debiteur", "bot:Assistent (bot)", "collector:Anna de Vries", "collector:Anna de Vries"}
		if fmt.Sprint(who) != fmt.Sprint(want) || texts[0] != scriptTyped {
			t.Errorf("feed lines by %q with texts %q; want %q, the first the debtor's literal words", who, texts, want)
		}
		if len(got.Dossier) == 0 || got.Dossier[0].Summary != "Bericht van een medewerker aan de debiteur" || got.Dossier[0].Who != "Anna de Vries" {
			t.Errorf("the feed's dossier does not start with the newest entry, the reply: %+v", got.Dossier)
		}
	}

	// The page itself labels the lines the same way.
	_, page := bram.get(chat)
	for _, want := range []string{`<b class="author">Debiteur</b>`, `<b class="author">Assistent (bot)</b>`,
		`<b class="author">Anna de Vries</b>`, `<span id="holder">in behandeling bij Anna de Vries tot ` + lease + `</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the chat page lacks %q", want)
		}
	}

	for path, want := range map[string]int{
		"/console/handoffs/99999/feed": http.StatusNotFound,
		"/console/handoffs/abc/feed":   http.StatusNotFound,
	} {
		if code := bram.getJSON(path, &feed{}); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}
}

// The queue's JSON selects what the page's filter selects, and says who
// holds each chat.
func TestQueueJSONKeepsTheFilter(t *testing.T) {
	f := newFixture(t)
	f.clk.Advance(30 * time.Minute)
	other := f.debtorAsksForPerson("sms", "+31600000001", 0, "hardship", 2, "ik kan niet meer betalen")
	anna, bram := f.login("anna"), f.login("bram")
	bram.post(fmt.Sprintf("/console/handoffs/%d/claim", other.ID), nil)
	for _, tc := range []struct {
		query  string
		want   []int64
		status int
	}{
		{"", []int64{f.h.ID}, 200},
		{"?claimed=1", []int64{other.ID, f.h.ID}, 200},
		{"?claimed=1&reason=hardship", []int64{other.ID}, 200},
		{"?claimed=1&min_wait=20", []int64{f.h.ID}, 200},
		{"?creditor=CR-IB-2026-000777", []int64{f.h.ID}, 200},
		{"?min_priority=hoog", nil, 400},
		{"?creditor=ONBEKEND", nil, 400},
	} {
		var got queueJSON
		if code := anna.getJSON("/console/queue.json"+tc.query, &got); code != tc.status {
			t.Errorf("%s: %d, want %d", tc.query, code, tc.status)
			continue
		}
		var ids []int64
		for _, r := range got.Rows {
			ids = append(ids, r.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("%s: rows %v, want %v", tc.query, ids, tc.want)
		}
		if got.Supervisor || got.Lapsed != nil {
			t.Errorf("%s: a collector is given the supervisors' view", tc.query)
		}
	}
	var got queueJSON
	anna.getJSON("/console/queue.json?claimed=1", &got)
	if r := got.Rows[0]; !r.Held || r.Mine || r.Holder != "Bram Jansen (< 1 min)" {
		t.Errorf("Bram's chat in Anna's queue: %+v, want held by Bram", r)
	}
}

// jpeg and pdf are the smallest files the store accepts as each type.
var (
	jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, []byte("JFIF foto van een bon")...)
	pdf  = []byte("%PDF-1.4\n% brief van de rechtbank\n")
)

func (f *fixture) addMedia(contentType string, data []byte) *casestore.Media {
	f.t.Helper()
	m := &casestore.Media{CaseID: f.c.ID, Channel: "whatsapp", ContentType: contentType, Data: data}
	if err := f.st.AddMedia(context.Background(), m); err != nil {
		f.t.Fatal(err)
	}
	return m
}

// The debtor's photos and PDFs are listed on the chat page and served to
// collectors only, as what they are and nothing else.
func TestMediaEvidenceIsListedAndServedSafely(t *testing.T) {
	f := newFixture(t)
	photo, letter := f.addMedia("image/jpeg", jpeg), f.addMedia("application/pdf", pdf)
	anna, sven, creditor := f.login("anna"), f.login("sven"), f.login("energie")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)

	_, page := anna.get(chat)
	for _, want := range []string{
		fmt.Sprintf(`<img src="/console/media/%d" alt="JPEG-foto van `, photo.ID),
		fmt.Sprintf(`<a href="/console/media/%d">PDF-document</a>`, letter.ID),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the chat page lacks %q", want)
		}
	}
	var fd feed
	anna.getJSON(chat+"/feed", &fd)
	if len(fd.Media) != 2 || !fd.Media[0].Image || fd.Media[1].Image || fd.Media[1].URL != fmt.Sprintf("/console/media/%d", letter.ID) {
		t.Errorf("the feed's media = %+v, want the photo then the PDF", fd.Media)
	}

	for _, tc := range []struct {
		name        string
		b           *browser
		path        string
		status      int
		contentType string
		disposition string
		body        []byte
	}{
		{"photo", anna, fmt.Sprintf("/console/media/%d", photo.ID), 200, "image/jpeg",
			fmt.Sprintf(`inline; filename="bewijs-%d.jpg"`, photo.ID), jpeg},
		{"pdf", sven, fmt.Sprintf("/console/media/%d", letter.ID), 200, "application/pdf",
			fmt.Sprintf(`attachment; filename="bewijs-%d.pdf"`, letter.ID), pdf},
		{"unknown", anna, "/console/media/99999", 404, "", "", nil},
		{"malformed", anna, "/console/media/x1", 404, "", "", nil},
		{"creditor user", creditor, fmt.Sprintf("/console/media/%d", photo.ID), 403, "", "", nil},
		{"nobody logged in", f.stranger(),
			fmt.Sprintf("/console/media/%d", photo.ID), 303, "", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := tc.b.Client.Get(f.srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body strings.Builder
			_, _ = bufio.NewReader(resp.Body).WriteTo(&body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", resp.Header.Get("X-Content-Type-Options"))
			}
			if tc.status != 200 {
				if strings.Contains(body.String(), string(jpeg[4:])) {
					t.Errorf("a refused request got the file")
				}
				return
			}
			h := resp.Header
			if h.Get("Content-Type") != tc.contentType || h.Get("Content-Disposition") != tc.disposition ||
				!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") || body.String() != string(tc.body) {
				t.Errorf("served as %q, %q, CSP %q, %d bytes; want %q, %q, sandbox, the file",
					h.Get("Content-Type"), h.Get("Content-Disposition"), h.Get("Content-Security-Policy"), body.Len(), tc.contentType, tc.disposition)
			}
		})
	}
}

// Only supervisors release and assign; unknown chats and colleagues are
// told apart; the queue says what happened.
func TestSupervisorReleasesAndAssigns(t *testing.T) {
	f := newFixture(t)
	anna, bram, sven := f.login("anna"), f.login("bram"), f.login("sven")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	holder := func() (casestore.HandoffStatus, int64) {
		h, err := f.st.Handoff(context.Background(), f.h.ID)
		if err != nil {
			t.Fatal(err)
		}
		return h.Status, h.CollectorID
	}
	bramID := fmt.Sprint(f.users["bram"].ID)
	for _, tc := range []struct {
		name     string
		b        *browser
		path     string
		form     url.Values
		status   int
		location string
		says     string
		after    casestore.HandoffStatus
		heldBy   string // a user key; "" for nobody
	}{
		{"a collector may not release", bram, chat + "/release", nil, 403, "", "", casestore.HandoffClaimed, "anna"},
		{"a collector may not assign", anna, chat + "/assign", url.Values{"to": {bramID}}, 403, "", "", casestore.HandoffClaimed, "anna"},
		{"an unknown chat", sven, "/console/handoffs/99999/release", nil, 404, "", "bestaat niet", casestore.HandoffClaimed, "anna"},
		{"assign an unknown chat", sven, "/console/handoffs/99999/assign", url.Values{"to": {bramID}}, 404, "", "bestaat niet", casestore.HandoffClaimed, "anna"},
		{"assign to nobody", sven, chat + "/assign", url.Values{"to": {""}}, 400, "", "Kies een medewerker", casestore.HandoffClaimed, "anna"},
		{"assign to an unknown colleague", sven, chat + "/assign", url.Values{"to": {"99999"}}, 400, "", "Medewerker 99999 bestaat niet", casestore.HandoffClaimed, "anna"},
		{"assign to Bram", sven, chat + "/assign", url.Values{"to": {bramID}}, 303, "/console/?claimed=1&done=assigned", "", casestore.HandoffClaimed, "bram"},
		{"release Bram's claim", sven, chat + "/release", nil, 303, "/console/?claimed=1&done=released", "", casestore.HandoffQueued, ""},
		{"release a queued chat", sven, chat + "/release", nil, 409, "", "de chat is intussen veranderd", casestore.HandoffQueued, ""},
		{"assign a queued chat to Anna", sven, chat + "/assign", url.Values{"to": {fmt.Sprint(f.users["anna"].ID)}}, 303, "/console/?claimed=1&done=assigned", "", casestore.HandoffClaimed, "anna"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.b.get("/console/")
			code, loc, body := tc.b.post(tc.path, tc.form)
			if code != tc.status || loc != tc.location || !strings.Contains(body, tc.says) {
				t.Errorf("%d to %q saying %q; want %d to %q saying %q", code, loc, short(body), tc.status, tc.location, tc.says)
			}
			status, by := holder()
			want := int64(0)
			if tc.heldBy != "" {
				want = f.users[tc.heldBy].ID
			}
			if status != tc.after || by != want {
				t.Errorf("afterwards the chat is %s by %d, want %s by %d", status, by, tc.after, want)
			}
		})
	}
	// The log shows who took it from whom.
	events, err := f.st.HandoffLog(context.Background(), f.h.ID)
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	for _, e := range events {
		log = append(log, fmt.Sprintf("%s:%d", e.Action, e.CollectorID))
	}
	s, a, b := f.users["sven"].ID, f.users["anna"].ID, f.users["bram"].ID
	want := fmt.Sprint([]string{"requested:0", fmt.Sprintf("claimed:%d", a), fmt.Sprintf("released:%d", s),
		fmt.Sprintf("claimed:%d", b), fmt.Sprintf("released:%d", s), fmt.Sprintf("claimed:%d", a)})
	if fmt.Sprint(log) != want {
		t.Errorf("handoff log %v, want %v", log, want)
	}
	// Without the CSRF token a supervisor changes nothing.
	if code, _, _ := sven.postForm(chat+"/release", url.Values{}); code != http.StatusForbidden {
		t.Errorf("a release without the CSRF token: %d, want 403", code)
	}
	if status, by := holder(); status != casestore.HandoffClaimed || by != a {
		t.Errorf("a refused release changed the chat: %s by %d", status, by)
	}
}

// A claim that runs out unanswered puts the chat back; supervisors see
// which, whose claim it was and how often, collectors do not.
func TestSupervisorSeesChatsLeftUnanswered(t *testing.T) {
	f := newFixture(t)
	anna, sven := f.login("anna"), f.login("sven")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	anna.post(chat+"/claim", nil)
	f.clk.Advance(16 * time.Minute)
	if expired, err := f.st.ExpireHandoffs(context.Background(), f.clk.Now()); err != nil || len(expired) != 1 {
		t.Fatalf("ExpireHandoffs = %d expired, %v", len(expired), err)
	}
	lapsedRow := fmt.Sprintf(`id="lapsed-%d"`, f.h.ID)
	_, page := sven.get("/console/")
	if !strings.HasSuffix(strings.TrimSpace(page), "</html>") || !strings.Contains(page, `<template id="tpl-assign">`) {
		t.Fatalf("the supervisor's queue is cut short (a template failed?):\n%s", page)
	}
	section := page[strings.Index(page, `id="lapsed-section"`):]
	for _, want := range []string{lapsedRow, "(1× blijven liggen)", "laatst niet beantwoord door Anna de Vries",
		fmt.Sprintf(`action="/console/handoffs/%d/assign"`, f.h.ID), `<option value="` + fmt.Sprint(f.users["bram"].ID) + `">Bram Jansen</option>`} {
		if !strings.Contains(section, want) {
			t.Errorf("the supervisor's section of chats left lying lacks %q", want)
		}
	}
	var got queueJSON
	sven.getJSON("/console/queue.json", &got)
	if !got.Supervisor || len(got.Lapsed) != 1 || got.Lapsed[0].ID != f.h.ID || !strings.Contains(got.Lapsed[0].Lapse, "Anna de Vries") {
		t.Errorf("the supervisor's queue.json: %+v", got)
	}
	_, collectors := anna.get("/console/")
	if strings.Contains(collectors, "lapsed-section") || strings.Contains(collectors, "/release") ||
		strings.Contains(collectors, "laatst niet beantwoord") || !strings.Contains(collectors, "(1× blijven liggen)") {
		t.Errorf("a collector's queue must show the count but not the supervisors' section or controls")
	}
	// A second lapse counts.
	anna.post(chat+"/claim", nil)
	f.clk.Advance(16 * time.Minute)
	f.st.ExpireHandoffs(context.Background(), f.clk.Now())
	if _, page := sven.get("/console/?lapsed=1"); !strings.Contains(page, "(2× blijven liggen)") {
		t.Errorf("after a second lapse the supervisor's queue does not say 2×")
	}
}

// Every change a console page shows is announced, so other collectors'
// open pages follow.
func TestEveryChangeIsAnnounced(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	heard, err := f.hot.Subscribe(ctx, bot.ConsoleTopic)
	if err != nil {
		t.Fatal(err)
	}
	anna, sven := f.login("anna"), f.login("sven")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	a, b := f.users["anna"].ID, f.users["bram"].ID
	for _, tc := range []struct {
		who    *browser
		path   string
		form   url.Values
		kind   string
		heldBy int64
	}{
		{anna, chat + "/claim", nil, bot.ActivityClaimed, a},
		{anna, chat + "/reply", url.Values{"text": {"Ik kijk mee."}}, bot.ActivityReply, a},
		{anna, chat + "/note", url.Values{"text": {"Belt morgen terug."}}, bot.ActivityDossier, 0},
		{sven, chat + "/release", nil, bot.ActivityReleased, 0},
		{sven, chat + "/assign", url.Values{"to": {fmt.Sprint(b)}}, bot.ActivityClaimed, b},
		{sven, chat + "/resolve", nil, bot.ActivityResolved, 0},
	} {
		tc.who.get(chat)
		if code, _, body := tc.who.post(tc.path, tc.form); code != http.StatusSeeOther {
			t.Fatalf("POST %s: %d\n%s", tc.path, code, body)
		}
		select {
		case msg := <-heard:
			var got bot.Activity
			if err := json.Unmarshal(msg, &got); err != nil {
				t.Fatal(err)
			}
			if got.Kind != tc.kind || got.HandoffID != f.h.ID || got.HeldBy != tc.heldBy || got.Address != debtorPhone {
				t.Errorf("POST %s announced %+v; want %s of handoff %d held by %d", tc.path, got, tc.kind, f.h.ID, tc.heldBy)
			}
		default:
			t.Errorf("POST %s announced nothing", tc.path)
		}
	}
}

// The event stream forwards announcements, cleaned to the known fields,
// and drops what is not one.
func TestEventStreamForwardsAnnouncements(t *testing.T) {
	f := newFixture(t)
	anna := f.login("anna")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.srv.URL+"/console/events", nil)
	stream := &http.Client{Jar: anna.Client.Jar} // no timeout: the stream stays open
	resp, err := stream.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() && lines.Text() != ": connected" {
	}
	// Subscribed: what is published now arrives.
	f.hot.Publish(ctx, bot.ConsoleTopic, []byte(`not json`))
	f.hot.Publish(ctx, bot.ConsoleTopic, []byte(`{"kind":"handoff.claimed","channel":"whatsapp","address":"+31612345678","handoff_id":7,"held_by":3,"text":"geheim"}`))
	var event, data string
	for lines.Scan() {
		l := lines.Text()
		if v, ok := strings.CutPrefix(l, "event: "); ok {
			event = v
		}
		if v, ok := strings.CutPrefix(l, "data: "); ok {
			data = v
			break
		}
	}
	if event != "activity" || data != `{"kind":"handoff.claimed","channel":"whatsapp","address":"","handoff_id":7,"held_by":3}` {
		t.Errorf("the stream sent event %q data %q; want the claim without unknown fields, nor the address (a web chat's is its session)", event, data)
	}

	// Not for creditors, nor for strangers.
	creditor := f.login("energie")
	if code, _ := creditor.get("/console/events"); code != http.StatusForbidden {
		t.Errorf("a creditor user on the event stream: %d, want 403", code)
	}
}

func short(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
