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
	conversationTO = 30 * time.Second // the most a message waits for its conversation
	// conversationLease is how long a conversation's lock outlives its
	// holder: renewed every second while a message is handled
	// (hotstate.Lease.Keep), so a dead instance's conversations move on
	// within 3 s of its death plus one lock poll (the kill test in
	// cmd/incassobot requires them to answer again within 5 s).
	conversationLease = 3 * time.Second
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
	// Agency is who we are, told to a debtor who asks (public facts only).
	Agency dialogs.Agency
	// PayLink, when set, is a case's online payment link (bot/payments),
	// offered wherever the dialog offers the creditor's payment URL.
	PayLink func(c *casestore.Case) string
	// Documents, when set, signs links to the verified case's documents
	// (bot/debtordocs): the debtor's PDF specification and the invoice
	// copies the creditor delivered (dialogs.View.Documents). Nil, or no
	// copy: the dialog files a request for a collector instead.
	Documents DocumentLinks
	// FollowUps schedules an agreed plan's reminders and a promise's
	// follow-up in the turn's transaction; nil: none.
	FollowUps FollowUps

	order arrivalOrder
}

// DocumentLinks signs links to a case's documents for its debtor.
type DocumentLinks interface {
	SpecificationURL(c *casestore.Case) string
	// InvoiceDocumentURL is "" when the invoice has no copy.
	InvoiceDocumentURL(c *casestore.Case, inv casestore.Invoice) string
}

// documentsOf are the links the dialog may send for case c.
func documentsOf(links DocumentLinks, c *casestore.Case) dialogs.Documents {
	d := dialogs.Documents{SpecificationURL: links.SpecificationURL(c)}
	for _, inv := range c.Invoices {
		if u := links.InvoiceDocumentURL(c, inv); u != "" {
			if d.Invoices == nil {
				d.Invoices = map[int64]string{}
			}
			d.Invoices[inv.ID] = u
		}
	}
	return d
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
	in = sanitise(in)
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
	lease, saved, err := cv.Hot.LockGet(lockCtx, "conv:"+key, dialogStatePrefix+key, conversationLease)
	if err != nil {
		return Turn{}, fmt.Errorf("bot: conversation %s busy: %w", in.Channel, err)
	}
	defer lease.Unlock()
	lease.Keep(ctx, conversationLease, func() {
		cv.log().Warn("conversation lock lost while handling a message: hot state was unreachable too long", "channel", in.Channel)
	})

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
	view, err := cv.view(ctx, in, st, ev)
	if err != nil {
		return Turn{}, err
	}
	phone := st.PhoneFor(ev)
	res := dialogs.Step(st, ev, view, now)
	// An unverified web chat asking for a person: one open at a time per
	// client (handoff.go), or the queue floods from fresh sessions.
	var claimHandoff func()
	if unverifiedWebHandoff(in, res) {
		release, busy, err := cv.claimUnverifiedHandoff(lockCtx, in)
		if err != nil {
			return Turn{}, err
		}
		defer release()
		if busy {
			view.HandoffBusy = true
			res = dialogs.Step(st, ev, view, now)
		} else {
			claimHandoff = func() { cv.unverifiedHandoffClaimed(ctx, in) }
		}
	}
	// A second factor compared against one of the phone's own cases: the
	// attempt is counted before its outcome counts (attempts.go).
	var taken []counted
	if c := caseIn(view.PhoneCases, judged(res)); c != nil && res.LookupRef == "" {
		id := c.ID
		var ok bool
		if taken, ok, _, err = cv.reserve(ctx, c, in, phone, false); err != nil {
			return Turn{}, err
		}
		if !ok {
			view.CaseLocked, view.LockedUntil = true, lastUntil(taken)
			res = dialogs.Step(st, ev, view, now)
			res.Entries = append(res.Entries, refusedEntry(id, in))
		}
	}
	steps := []dialogs.Result{res}
	if res.LookupRef != "" {
		// The dialog asked for a dossier number it cannot look up itself.
		found, err := cv.Store.CaseByRef(ctx, res.LookupRef)
		if err != nil && !errors.Is(err, casestore.ErrNotFound) {
			return Turn{}, err
		}
		view.Lookup, view.LookupRef = found, res.LookupRef
		if err := cv.addOnFile(ctx, &view, found); err != nil {
			return Turn{}, err
		}
		if err := cv.addFlags(ctx, &view, found); err != nil {
			return Turn{}, err
		}
		if err := cv.senderLocks(ctx, &view, phone, found); err != nil {
			return Turn{}, err
		}
		refused := false
		// Only a sender who could pass is counted: the web chat (no phone)
		// or a phone on file for the case. Others fail whatever they type.
		if found != nil && !view.CaseLocked && (phone == "" || onFile(found, phone)) {
			var ok, stepUp bool
			both := phone == "" && res.State.PendingPC != "" && !res.State.PendingDOB.IsZero()
			if taken, ok, stepUp, err = cv.reserve(ctx, found, in, phone, both); err != nil {
				return Turn{}, err
			}
			view.BothFactors = stepUp
			if !ok {
				// Not judged, and answered as an unknown dossier number:
				// the reply must not tell that this one exists.
				view.Lookup, refused = nil, true
			}
		}
		loaded := dialogs.Event{Kind: dialogs.EventCaseLoaded, Channel: ev.Channel, From: ev.From, Phone: ev.Phone}
		res = dialogs.Step(res.State, loaded, view, now)
		if refused {
			res.Entries = append(res.Entries, refusedEntry(found.ID, in))
		}
		steps = append(steps, res)
	}

	turn := Turn{Result: res}
	for _, s := range steps {
		turn.Replies = append(turn.Replies, s.Replies...)
	}
	err = cv.Store.InTx(ctx, func(tx casestore.Tx) error {
		if err := stillTheBots(ctx, tx, in); err != nil {
			return err
		}
		return cv.commit(ctx, tx, in, view, steps, &turn)
	})
	var claimed *claimedMeanwhile
	if errors.As(err, &claimed) {
		// A collector claimed the chat while the dialog ran: the reply is
		// dropped and the message is theirs.
		return cv.fileForCollector(ctx, in, claimed.h)
	}
	if errors.Is(err, errDuplicate) {
		// A provider retry of a message already answered: the first
		// delivery's state, entries and replies stand.
		return Turn{Duplicate: true}, nil
	}
	if err != nil {
		return Turn{}, err
	}
	if succeeded(res) {
		cv.refund(ctx, taken)
	}
	if claimHandoff != nil {
		claimHandoff()
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
func (cv *Conversations) view(ctx context.Context, in Inbound, st dialogs.State, ev dialogs.Event) (dialogs.View, error) {
	v := dialogs.View{Office: cv.Office, Agency: cv.Agency}
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
		if c != nil && cv.Documents != nil {
			v.Documents = map[int64]dialogs.Documents{c.ID: documentsOf(cv.Documents, c)}
		}
	} else if phone != "" {
		cases, err := cv.casesOf(ctx, in.Channel, phone)
		if err != nil {
			return v, err
		}
		v.PhoneCases = cases
		// Locks matter only to a verification, never to a verified chat.
		if err := cv.senderLocks(ctx, &v, phone, cases...); err != nil {
			return v, err
		}
	}
	if err := cv.addOnFile(ctx, &v, append([]*casestore.Case{v.Case}, v.PhoneCases...)...); err != nil {
		return v, err
	}
	if err := cv.addFlags(ctx, &v, append([]*casestore.Case{v.Case}, v.PhoneCases...)...); err != nil {
		return v, err
	}
	optedOut, err := cv.Store.OptedOut(ctx, ev.Channel, ev.From)
	if err != nil {
		return v, err
	}
	v.OptedOut = optedOut
	return v, nil
}

// casesOf are the cases of the address the channel vouches for: the
// phone number, or on e-mail the address the debtor wrote from (the
// debtor's e-mail address on file).
func (cv *Conversations) casesOf(ctx context.Context, channel, addr string) ([]*casestore.Case, error) {
	if channel == dialogs.ChannelEmail {
		return cv.Store.Cases(ctx, casestore.CaseFilter{DebtorEmail: addr})
	}
	return cv.Store.CasesByPhone(ctx, addr)
}

// caseIn returns the case with that id among cases, or nil.
func caseIn(cases []*casestore.Case, id int64) *casestore.Case {
	for _, c := range cases {
		if c != nil && c.ID == id {
			return c
		}
	}
	return nil
}

// addOnFile loads the disputes, plans and promises of the cases (nil ones
// are skipped), so the dialog answers from the case as it is.
func (cv *Conversations) addOnFile(ctx context.Context, v *dialogs.View, cases ...*casestore.Case) error {
	for _, c := range cases {
		if c == nil {
			continue
		}
		if _, done := v.OnFile[c.ID]; done {
			continue
		}
		var f dialogs.OnFile
		var err error
		if f.Disputes, err = cv.Store.Disputes(ctx, c.ID); err != nil {
			return err
		}
		if f.Plans, err = cv.Store.Plans(ctx, c.ID); err != nil {
			return err
		}
		if f.Promises, err = cv.Store.Promises(ctx, c.ID); err != nil {
			return err
		}
		if v.OnFile == nil {
			v.OnFile = map[int64]dialogs.OnFile{}
		}
		v.OnFile[c.ID] = f
	}
	return nil
}

// addFlags loads the case flags (bewindvoering, debt settlement) of the
// cases, so the dialog hands a case whose collection is stopped to a person.
func (cv *Conversations) addFlags(ctx context.Context, v *dialogs.View, cases ...*casestore.Case) error {
	for _, c := range cases {
		if c == nil {
			continue
		}
		f, err := cv.Store.CaseFlags(ctx, c.ID)
		if err != nil {
			return err
		}
		if v.Flags == nil {
			v.Flags = map[int64]casestore.CaseFlags{}
		}
		v.Flags[c.ID] = f
	}
	return nil
}
