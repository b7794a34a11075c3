package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// Verification attempts are counted in the system of record
// (casestore.Attempts) before their outcome is acted on, so guesses that
// arrive at once from many conversations cannot all be judged, and a Redis
// flush or restart resets no lockout. Three counters:
//
//   - per case and sender (the phone number, or the channel address when
//     there is none): a sender's own wrong guesses lock that sender out of
//     that case. A stranger therefore locks only the stranger: the debtor
//     writing from a number on file is counted on its own.
//   - per case for senders who are not on file (the web chat, where no
//     phone identifies anyone): dialogs.MaxFailures attempts per
//     dialogs.LockDuration in all, however many conversations they come
//     from. This stops distributed guessing; it never blocks the debtor's
//     own phone.
//   - per client address of the web chat (Inbound.Client), over every
//     case: ClientAttempts per ClientWindow, so one client cannot try a
//     few postcodes on every dossier number.
//
// An attempt over a limit is not judged. Its reply is the one a wrong
// dossier number gets, so the answer never tells whether a dossier number
// exists or is locked; the case's dossier records the refusal.

// Limits of the per-client counter.
const (
	ClientAttempts = 10
	ClientWindow   = 4 * dialogs.LockDuration
)

// attemptKey names a counter by a hash of what it counts: the table holds
// no phone number or address.
func attemptKey(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// sender is who guesses: the phone number when the conversation has one,
// else the channel address.
func sender(in Inbound, phone string) string {
	if phone != "" {
		return "phone:" + phone
	}
	return "address:" + in.ConversationKey()
}

func senderKey(caseID int64, who string) string {
	return attemptKey("verify", strconv.FormatInt(caseID, 10), who)
}

func strangersKey(caseID int64) string {
	return attemptKey("verify", strconv.FormatInt(caseID, 10), "not on file")
}

func clientKey(client string) string { return attemptKey("verify-client", client) }

// counted is one count taken, to give back when the attempt succeeds.
type counted struct {
	key string
	casestore.AttemptCount
}

// reserve counts an attempt on c before it is judged. ok is false when a
// limit is spent: the attempt must not be judged.
func (cv *Conversations) reserve(ctx context.Context, c *casestore.Case, in Inbound, phone string) (taken []counted, ok bool, err error) {
	type limit struct {
		key    string
		max    int
		window time.Duration
	}
	limits := []limit{{senderKey(c.ID, sender(in, phone)), dialogs.MaxFailures, dialogs.LockDuration}}
	if phone == "" || !onFile(c, phone) {
		limits = append(limits, limit{strangersKey(c.ID), dialogs.MaxFailures, dialogs.LockDuration})
	}
	if in.Client != "" {
		limits = append(limits, limit{clientKey(in.Client), ClientAttempts, ClientWindow})
	}
	ok = true
	now := cv.now()
	for _, l := range limits {
		n, until, err := cv.Store.CountAttempt(ctx, l.key, now, l.window)
		if err != nil {
			return taken, false, err
		}
		taken = append(taken, counted{l.key, casestore.AttemptCount{N: n, Until: until}})
		if n > l.max {
			ok = false
		}
	}
	return taken, ok, nil
}

// refund gives the counts of a successful attempt back: only failures
// lock anyone out.
func (cv *Conversations) refund(ctx context.Context, taken []counted) {
	for _, c := range taken {
		if err := cv.Store.UncountAttempt(ctx, c.key, c.Until); err != nil {
			cv.log().Warn("giving back a verification attempt failed", "err", err)
		}
	}
}

// senderLocks marks the view locked when this sender has spent its own
// attempts on one of the cases (nil ones are skipped).
func (cv *Conversations) senderLocks(ctx context.Context, v *dialogs.View, in Inbound, phone string, cases ...*casestore.Case) error {
	var keys []string
	who := sender(in, phone)
	for _, c := range cases {
		if c != nil {
			keys = append(keys, senderKey(c.ID, who))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	counts, err := cv.Store.AttemptCounts(ctx, keys, cv.now())
	if err != nil {
		return err
	}
	for _, c := range counts {
		if c.N >= dialogs.MaxFailures {
			v.CaseLocked = true
			if c.Until.After(v.LockedUntil) {
				v.LockedUntil = c.Until
			}
		}
	}
	return nil
}

// judged returns the case a step compared a second factor for, or 0: a
// success, or a failure for a wrong postcode or birth date.
func judged(res dialogs.Result) int64 {
	for _, e := range res.Entries {
		switch e.Kind {
		case "verification.succeeded":
			return e.CaseID
		case "verification.failed":
			var body struct{ Reason string }
			if json.Unmarshal(e.Body, &body) == nil && body.Reason == "second factor" {
				return e.CaseID
			}
		}
	}
	return 0
}

func succeeded(res dialogs.Result) bool {
	for _, e := range res.Entries {
		if e.Kind == "verification.succeeded" {
			return true
		}
	}
	return false
}

// refusedEntry records in the case's dossier an attempt that was not
// judged because a limit was spent.
func refusedEntry(caseID int64, in Inbound) casestore.DossierEntry {
	return casestore.DossierEntry{CaseID: caseID, Kind: "verification.refused", Actor: casestore.ActorSystem,
		Channel: in.Channel, Body: EntryBody(map[string]any{"reason": "attempt limit", "channel": in.Channel, "from": in.From})}
}

// onFile reports whether phone is one of the case debtor's numbers.
func onFile(c *casestore.Case, phone string) bool {
	if strings.Contains(phone, "@") { // an e-mail conversation's address
		return c.Debtor.Email != "" && strings.EqualFold(c.Debtor.Email, phone)
	}
	for _, p := range c.Debtor.Phones {
		if p == phone {
			return true
		}
	}
	return false
}

// lastUntil is the latest end among the counts taken.
func lastUntil(taken []counted) (until time.Time) {
	for _, c := range taken {
		if c.Until.After(until) {
			until = c.Until
		}
	}
	return until
}
