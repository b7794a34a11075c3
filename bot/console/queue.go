package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/casestore"
)

// queueFilter is the queue page's filter form, as typed.
type queueFilter struct {
	Reason      string
	MinPriority string
	Creditor    string // creditor code
	MinWait     string // minutes
	Claimed     bool
	// Lapsed: only chats that came back after a claim ran out unanswered
	// (supervisors; see supervisor.go).
	Lapsed bool
}

// queueRow is one chat in the queue as a collector reads it.
type queueRow struct {
	H        *casestore.Handoff
	CaseRef  string
	Creditor string
	Debtor   string        // the case's debtor; "" while nobody is identified
	Waited   time.Duration // since the request, up to now
	HeldBy   string        // the holder's name; "" while queued
	HeldFor  time.Duration
	Mine     bool
	// Lapse is the last claim that ran out unanswered, for supervisors;
	// nil when none did or the reader is not a supervisor.
	Lapse *lapse
}

type queueData struct {
	base
	Filter queueFilter
	Rows   []queueRow
	Notice string // a filter that could not be applied, or what was just done
	// Supervisor: the reader may release and assign anyone's chat, to one
	// of Colleagues, and sees Lapsed: the open chats whose claim ran out
	// unanswered, whatever the filter.
	Supervisor bool
	Colleagues []*casestore.User
	Lapsed     []queueRow
}

// rowView is a row with what its forms need from the page (the CSRF
// token, the colleagues a supervisor may assign to).
type rowView struct {
	queueRow
	Page queueData
}

// Row pairs a row with the page, for the "queueActions" template.
func (d queueData) Row(r queueRow) rowView { return rowView{queueRow: r, Page: d} }

// Blank is a row of no chat: the forms the page's script copies into the
// rows it builds (it sets each form's action).
func (d queueData) Blank() queueRow { return queueRow{H: &casestore.Handoff{}} }

// queue lists open chats, highest priority first, then longest waiting.
func (c *Console) queue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	data := queueData{base: c.base(r), Filter: readQueueFilter(r), Notice: notices[r.URL.Query().Get("done")]}
	var err error
	if data.Supervisor = isSupervisor(ctx); data.Supervisor {
		if data.Colleagues, err = c.colleagues(ctx); err != nil {
			c.fail(w, r, err, "de wachtrij lezen")
			return
		}
		if data.Lapsed, err = c.listQueue(ctx, queueFilter{Lapsed: true}); err != nil {
			c.fail(w, r, err, "de wachtrij lezen")
			return
		}
	}
	data.Rows, err = c.listQueue(ctx, data.Filter)
	if bad := (*badFilter)(nil); errors.As(err, &bad) {
		data.Notice = bad.Error()
		c.render(w, r, http.StatusBadRequest, "queue", data)
		return
	}
	if err != nil {
		c.fail(w, r, err, "de wachtrij lezen")
		return
	}
	c.render(w, r, http.StatusOK, "queue", data)
}

// readQueueFilter reads the filter form from the query; only supervisors
// may ask for the lapsed chats.
func readQueueFilter(r *http.Request) queueFilter {
	q := r.URL.Query()
	return queueFilter{Reason: strings.TrimSpace(q.Get("reason")), MinPriority: q.Get("min_priority"),
		Creditor: strings.TrimSpace(q.Get("creditor")), MinWait: q.Get("min_wait"), Claimed: q.Get("claimed") != "",
		Lapsed: q.Get("lapsed") != "" && isSupervisor(r.Context())}
}

// badFilter is a filter field the collector typed wrong (ErrInvalid or
// ErrNotFound): shown on the page, not a failure.
type badFilter struct{ error }

func (b *badFilter) Unwrap() error { return b.error }

// listQueue is the queue as the filter selects it, with what a collector
// needs to choose; a *badFilter says which field is wrong.
func (c *Console) listQueue(ctx context.Context, form queueFilter) ([]queueRow, error) {
	f, err := c.storeFilter(ctx, form)
	if errors.Is(err, casestore.ErrInvalid) || errors.Is(err, casestore.ErrNotFound) {
		return nil, &badFilter{err}
	}
	if err != nil {
		return nil, err
	}
	if form.Lapsed {
		// Chats nobody answered may have been claimed again since.
		f.IncludeClaimed, f.Limit = true, lapsedScan
	}
	hs, err := c.d.Store.Queue(ctx, f)
	if err != nil {
		return nil, err
	}
	if form.Lapsed {
		hs = slices.DeleteFunc(hs, func(h *casestore.Handoff) bool { return h.TimesExpired == 0 })
	}
	return c.queueRows(ctx, hs)
}

// notices are the sentences shown after an action sent the collector back
// to the queue.
var notices = map[string]string{
	"resolved": "Het gesprek is teruggegeven aan de assistent.",
	"released": "De chat staat weer in de wachtrij.",
	"assigned": "De chat is toegewezen.",
}

// storeFilter turns the form into the store's filter; ErrInvalid or
// ErrNotFound say which field is wrong.
func (c *Console) storeFilter(ctx context.Context, f queueFilter) (casestore.QueueFilter, error) {
	out := casestore.QueueFilter{Reason: f.Reason, IncludeClaimed: f.Claimed}
	if f.MinPriority != "" {
		n, err := strconv.Atoi(f.MinPriority)
		if err != nil || n < 0 {
			return out, fmt.Errorf("prioriteit %q is geen getal van 0 of hoger: %w", f.MinPriority, casestore.ErrInvalid)
		}
		out.MinPriority = n
	}
	if f.MinWait != "" {
		n, err := strconv.Atoi(f.MinWait)
		if err != nil || n < 0 {
			return out, fmt.Errorf("wachttijd %q is geen aantal minuten: %w", f.MinWait, casestore.ErrInvalid)
		}
		out.OlderThan = c.d.Now().Add(-time.Duration(n) * time.Minute)
	}
	if f.Creditor != "" {
		cr, err := c.d.Store.CreditorByCode(ctx, f.Creditor)
		if errors.Is(err, casestore.ErrNotFound) {
			return out, fmt.Errorf("geen opdrachtgever met code %q: %w", f.Creditor, casestore.ErrNotFound)
		}
		if err != nil {
			return out, err
		}
		out.CreditorID = cr.ID
	}
	return out, nil
}

// queueRows adds what a collector needs to choose a chat: the case, the
// creditor, how long it waited and who holds it.
func (c *Console) queueRows(ctx context.Context, hs []*casestore.Handoff) ([]queueRow, error) {
	me, _ := auth.UserFrom(ctx)
	now := c.d.Now()
	names := newNames(c.d.Store)
	cases := map[int64]*casestore.Case{}
	rows := make([]queueRow, 0, len(hs))
	for _, h := range hs {
		row := queueRow{H: h, Waited: now.Sub(h.RequestedAt)}
		if h.CaseID != 0 {
			cs, ok := cases[h.CaseID]
			if !ok {
				var err error
				if cs, err = c.d.Store.Case(ctx, h.CaseID); err != nil {
					return nil, err
				}
				cases[h.CaseID] = cs
			}
			row.CaseRef, row.Creditor, row.Debtor = cs.Ref, cs.Creditor.Name, cs.Debtor.Name
		}
		if h.Status == casestore.HandoffClaimed {
			name, err := names.of(ctx, h.CollectorID)
			if err != nil {
				return nil, err
			}
			row.HeldBy, row.Mine = name, me != nil && me.ID == h.CollectorID
			if h.ClaimedAt != nil {
				row.HeldFor = now.Sub(*h.ClaimedAt)
			}
		}
		if h.TimesExpired > 0 && me != nil && me.Role == casestore.RoleSupervisor {
			var err error
			if row.Lapse, err = c.lastLapse(ctx, h.ID, names); err != nil {
				return nil, err
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// names looks up colleagues' names once per page.
type names struct {
	st    casestore.Store
	cache map[int64]string
}

func newNames(st casestore.Store) *names { return &names{st: st, cache: map[int64]string{}} }

func (n *names) of(ctx context.Context, id int64) (string, error) {
	if s, ok := n.cache[id]; ok {
		return s, nil
	}
	u, err := n.st.User(ctx, id)
	if errors.Is(err, casestore.ErrNotFound) {
		return fmt.Sprintf("medewerker %d", id), nil
	}
	if err != nil {
		return "", err
	}
	n.cache[id] = u.Name
	return u.Name, nil
}

// claim gives the chat to the collector, exclusively. When another
// collector holds it, the answer names them and since when.
func (c *Console) claim(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	var h *casestore.Handoff
	err := c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		cur, err := tx.Handoff(ctx, id)
		if err != nil {
			return err
		}
		if h, err = tx.ClaimHandoff(ctx, id, me.ID, c.d.Now(), c.d.Lease); err != nil {
			return err
		}
		if cur.Status == casestore.HandoffClaimed && cur.CollectorID == me.ID {
			return nil // claimed again by its holder: the debtor knows already
		}
		return c.tellDebtor(ctx, tx, h, me.ID, c.takeOverNotice(me.Name))
	})
	if errors.Is(err, casestore.ErrConflict) {
		c.heldElsewhere(w, r, id)
		return
	}
	if err != nil {
		c.fail(w, r, err, "de chat claimen")
		return
	}
	c.wake()
	c.announceHandoff(ctx, bot.ActivityClaimed, h)
	http.Redirect(w, r, fmt.Sprintf("/console/handoffs/%d", id), http.StatusSeeOther)
}

// heldElsewhere explains a refused claim: who holds the chat now, or that
// it was handed back meanwhile.
func (c *Console) heldElsewhere(w http.ResponseWriter, r *http.Request, id int64) {
	ctx := r.Context()
	h, err := c.d.Store.Handoff(ctx, id)
	if err != nil {
		c.fail(w, r, err, "de chat claimen")
		return
	}
	msg := messagePage{base: c.base(r), Title: "Deze chat is al in behandeling", Back: "/console/"}
	switch h.Status {
	case casestore.HandoffClaimed:
		name, err := newNames(c.d.Store).of(ctx, h.CollectorID)
		if err != nil {
			c.fail(w, r, err, "de chat claimen")
			return
		}
		msg.Text = fmt.Sprintf("%s behandelt deze chat sinds %s. U kunt hem niet overnemen zolang %s hem vasthoudt.",
			name, clock(*h.ClaimedAt), name)
	case casestore.HandoffResolved:
		msg.Title, msg.Text = "Deze chat is afgesloten", "Het gesprek is al teruggegeven aan de assistent."
	default:
		msg.Title, msg.Text = "Niet gelukt", "De chat kon niet worden geclaimd; probeer het opnieuw."
	}
	c.render(w, r, http.StatusConflict, "message", msg)
}

// handoffID reads {id} from the path; a malformed one is a 404.
func handoffID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return 0, false
	}
	return id, true
}

// Who is whom the chat is with, as the queue shows it: the debtor's name
// once identified, and the number on SMS and WhatsApp. Never a web chat's
// address, which is the browser's session.
func (r queueRow) Who() string {
	who := r.Debtor
	if who == "" {
		who = "niet geïdentificeerd"
	}
	if phone := phoneOf(r.H); phone != "" {
		who += " · " + phone
	}
	return who
}
