package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// How long hot state lives. A dialog position older than StateTTL is
// forgotten (the dialog restarts politely).
const (
	StateTTL       = 7 * 24 * time.Hour
	conversationTO = 30 * time.Second // the most one message may hold its conversation
)

// Conversations handles inbound messages: one at a time per conversation
// (a hot-state lock, so across instances too), each in one transaction.
type Conversations struct {
	Store casestore.Store
	Hot   hotstate.Store
	Now   func() time.Time // time.Now when nil
	Log   *slog.Logger     // slog.Default when nil
	// Deliver queues the replies in the outbox for the sender. Off for the
	// terminal chat, which prints them: a demo must not text real numbers.
	Deliver bool
	// Office is when collectors answer; the debtor asking for a person is
	// told when to expect them. Zero means casestore.DefaultOfficeHours.
	Office casestore.OfficeHours
	// PayLink, when set, is a case's online payment link (bot/payments),
	// offered wherever the dialog offers the creditor's payment URL.
	PayLink func(c *casestore.Case) string

	order arrivalOrder
}

// Turn is what handling one inbound message did.
type Turn struct {
	// HeldBy is the collector holding the conversation: the message was
	// filed for them and the bot did not answer. 0 when the bot answered.
	HeldBy int64
	// Duplicate: the provider delivered this message before and it was
	// committed then; nothing was done this time.
	Duplicate bool
	Replies   []dialogs.Reply
	// Result is the dialog's last step (state, intent, understanding).
	Result dialogs.Result
	// Entries are the dossier entries written, in order, with their IDs.
	Entries []casestore.DossierEntry
	// Effects are the effects applied, by Kind, in order.
	Effects []string
}

func (cv *Conversations) now() time.Time {
	if cv.Now != nil {
		return cv.Now()
	}
	return time.Now()
}

func (cv *Conversations) log() *slog.Logger {
	if cv.Log != nil {
		return cv.Log
	}
	return slog.Default()
}

// Handle runs one inbound message through the dialog and commits
// everything it decided. An error means nothing was committed: the caller
// answers the provider with a 5xx so it retries.
func (cv *Conversations) Handle(ctx context.Context, in Inbound) (Turn, error) {
	key := in.ConversationKey()
	lockCtx, cancel := context.WithTimeout(ctx, conversationTO)
	defer cancel()
	leave, err := cv.order.enter(lockCtx, key)
	if err != nil {
		return Turn{}, fmt.Errorf("bot: conversation %s busy: %w", in.Channel, err)
	}
	defer leave()
	// The lock and the dialog position in one round trip; the position is
	// stored again as the lock is released (afterCommit).
	lease, saved, err := cv.Hot.LockGet(lockCtx, "conv:"+key, dialogStatePrefix+key, conversationTO)
	if err != nil {
		return Turn{}, fmt.Errorf("bot: conversation %s busy: %w", in.Channel, err)
	}
	defer lease.Unlock()

	now := cv.now()
	if in.At.IsZero() {
		in.At = now
	}
	st := cv.loadState(saved)
	in.Media = prepareEvidence(in.Media)
	held, err := cv.openHandoff(ctx, in)
	if err != nil {
		return Turn{}, err
	}
	if held != nil && held.Status == casestore.HandoffClaimed {
		// A person holds the conversation: the bot says nothing.
		return cv.fileForCollector(ctx, in, held)
	}
	if held == nil && st.Node == dialogs.NodeHandoff {
		// Handed back to the bot since the last message: start afresh
		// (a verified debtor keeps the verification and sees the menu).
		st.Node, st.Flow = dialogs.NodeStart, dialogs.Scratch{}
	}
	if st, err = cv.dropDecidedOffer(ctx, st); err != nil {
		return Turn{}, err
	}
	ev := eventOf(in)
	view, err := cv.view(ctx, st, ev)
	if err != nil {
		return Turn{}, err
	}
	res := dialogs.Step(st, ev, view, now)
	steps := []dialogs.Result{res}
	if res.LookupRef != "" {
		// The dialog asked for a dossier number it cannot look up itself.
		found, err := cv.Store.CaseByRef(ctx, res.LookupRef)
		if err != nil && !errors.Is(err, casestore.ErrNotFound) {
			return Turn{}, err
		}
		view.Lookup, view.LookupRef = found, res.LookupRef
		if err := cv.addLocks(ctx, &view, res.State.Phone, found); err != nil {
			return Turn{}, err
		}
		loaded := dialogs.Event{Kind: dialogs.EventCaseLoaded, Channel: ev.Channel, From: ev.From, Phone: ev.Phone}
		res = dialogs.Step(res.State, loaded, view, now)
		steps = append(steps, res)
	}

	turn := Turn{Result: res}
	for _, s := range steps {
		turn.Replies = append(turn.Replies, s.Replies...)
	}
	err = cv.Store.InTx(ctx, func(tx casestore.Tx) error {
		return cv.commit(ctx, tx, in, view, steps, &turn)
	})
	if errors.Is(err, errDuplicate) {
		// A provider retry of a message already answered: the first
		// delivery's state, entries and replies stand.
		return Turn{Duplicate: true}, nil
	}
	if err != nil {
		return Turn{}, err
	}
	cv.afterCommit(ctx, lease, key, in, steps)
	cv.announceQueued(ctx, in, held)
	return turn, nil
}

// eventOf turns a channel's message into the dialog's event.
func eventOf(in Inbound) dialogs.Event {
	ev := dialogs.Event{Kind: dialogs.EventText, Text: in.Text, Channel: in.Channel, From: in.From, Phone: in.Phone}
	switch {
	case in.PhoneShared:
		ev.Kind = dialogs.EventPhoneShared
	case len(in.Media) > 0:
		m := in.Media[0]
		ev.Kind = dialogs.EventMedia
		ev.Media = &dialogs.Media{ContentType: m.ContentType, Ref: m.Ref, Size: m.Size}
	}
	return ev
}

// loadState decodes the conversation's dialog position, or returns the
// zero State (a polite restart) when it is gone (nil) or unreadable.
func (cv *Conversations) loadState(b []byte) dialogs.State {
	var st dialogs.State
	if b == nil {
		return st
	}
	if err := json.Unmarshal(b, &st); err != nil {
		cv.log().Warn("hot state unreadable; conversation restarts", "err", err)
		return dialogs.State{}
	}
	return st
}

// view loads what the dialog may need for this event (see dialogs.View).
func (cv *Conversations) view(ctx context.Context, st dialogs.State, ev dialogs.Event) (dialogs.View, error) {
	v := dialogs.View{Office: cv.Office}
	phone := st.PhoneFor(ev)
	if st.Verified && st.CaseID != 0 {
		c, err := cv.Store.Case(ctx, st.CaseID)
		if err != nil && !errors.Is(err, casestore.ErrNotFound) {
			return v, err
		}
		v.Case = c
		if c != nil && cv.PayLink != nil {
			c.Creditor.PaymentURL = cv.PayLink(c)
		}
	} else if phone != "" {
		cases, err := cv.Store.CasesByPhone(ctx, phone)
		if err != nil {
			return v, err
		}
		v.PhoneCases = cases
	}
	if err := cv.addLocks(ctx, &v, phone, append([]*casestore.Case{v.Case}, v.PhoneCases...)...); err != nil {
		return v, err
	}
	optedOut, err := cv.Store.OptedOut(ctx, ev.Channel, ev.From)
	if err != nil {
		return v, err
	}
	v.OptedOut = optedOut
	return v, nil
}

// addLocks marks the view locked when a verification lock is in force for
// one of the cases (nil ones are skipped) or for the phone. One round trip
// to hot state for all of them.
func (cv *Conversations) addLocks(ctx context.Context, v *dialogs.View, phone string, cases ...*casestore.Case) error {
	keys := []string{}
	for _, c := range cases {
		if c != nil {
			keys = append(keys, lockKeyCase(c.ID))
		}
	}
	if phone != "" {
		keys = append(keys, lockKeyPhone(phone))
	}
	if len(keys) == 0 {
		return nil
	}
	lefts, err := cv.Hot.TTLs(ctx, keys)
	if err != nil {
		// Without Redis the lockout cannot be checked; refusing
		// verification is the safe side.
		lefts = make([]time.Duration, len(keys))
		for i := range lefts {
			lefts[i] = dialogs.LockDuration
		}
	}
	now := cv.now()
	for _, left := range lefts {
		if left <= 0 {
			continue
		}
		v.CaseLocked = true
		if until := now.Add(left); until.After(v.LockedUntil) {
			v.LockedUntil = until
		}
	}
	return nil
}

func lockKeyCase(id int64) string      { return fmt.Sprintf("verifylock:case:%d", id) }
func lockKeyPhone(phone string) string { return "verifylock:phone:" + phone }
