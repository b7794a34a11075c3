package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// Supervisors oversee the queue: they see which chats came back because
// a claim ran out unanswered (and whose), and may take a chat from anyone
// — back to the queue, or to a colleague. The store's rule book
// (casestore.Handoff.Apply) lets only them release another's claim; the
// routes below are theirs alone as well.

// lapsedScan bounds the open chats the lapsed filter looks through: it
// filters in the console, as the store's queue has no such field.
const lapsedScan = 1000

// lapse is the last claim of a chat that ran out unanswered.
type lapse struct {
	By    string // who let it lapse
	At    time.Time
	Times int // how often any claim on the chat ran out
}

func isSupervisor(ctx context.Context) bool {
	u, ok := auth.UserFrom(ctx)
	return ok && u.Role == casestore.RoleSupervisor
}

// lastLapse reads the handoff's log for its last expiry; nil when the log
// holds none.
func (c *Console) lastLapse(ctx context.Context, id int64, names *names) (*lapse, error) {
	events, err := c.d.Store.HandoffLog(ctx, id)
	if err != nil {
		return nil, err
	}
	l := &lapse{}
	for _, e := range events {
		if e.Action != casestore.ActionExpired {
			continue
		}
		l.Times++
		if l.By, err = names.of(ctx, e.CollectorID); err != nil {
			return nil, err
		}
		l.At = e.At
	}
	if l.Times == 0 {
		return nil, nil
	}
	return l, nil
}

// colleagues are the users a supervisor may give a chat to: enabled
// collectors and supervisors, by name.
func (c *Console) colleagues(ctx context.Context) ([]*casestore.User, error) {
	all, err := c.d.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(all, func(u *casestore.User) bool { return u.Disabled || !u.Role.TakesChats() })
	slices.SortFunc(out, func(a, b *casestore.User) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out, nil
}

// release puts anyone's claimed chat back in the queue.
func (c *Console) release(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	var h *casestore.Handoff
	err := c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		var err error
		if h, err = tx.ReleaseHandoff(ctx, id, me.ID, c.d.Now()); err != nil {
			return err
		}
		return c.tellDebtor(ctx, tx, h, me.ID, dialogs.ReleasedText)
	})
	if err != nil {
		c.fail(w, r, err, "de chat vrijgeven")
		return
	}
	c.wake()
	c.announceHandoff(ctx, bot.ActivityReleased, h)
	http.Redirect(w, r, "/console/?claimed=1&done=released", http.StatusSeeOther)
}

// assign gives a chat to a colleague: queued, or held by anyone. In one
// transaction the holder's claim is released (logged as the supervisor's
// release) and the colleague's claim starts, so the log shows who took it
// from whom, and no one else can claim it in between.
func (c *Console) assign(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me, _ := auth.UserFrom(ctx)
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	to, err := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	if err != nil || to <= 0 {
		c.fail(w, r, formError("Kies een medewerker om de chat aan toe te wijzen."), "de chat toewijzen")
		return
	}
	now := c.d.Now()
	var h *casestore.Handoff
	err = c.d.Store.InTx(ctx, func(tx casestore.Tx) error {
		cur, err := tx.Handoff(ctx, id)
		if err != nil {
			return err
		}
		if cur.Status == casestore.HandoffClaimed && cur.CollectorID != to {
			if _, err := tx.ReleaseHandoff(ctx, id, me.ID, now); err != nil {
				return err
			}
		}
		if h, err = tx.ClaimHandoff(ctx, id, to, now, c.d.Lease); err != nil {
			return err
		}
		if cur.Status == casestore.HandoffClaimed && cur.CollectorID == to {
			return nil // the colleague held it already: the debtor knows
		}
		colleague, err := tx.User(ctx, to)
		if err != nil {
			return err
		}
		return c.tellDebtor(ctx, tx, h, me.ID, c.takeOverNotice(colleague.Name))
	})
	if errors.Is(err, casestore.ErrNotFound) {
		// The chat or the colleague: say which could not be found.
		if _, herr := c.d.Store.Handoff(ctx, id); herr == nil {
			err = formError(fmt.Sprintf("Medewerker %d bestaat niet (meer).", to))
		}
	}
	if err != nil {
		c.fail(w, r, err, "de chat toewijzen")
		return
	}
	c.wake()
	c.announceHandoff(ctx, bot.ActivityClaimed, h)
	http.Redirect(w, r, "/console/?claimed=1&done=assigned", http.StatusSeeOther)
}
