package casestore

import (
	"fmt"
	"time"
)

// A handoff is a debtor's conversation passed from the bot to the
// collectors: queued until a collector claims it, then held by that one
// collector until handed back. Every conversation has exactly one owner at
// a time — the bot, or one collector — and every change of owner is
// written to an append-only log, so that who said what to a debtor, and
// when a person was in charge, can always be shown.

// HandoffStatus is where a handoff stands.
type HandoffStatus string

const (
	HandoffQueued   HandoffStatus = "queued"   // waits for a collector; the bot answers only to say so (and serves self-service)
	HandoffClaimed  HandoffStatus = "claimed"  // a collector holds it until LeaseUntil (renewed by replying)
	HandoffResolved HandoffStatus = "resolved" // handed back: the bot owns the conversation again
)

// Open reports whether the conversation belongs to the collectors, not
// the bot: queued or claimed.
func (s HandoffStatus) Open() bool { return s == HandoffQueued || s == HandoffClaimed }

// Handoff is one conversation in the collectors' hands, from the request
// to the moment it is handed back. A conversation is the debtor's address
// on a channel (as bot.Inbound.From), whether or not a case is known.
type Handoff struct {
	ID      int64
	Channel string
	Address string
	CaseID  int64  // 0 when the debtor was not identified
	Reason  string // why a person is needed ("asked", "hardship", "abuse", "plan outside policy" …)
	// Priority orders the queue, higher first (dialogs: 1 normal, 2 high).
	Priority int
	Status   HandoffStatus
	// CollectorID is the user holding a claimed handoff, or the one who
	// resolved it; 0 while queued.
	CollectorID int64
	ClaimedAt   *time.Time // when the current holder claimed it; nil unless claimed
	// LeaseUntil: a claimed chat left unanswered past this instant goes
	// back to the queue (ExpireHandoffs). Nil unless claimed.
	LeaseUntil *time.Time
	// TimesExpired counts how often a claim ran out unanswered: the
	// console shows supervisors the chats nobody answers.
	TimesExpired int
	RequestedAt  time.Time
	ResolvedAt   *time.Time
}

// Validate checks a new handoff request.
func (h *Handoff) Validate() error {
	switch {
	case h.Channel == "":
		return fmt.Errorf("handoff: channel is empty: %w", ErrInvalid)
	case h.Address == "":
		return fmt.Errorf("handoff on %s: debtor's address is empty: %w", h.Channel, ErrInvalid)
	case h.Reason == "":
		return fmt.Errorf("handoff on %s: reason is empty: %w", h.Channel, ErrInvalid)
	case len(h.Reason) > MaxHandoffReason:
		return fmt.Errorf("handoff on %s: reason is longer than %d bytes: %w", h.Channel, MaxHandoffReason, ErrInvalid)
	case h.Priority < 0:
		return fmt.Errorf("handoff on %s: priority %d is negative: %w", h.Channel, h.Priority, ErrInvalid)
	}
	return nil
}

// MaxHandoffReason bounds a reason: it is a label for the queue, not the
// debtor's words (those are in the dossier).
const MaxHandoffReason = 200

// HandoffAction is one kind of change in the handoff log.
type HandoffAction string

const (
	ActionRequested     HandoffAction = "requested"     // the bot (or a router) asked for a person
	ActionReprioritised HandoffAction = "reprioritised" // asked again with a higher priority (and its reason)
	ActionClaimed       HandoffAction = "claimed"       // a collector took it
	ActionTouched       HandoffAction = "touched"       // the holder replied: the lease runs on
	ActionReleased      HandoffAction = "released"      // back to the queue by a person
	ActionExpired       HandoffAction = "expired"       // back to the queue: the holder's lease ran out
	ActionResolved      HandoffAction = "resolved"      // handed back to the bot
)

// HandoffEvent is one line of a handoff's log.
type HandoffEvent struct {
	ID        int64
	HandoffID int64
	Action    HandoffAction
	// CollectorID is who acted (claimed, touched, released, resolved), or
	// whose lease ran out (expired); 0 for requests.
	CollectorID int64
	// Reason and Priority are the handoff's right after the event.
	Reason   string
	Priority int
	At       time.Time
}

// QueueFilter selects handoffs for the collectors' queue; zero fields do
// not filter.
type QueueFilter struct {
	Reason      string // exactly this reason
	MinPriority int    // priority at least this
	CreditorID  int64  // only conversations tied to a case of this creditor
	// OlderThan: requested before this instant ("waiting over an hour").
	OlderThan time.Time
	// IncludeClaimed lists claimed handoffs too (supervisors' view);
	// otherwise only queued ones.
	IncludeClaimed bool
	// CollectorID: only handoffs this user holds ("my chats"); implies
	// IncludeClaimed and leaves out the queued ones.
	CollectorID int64
	Limit       int // 0 = 100
}

// DefaultQueueLimit is the number of handoffs Queue returns for Limit 0.
const DefaultQueueLimit = 100

// HandoffChange is one change asked of an open handoff, by a person or by
// the clock.
type HandoffChange struct {
	// Action is what is asked: ActionReprioritised, ActionClaimed,
	// ActionTouched, ActionReleased, ActionResolved or ActionExpired.
	Action HandoffAction
	// By is who asks; nil for ActionReprioritised and ActionExpired.
	By *User
	// At is when; never zero (stores put their clock in first).
	At time.Time
	// Lease is how long a claim or touch holds the chat.
	Lease time.Duration
	// Priority and Reason of a repeated request (ActionReprioritised).
	Priority int
	Reason   string
}

// Apply works out what c does to h without storing anything: the stores
// share this rule book, so a claim means the same on SQLite and
// PostgreSQL. It returns h as it then stands and the log events to append
// (none when nothing changes: a lower priority, an unexpired lease), or:
//
//   - ErrInvalid: no time, a lease that is not positive for a claim or a
//     touch, no user, or a user who may not take chats (a creditor);
//   - ErrConflict: a disabled user; a resolved handoff; a claim another
//     collector holds until LeaseUntil >= At; a touch or release by
//     someone other than the holder (a supervisor may release and resolve
//     anyone's claim, and resolve a queued handoff).
//
// The holder claiming again renews the lease and keeps ClaimedAt; a touch
// never shortens a lease.
func (h Handoff) Apply(c HandoffChange) (Handoff, []HandoffEvent, error) {
	if c.At.IsZero() {
		return h, nil, fmt.Errorf("handoff %d: %s without a time: %w", h.ID, c.Action, ErrInvalid)
	}
	switch c.Action {
	case ActionReprioritised:
		return h.reprioritise(c)
	case ActionExpired:
		return h.expire(c.At)
	case ActionClaimed, ActionTouched, ActionReleased, ActionResolved:
	default:
		return h, nil, fmt.Errorf("handoff %d: unknown change %q: %w", h.ID, c.Action, ErrInvalid)
	}
	if err := h.mayAct(c); err != nil {
		return h, nil, err
	}
	switch c.Action {
	case ActionClaimed:
		return h.claim(c)
	case ActionTouched:
		return h.touch(c)
	case ActionReleased:
		return h.release(c)
	default:
		return h.resolve(c)
	}
}

// event is a log line for h as it stands after the change.
func (h Handoff) event(a HandoffAction, collectorID int64, at time.Time) HandoffEvent {
	return HandoffEvent{HandoffID: h.ID, Action: a, CollectorID: collectorID,
		Reason: h.Reason, Priority: h.Priority, At: at}
}

// mayAct checks what every person's change needs: a live user who takes
// chats, a lease where one is set, and a handoff still open.
func (h Handoff) mayAct(c HandoffChange) error {
	switch {
	case c.By == nil:
		return fmt.Errorf("handoff %d: %s by nobody: %w", h.ID, c.Action, ErrInvalid)
	case !c.By.Role.TakesChats():
		return fmt.Errorf("handoff %d: user %d is a %s and may not take chats: %w", h.ID, c.By.ID, c.By.Role, ErrInvalid)
	case c.By.Disabled:
		return fmt.Errorf("handoff %d: user %d is disabled: %w", h.ID, c.By.ID, ErrConflict)
	case (c.Action == ActionClaimed || c.Action == ActionTouched) && c.Lease <= 0:
		return fmt.Errorf("handoff %d: lease %v is not positive: %w", h.ID, c.Lease, ErrInvalid)
	case h.Status == HandoffResolved:
		return fmt.Errorf("handoff %d: already handed back to the bot: %w", h.ID, ErrConflict)
	}
	return nil
}

// leaseRanOut reports whether a claim's lease ended before at.
func (h Handoff) leaseRanOut(at time.Time) bool {
	return h.Status == HandoffClaimed && h.LeaseUntil != nil && h.LeaseUntil.Before(at)
}

func (h Handoff) reprioritise(c HandoffChange) (Handoff, []HandoffEvent, error) {
	if c.Priority <= h.Priority {
		return h, nil, nil
	}
	h.Priority, h.Reason = c.Priority, c.Reason
	return h, []HandoffEvent{h.event(ActionReprioritised, 0, c.At)}, nil
}

// expire returns a claim whose lease ran out to the queue.
func (h Handoff) expire(at time.Time) (Handoff, []HandoffEvent, error) {
	if !h.leaseRanOut(at) {
		return h, nil, nil
	}
	holder := h.CollectorID
	h.Status, h.CollectorID, h.ClaimedAt, h.LeaseUntil = HandoffQueued, 0, nil, nil
	h.TimesExpired++
	return h, []HandoffEvent{h.event(ActionExpired, holder, at)}, nil
}

func (h Handoff) claim(c HandoffChange) (Handoff, []HandoffEvent, error) {
	var events []HandoffEvent
	if h.Status == HandoffClaimed && h.CollectorID != c.By.ID {
		if !h.leaseRanOut(c.At) {
			return h, nil, fmt.Errorf("handoff %d: collector %d holds it until %s: %w",
				h.ID, h.CollectorID, h.LeaseUntil.UTC().Format(time.RFC3339), ErrConflict)
		}
		h, events, _ = h.expire(c.At)
	}
	if h.Status != HandoffClaimed {
		h.ClaimedAt = &c.At
	}
	until := c.At.Add(c.Lease)
	h.Status, h.CollectorID, h.LeaseUntil = HandoffClaimed, c.By.ID, &until
	return h, append(events, h.event(ActionClaimed, c.By.ID, c.At)), nil
}

func (h Handoff) touch(c HandoffChange) (Handoff, []HandoffEvent, error) {
	if h.Status != HandoffClaimed || h.CollectorID != c.By.ID {
		return h, nil, fmt.Errorf("handoff %d: user %d does not hold it (%s): %w", h.ID, c.By.ID, h.Status, ErrConflict)
	}
	if until := c.At.Add(c.Lease); h.LeaseUntil == nil || until.After(*h.LeaseUntil) {
		h.LeaseUntil = &until
	}
	return h, []HandoffEvent{h.event(ActionTouched, c.By.ID, c.At)}, nil
}

func (h Handoff) release(c HandoffChange) (Handoff, []HandoffEvent, error) {
	switch {
	case h.Status != HandoffClaimed:
		return h, nil, fmt.Errorf("handoff %d: nobody holds it: %w", h.ID, ErrConflict)
	case h.CollectorID != c.By.ID && c.By.Role != RoleSupervisor:
		return h, nil, fmt.Errorf("handoff %d: collector %d holds it, not user %d: %w", h.ID, h.CollectorID, c.By.ID, ErrConflict)
	}
	h.Status, h.CollectorID, h.ClaimedAt, h.LeaseUntil = HandoffQueued, 0, nil, nil
	return h, []HandoffEvent{h.event(ActionReleased, c.By.ID, c.At)}, nil
}

func (h Handoff) resolve(c HandoffChange) (Handoff, []HandoffEvent, error) {
	holder := h.Status == HandoffClaimed && h.CollectorID == c.By.ID
	if !holder && c.By.Role != RoleSupervisor {
		return h, nil, fmt.Errorf("handoff %d: only its holder or a supervisor may hand it back, not user %d: %w",
			h.ID, c.By.ID, ErrConflict)
	}
	h.Status, h.CollectorID, h.ClaimedAt, h.LeaseUntil, h.ResolvedAt = HandoffResolved, c.By.ID, nil, nil, &c.At
	return h, []HandoffEvent{h.event(ActionResolved, c.By.ID, c.At)}, nil
}

// ExpiredClaim is a handoff ExpireHandoffs returned to the queue: the
// handoff as it is now, and the collector whose claim ran out.
type ExpiredClaim struct {
	Handoff  *Handoff
	LapsedBy int64
}
