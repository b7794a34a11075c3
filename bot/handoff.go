package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// ConsoleTopic is the hot-state topic on which every instance announces
// conversation activity for the collectors' console.
const ConsoleTopic = "console:activity"

// Activity is what the console hears about a conversation. It names the
// conversation and what happened, never what was said: the pages read
// that from the store, each for its own signed-in user.
type Activity struct {
	Kind      string `json:"kind"` // one of the Activity… kinds below
	Channel   string `json:"channel"`
	Address   string `json:"address"`
	CaseID    int64  `json:"case_id,omitempty"`
	HandoffID int64  `json:"handoff_id,omitempty"`
	HeldBy    int64  `json:"held_by,omitempty"`
	// LapsedBy is the collector whose claim ran out (ActivityExpired).
	LapsedBy int64 `json:"lapsed_by,omitempty"`
}

// The kinds of Activity.
const (
	ActivityMessageIn = "message.in"        // the debtor wrote in a chat the collectors have
	ActivityReply     = "message.out"       // a collector's reply went to the outbox
	ActivityRequested = "handoff.requested" // the bot queued the chat (or raised its priority)
	ActivityClaimed   = "handoff.claimed"   // a collector took it
	ActivityReleased  = "handoff.released"  // back to the queue by a person
	ActivityExpired   = "handoff.expired"   // back to the queue: the claim ran out unanswered
	ActivityResolved  = "handoff.resolved"  // handed back to the bot
	ActivityDossier   = "dossier.entry"     // the case's dossier grew (a note, a decision)
)

// openHandoff is the conversation's queued or claimed handoff, nil when
// the bot owns it.
func (cv *Conversations) openHandoff(ctx context.Context, in Inbound) (*casestore.Handoff, error) {
	h, err := cv.Store.OpenHandoff(ctx, in.Channel, in.From)
	if errors.Is(err, casestore.ErrNotFound) {
		return nil, nil
	}
	return h, err
}

// claimedMeanwhile aborts a bot turn whose conversation a collector
// claimed after the turn began.
type claimedMeanwhile struct{ h *casestore.Handoff }

func (c *claimedMeanwhile) Error() string {
	return "bot: a collector claimed the conversation meanwhile"
}

// stillTheBots reads the conversation's handoff again inside the turn's
// transaction, which keeps it from changing until the commit (see
// casestore.Handoffs.OpenHandoff): the handoff read before the dialog ran
// may have been claimed since, and then the bot must not answer.
func stillTheBots(ctx context.Context, tx casestore.Tx, in Inbound) error {
	h, err := tx.OpenHandoff(ctx, in.Channel, in.From)
	switch {
	case errors.Is(err, casestore.ErrNotFound):
		return nil
	case err != nil:
		return err
	case h.Status == casestore.HandoffClaimed:
		return &claimedMeanwhile{h: h}
	}
	return nil
}

// fileForCollector commits a message of a conversation a collector holds:
// inbox, dossier, evidence, and an opt-out keyword is still honoured for
// automated messages. No dialog runs and nothing is sent; the console is
// told.
func (cv *Conversations) fileForCollector(ctx context.Context, in Inbound, h *casestore.Handoff) (Turn, error) {
	turn := Turn{HeldBy: h.CollectorID}
	var cases []int64
	if h.CaseID != 0 {
		cases = []int64{h.CaseID}
	}
	err := cv.Store.InTx(ctx, func(tx casestore.Tx) error {
		turn.Entries = nil
		if err := recordInbound(ctx, tx, in, cases); err != nil {
			return err
		}
		if h.CaseID != 0 {
			if err := storeEvidence(ctx, tx, in, h.CaseID); err != nil {
				return err
			}
			e := messageIn(h.CaseID, in)
			if err := tx.AppendDossier(ctx, &e); err != nil {
				return err
			}
			turn.Entries = append(turn.Entries, e)
		}
		if isOptOutKeyword(in.Text) {
			return tx.SetOptOut(ctx, in.Channel, in.From, true, in.At)
		}
		return nil
	})
	if errors.Is(err, errDuplicate) {
		return Turn{Duplicate: true}, nil
	}
	if err != nil {
		return Turn{}, err
	}
	cv.announce(ctx, Activity{Kind: ActivityMessageIn, Channel: in.Channel, Address: in.From, CaseID: h.CaseID, HandoffID: h.ID, HeldBy: h.CollectorID})
	return turn, nil
}

// isOptOutKeyword: the providers' and the law's stop words, honoured even
// while a person holds the chat (the dialog is not running then).
func isOptOutKeyword(text string) bool {
	switch strings.ToUpper(strings.Trim(strings.TrimSpace(text), ".!")) {
	case "STOP", "STOPP", "UITSCHRIJVEN", "ARRET", "ARRÊT", "UNSUBSCRIBE":
		return true
	}
	return false
}

// requestHandoff puts the conversation in the collectors' queue, in the
// message's transaction.
func requestHandoff(ctx context.Context, tx casestore.Tx, in Inbound, e dialogs.Handoff) (*casestore.Handoff, error) {
	h := casestore.Handoff{Channel: in.Channel, Address: in.From, CaseID: e.CaseID, Reason: e.Reason,
		Priority: e.Priority, RequestedAt: in.At}
	if h.Reason == "" {
		h.Reason = "asked"
	}
	if _, err := tx.RequestHandoff(ctx, &h); err != nil {
		return nil, fmt.Errorf("handoff: %w", err)
	}
	return &h, nil
}

// announceQueued tells the consoles the debtor wrote again in a chat
// waiting in the queue (the bot answered, saying a person will come): a
// collector reading that chat sees both lines arrive. h nil: the bot owns
// the conversation, and no console shows it.
func (cv *Conversations) announceQueued(ctx context.Context, in Inbound, h *casestore.Handoff) {
	if h == nil {
		return
	}
	cv.announce(ctx, Activity{Kind: ActivityMessageIn, Channel: in.Channel, Address: in.From, CaseID: h.CaseID, HandoffID: h.ID})
}

// announce tells every console instance; best effort (the console also
// reads the queue from the store).
func (cv *Conversations) announce(ctx context.Context, a Activity) {
	b, err := json.Marshal(a)
	if err != nil {
		return
	}
	if err := cv.Hot.Publish(ctx, ConsoleTopic, b); err != nil {
		cv.log().Warn("announcing to the console failed", "err", err)
	}
}

// Unverified web chats asking for a person (red team session 5, LOW-1):
// a web chat costs nothing to open, so without a bound one client could
// fill the collectors' queue with "not identified" chats. A client (its
// clientip.Bucket) has at most one such handoff open at a time; further
// ones are told a person is already asked for. Hot state remembers which
// conversation holds the client's place (a flush only forgets the bound),
// and a lock on the client makes the check and the commit one step.
const unverifiedHandoffTTL = 24 * time.Hour

func unverifiedHandoffKey(client string) string {
	return "handoff:unverified:" + clientip.Bucket(client)
}

// unverifiedWebHandoff reports whether res hands an unverified web chat
// to a person.
func unverifiedWebHandoff(in Inbound, res dialogs.Result) bool {
	if in.Channel != "web" || in.Client == "" {
		return false
	}
	for _, ef := range res.Effects {
		if h, ok := ef.(dialogs.Handoff); ok && h.CaseID == 0 {
			return true
		}
	}
	return false
}

// claimUnverifiedHandoff locks the client's place and reports whether
// another conversation of the client holds an open handoff. release ends
// the lock, after the turn's commit.
func (cv *Conversations) claimUnverifiedHandoff(ctx context.Context, in Inbound) (release func(), busy bool, err error) {
	key := unverifiedHandoffKey(in.Client)
	unlock, err := cv.Hot.Lock(ctx, key+":lock", conversationLease)
	if err != nil {
		return nil, false, fmt.Errorf("bot: handoff place busy: %w", err)
	}
	holder, err := cv.Hot.Get(ctx, key)
	if errors.Is(err, hotstate.ErrMiss) || (err == nil && string(holder) == in.From) {
		return unlock, false, nil
	}
	if err != nil {
		unlock()
		return nil, false, err
	}
	_, err = cv.Store.OpenHandoff(ctx, in.Channel, string(holder))
	switch {
	case errors.Is(err, casestore.ErrNotFound):
		return unlock, false, nil
	case err != nil:
		unlock()
		return nil, false, err
	}
	return unlock, true, nil
}

// unverifiedHandoffClaimed gives the client's place to in's conversation,
// whose handoff is committed.
func (cv *Conversations) unverifiedHandoffClaimed(ctx context.Context, in Inbound) {
	if err := cv.Hot.Set(ctx, unverifiedHandoffKey(in.Client), []byte(in.From), unverifiedHandoffTTL); err != nil {
		cv.log().Warn("remembering an unverified handoff failed", "err", err)
	}
}
