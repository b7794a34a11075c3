package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/bot/internal/sse"
	"github.com/incassobot/incassobot/casestore"
)

// Live updates. Every instance publishes what happens to a conversation
// on the hot-state topic bot.ConsoleTopic (Redis pub/sub when there are
// several instances); each open console page holds one Server-Sent Events
// stream (GET /console/events) that forwards those announcements. An
// announcement names a chat and what happened, never what was said: on
// hearing one, the page asks its own instance for what it shows (the
// chat's feed, the queue's rows), authorised like any page. So a missed
// or repeated announcement costs a reload of data, never a wrong screen,
// and no debtor's words travel through Redis.
//
//	event: activity   data: bot.Activity as JSON
//	: ping            every Heartbeat while idle

// DefaultHeartbeat keeps an idle stream from being cut by a proxy that
// closes quiet connections (commonly after 60 seconds).
const DefaultHeartbeat = 25 * time.Second

// maxStream ends every stream after a while; the browser reconnects by
// itself, and the reconnect checks the session again, so a collector who
// was logged out or disabled stops hearing within this time.
const maxStream = 10 * time.Minute

// streams lets the server end every open stream at shutdown, which would
// otherwise wait for the browsers to leave.
type streams struct {
	init, stop sync.Once
	closing    chan struct{}
}

func (s *streams) done() <-chan struct{} {
	s.init.Do(func() { s.closing = make(chan struct{}) })
	return s.closing
}

// Close ends the open event streams; register it with
// http.Server.RegisterOnShutdown. The pages reconnect to another instance.
func (c *Console) Close() {
	c.streams.done()
	c.streams.stop.Do(func() { close(c.streams.closing) })
}

// events streams the console's activity to a signed-in collector.
func (c *Console) events(w http.ResponseWriter, r *http.Request) {
	if c.d.Hot == nil {
		http.Error(w, "live updates are off", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), maxStream)
	defer cancel()
	acts, err := c.d.Hot.Subscribe(ctx, bot.ConsoleTopic)
	if err != nil {
		c.d.Log.Warn("console: subscribe to activity", "err", err)
		http.Error(w, "live updates unavailable; try again", http.StatusServiceUnavailable)
		return
	}
	rc := sse.Open(w)
	// The subscription is live: what happens from now on arrives. The
	// page reloads its data when the stream opens, for what came before.
	if _, err := io.WriteString(w, "retry: 2000\n: connected\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	sse.Forward(ctx, w, rc, c.streams.done(), c.d.Heartbeat, acts, "activity", cleanActivity)
}

// cleanActivity re-encodes a published message as bot.Activity, so only
// its known fields reach a browser, on one line — without the address:
// on the web chat that is the debtor's session, which no page may show.
// The pages match announcements by chat and case.
func cleanActivity(msg []byte) ([]byte, bool) {
	var a bot.Activity
	if err := json.Unmarshal(msg, &a); err != nil || a.Kind == "" {
		return nil, false
	}
	a.Address = ""
	b, err := json.Marshal(a)
	return b, err == nil
}

// announceHandoff tells every console a chat changed hands.
func (c *Console) announceHandoff(ctx context.Context, kind string, h *casestore.Handoff) {
	a := bot.Activity{Kind: kind, Channel: h.Channel, Address: h.Address, CaseID: h.CaseID, HandoffID: h.ID}
	if h.Status == casestore.HandoffClaimed {
		a.HeldBy = h.CollectorID
	}
	c.announce(ctx, a)
}

// chatLive is what the chat page shows that changes while it is open,
// worked out once for the page and for its feed.
type chatLive struct {
	// Holder says who holds the chat, from the reader's point of view.
	Holder string
	// Authors are the names of the collectors who wrote lines, by id.
	Authors map[int64]string
}

// Who names the writer of a conversation line.
func (l chatLive) Who(line bot.Line) string {
	switch {
	case line.FromDebtor:
		return "Debiteur"
	case line.FromCollector():
		return l.Authors[line.CollectorID]
	}
	return "Assistent (bot)"
}

// loadLive fills data.Live for the handoff and lines already loaded.
func (c *Console) loadLive(ctx context.Context, data *chatData) error {
	me, _ := auth.UserFrom(ctx)
	live, err := c.live(ctx, data.H, data.Lines, me)
	data.Live = live
	return err
}

func (c *Console) live(ctx context.Context, h *casestore.Handoff, lines []bot.Line, me *casestore.User) (chatLive, error) {
	n := newNames(c.d.Store)
	l := chatLive{Authors: map[int64]string{}}
	for _, line := range lines {
		if line.FromCollector() {
			name, err := n.of(ctx, line.CollectorID)
			if err != nil {
				return l, err
			}
			l.Authors[line.CollectorID] = name
		}
	}
	switch h.Status {
	case casestore.HandoffQueued:
		l.Holder = "wacht op een medewerker"
	case casestore.HandoffResolved:
		l.Holder = "teruggegeven aan de assistent"
	default:
		who := "u"
		if me == nil || me.ID != h.CollectorID {
			var err error
			if who, err = n.of(ctx, h.CollectorID); err != nil {
				return l, err
			}
		}
		l.Holder = "in behandeling bij " + who
		if h.LeaseUntil != nil {
			l.Holder += " tot " + clock(*h.LeaseUntil)
		}
	}
	return l, nil
}

// feedLine is a conversation line as the chat page's script adds it.
type feedLine struct {
	Key     string   `json:"key"`  // "in-12", "out-7": the page's data-key
	From    string   `json:"from"` // "debtor", "bot" or "collector"
	Who     string   `json:"who"`
	When    string   `json:"when"`
	Text    string   `json:"text"`
	Options []string `json:"options,omitempty"`
}

// feedEntry is a dossier entry as the chat page's script adds it: the
// same words the page shows (dossierview).
type feedEntry struct {
	ID       int64              `json:"id"`
	When     string             `json:"when"`
	Who      string             `json:"who"`
	Channel  string             `json:"channel,omitempty"`
	Summary  string             `json:"summary"`
	Text     string             `json:"text,omitempty"`
	Details  []dossierview.Fact `json:"details,omitempty"`
	Schedule []dossierview.Term `json:"schedule,omitempty"`
}

// chatFeed is GET /console/handoffs/{id}/feed: what the open chat page
// brings up to date when it hears of activity.
type chatFeed struct {
	Status string `json:"status"`
	Holder string `json:"holder"`
	// HeldBy is the holder's user id (0 unless claimed): the page tells a
	// change of hands from a renewed lease, which changes Holder's time.
	HeldBy  int64       `json:"held_by"`
	Mine    bool        `json:"mine"`
	Lines   []feedLine  `json:"lines"`
	Dossier []feedEntry `json:"dossier"` // the newest page, newest first
	Media   []mediaFile `json:"media"`
}

func lineKey(l bot.Line) string {
	if l.FromDebtor {
		return fmt.Sprintf("in-%d", l.ID)
	}
	return fmt.Sprintf("out-%d", l.ID)
}

func lineFrom(l bot.Line) string {
	switch {
	case l.FromDebtor:
		return "debtor"
	case l.FromCollector():
		return "collector"
	}
	return "bot"
}

// feed answers the chat page's script with the chat as it now stands.
func (c *Console) feed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	h, err := c.d.Store.Handoff(ctx, id)
	if err != nil {
		c.jsonFail(w, r, err)
		return
	}
	lines, err := bot.History(ctx, c.d.Store, h.Channel, h.Address, historyLines)
	if err != nil {
		c.jsonFail(w, r, err)
		return
	}
	live, err := c.live(ctx, h, lines, me)
	if err != nil {
		c.jsonFail(w, r, err)
		return
	}
	out := chatFeed{Status: string(h.Status), Holder: live.Holder, Lines: []feedLine{}, Dossier: []feedEntry{}, Media: []mediaFile{},
		Mine: h.Status == casestore.HandoffClaimed && h.CollectorID == me.ID}
	if h.Status == casestore.HandoffClaimed {
		out.HeldBy = h.CollectorID
	}
	for _, l := range lines {
		out.Lines = append(out.Lines, feedLine{Key: lineKey(l), From: lineFrom(l), Who: live.Who(l),
			When: datetime(l.At), Text: l.Text, Options: l.Options})
	}
	if h.CaseID != 0 {
		entries, err := c.d.Store.Dossier(ctx, h.CaseID, casestore.DossierQuery{Limit: dossierPageSize})
		if err != nil {
			c.jsonFail(w, r, err)
			return
		}
		cs, err := c.d.Store.Case(ctx, h.CaseID)
		if err != nil {
			c.jsonFail(w, r, err)
			return
		}
		for _, e := range c.describe(ctx, cs, entries) {
			out.Dossier = append(out.Dossier, feedEntry{ID: e.ID, When: datetime(e.At), Who: e.Who, Channel: e.Channel,
				Summary: e.Summary, Text: e.Text, Details: e.Details, Schedule: e.Schedule})
		}
		if out.Media, err = c.mediaList(ctx, h.CaseID); err != nil {
			c.jsonFail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// feedRow is a queue row as the queue page's script fills it in.
type feedRow struct {
	ID       int64  `json:"id"`
	Status   string `json:"status"`
	Priority int    `json:"priority"`
	// PriorityText is the priority in words, as the page shows it.
	PriorityText string `json:"priority_text"`
	Channel      string `json:"channel"`
	Who          string `json:"who"` // the debtor's name and, on SMS and WhatsApp, number
	CaseRef      string `json:"case_ref"`
	Creditor     string `json:"creditor"`
	Reason       string `json:"reason"`
	Expired      string `json:"expired"` // "(2× blijven liggen)", or ""
	Lapse        string `json:"lapse"`   // supervisors: who let it lapse, when
	Waited       string `json:"waited"`
	Holder       string `json:"holder"`
	Held         bool   `json:"held"`
	Mine         bool   `json:"mine"`
}

// queueFeed answers the queue page's script with the rows its filter
// selects, as the page would show them, and for supervisors the chats
// nobody answered (the page's second table).
func (c *Console) queueFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rows, err := c.listQueue(ctx, readQueueFilter(r))
	if bad := (*badFilter)(nil); errors.As(err, &bad) {
		// A filter typed wrong, as the page says it: 400 either way.
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": bad.Error()})
		return
	}
	if err != nil {
		c.jsonFail(w, r, err)
		return
	}
	out := struct {
		Rows       []feedRow `json:"rows"`
		Supervisor bool      `json:"supervisor"`
		Lapsed     []feedRow `json:"lapsed,omitempty"`
	}{Rows: feedRows(rows), Supervisor: isSupervisor(ctx)}
	if out.Supervisor {
		lapsed, err := c.listQueue(ctx, queueFilter{Lapsed: true})
		if err != nil {
			c.jsonFail(w, r, err)
			return
		}
		out.Lapsed = feedRows(lapsed)
	}
	writeJSON(w, http.StatusOK, out)
}

func feedRows(rows []queueRow) []feedRow {
	out := make([]feedRow, 0, len(rows))
	for _, row := range rows {
		out = append(out, feedRow{ID: row.H.ID, Status: string(row.H.Status), Priority: row.H.Priority, PriorityText: dossierview.Priority(row.H.Priority),
			Channel: dossierview.Label("channel", row.H.Channel), Who: row.Who(), CaseRef: row.CaseRef, Creditor: row.Creditor,
			Reason: reasonText(row.H.Reason), Expired: row.ExpiredText(), Lapse: row.LapseText(), Waited: waited(row.Waited),
			Holder: row.HolderText(), Held: row.HeldBy != "", Mine: row.Mine})
	}
	return out
}

// ExpiredText is how often the chat was left lying, for the reason column.
func (r queueRow) ExpiredText() string {
	if r.H.TimesExpired == 0 {
		return ""
	}
	return fmt.Sprintf("(%d× blijven liggen)", r.H.TimesExpired)
}

// LapseText says who last let the chat lapse and when; "" unless the
// reader is a supervisor and a claim ran out.
func (r queueRow) LapseText() string {
	if r.Lapse == nil {
		return ""
	}
	return fmt.Sprintf("laatst niet beantwoord door %s, terug in de wachtrij %s", r.Lapse.By, datetime(r.Lapse.At))
}

// HolderText is the holder column: who and for how long, or a dash.
func (r queueRow) HolderText() string {
	if r.HeldBy == "" {
		return "—"
	}
	who := r.HeldBy
	if r.Mine {
		who = "u"
	}
	return fmt.Sprintf("%s (%s)", who, waited(r.HeldFor))
}

// statusOf maps the store's sentinels to status codes, as fail does.
func statusOf(err error) int {
	switch {
	case errors.Is(err, casestore.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, casestore.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, casestore.ErrInvalid):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// jsonFail answers a script's request that failed, with the status fail
// would give a page.
func (c *Console) jsonFail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		c.d.Log.Error("console: live data", "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]string{"error": http.StatusText(status)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
