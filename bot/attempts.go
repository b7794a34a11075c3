package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
)

// Verification attempts are counted in the system of record
// (casestore.Attempts) before their outcome is acted on, so guesses that
// arrive at once from many conversations cannot all be judged, and a Redis
// flush or restart resets no lockout. The counters:
//
//   - A phone (SMS, WhatsApp, Telegram with a shared number): per case and
//     phone number, dialogs.MaxFailures attempts per dialogs.LockDuration.
//     Only a number on file for the case is ever judged, so the debtor's
//     phone is counted on its own: nobody else's guesses touch it.
//   - The web chat, where no phone identifies anyone, in this order:
//     1. per case and client address (Inbound.Client; an IPv6 client by
//     its /64, clientip.Bucket): dialogs.MaxFailures per
//     dialogs.LockDuration. Fresh sessions from one address share it, and
//     an outsider's wrong guesses lock only the outsider's address: the
//     debtor at home still verifies (issue 13: three guesses by anyone used
//     to lock the case's web chat for everybody).
//     2. per client address over every case: ClientAttempts per
//     ClientWindow, so one client cannot try a few postcodes on every
//     (sequential) dossier number; and per network (clientip.Network: an
//     IPv4 /24, an IPv6 /48) NetworkAttempts per ClientWindow, so one
//     party cannot multiply that by the addresses it holds.
//     3. per case over every address: CaseAttempts per CaseWindow, the
//     ceiling that stops distributed guessing (a botnet). It is a step-up,
//     not a lockout: past it, an attempt that gives the postcode AND the
//     date of birth (with the dossier number) is still judged, both
//     having to match (dialogs.View.BothFactors; limits 1 and 2 still
//     count it); one factor alone is refused. So guessers cannot lock the
//     real debtor out (issue 13), who knows both, and the web chat's
//     failure reply always tells how ("dossiernummer, postcode én
//     geboortedatum samen"), whether or not the number exists.
//     An attempt refused by one of them is not counted by the ones after
//     it, and the counts it took before are given back: one address can
//     therefore spend at most ClientAttempts of a case's ceiling per
//     ClientWindow, and since a count's window is fixed (it starts at the
//     first count), at most 2×ClientAttempts in any CaseWindow — below
//     CaseAttempts, so no single outsider can lock the case's web chat.
//
// The arithmetic of the ceiling. The second factor is a postcode or a date
// of birth, both low-entropy, and dossier numbers are sequential, so
// distributed guessing is bounded only by CaseAttempts judged guesses per
// case per CaseWindow (25 a day):
//
//   - date of birth: ~22,000 plausible days (ages 18 to 80): 25 a day is
//     about 0.1% of them; a year of guessing covers ~40%.
//   - Dutch postcode (4 digits, 2 letters): ~460,000 in use; 25 a day is
//     nothing, even weighted by population.
//   - Belgian postcode (4 digits): ~1,150 in use, and not evenly populated:
//     the 25 largest (Brussels communes, Antwerp, Ghent, Liège …) hold
//     roughly a tenth of the population. That is the weak spot: a botnet
//     gets on the order of one Belgian case in ten on its first day, all
//     of them in a few weeks. Each refused guess is filed in the case's
//     dossier (verification.refused) and a case at its ceiling is logged
//     as a warning, so an operator sees it; asking Belgian web chat
//     debtors for the date of birth would remove it (not done here).
//
// Past the ceiling a guess must hit both factors at once, so the case's
// ceiling no longer bounds it: limits 1 and 2 do. The pair has about
// 22,000 plausible birth dates × 1,150 Belgian postcodes ≈ 2.5×10^7
// combinations (Dutch postcodes: × 460,000 ≈ 10^10). Even weighting the
// Belgian postcode by population (the 25 largest hold a tenth), one guess
// succeeds with probability at most ~1/10 × 1/22,000 ≈ 5×10^-6 when it
// takes the largest postcode, and less for every other one; a client (one
// /64) gets ClientAttempts = 10 such guesses a day over all cases, so
// ~5×10^-5 a day. A botnet of 10,000 /64s, all on one case, makes 10^5
// guesses a day, each filed in the dossier (verification.failed) for the
// operator to see, and still needs on the order of 10^5–10^6 of them
// weighted by population to be likely to succeed — days of a flood that
// is in plain view, against a single case.
//
// A lower ceiling would let one outsider reach it alone; the debtor's
// phone channels are never blocked by it, whatever the web chat's
// guessers do.
//
// An attempt over a limit is not judged. Its reply is the one a wrong
// dossier number gets, so the answer never tells whether a dossier number
// exists or is locked; the case's dossier records the refusal.

// Limits of the web chat's counters.
const (
	ClientAttempts = 10
	// NetworkAttempts bounds a network (an IPv4 /24, an IPv6 /48) over
	// every case and all its clients, in ClientWindow: without it one
	// party holding a /48 could rotate through its 65,536 /64s, ten
	// guesses each, trying a common Belgian postcode on every sequential
	// dossier number (red team session 6, N4).
	NetworkAttempts = 30
	ClientWindow    = 24 * time.Hour
	CaseAttempts    = 25
	CaseWindow      = 24 * time.Hour
)

// attemptKey names a counter by a hash of what it counts: the table holds
// no phone number or address.
func attemptKey(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// phoneKey counts a phone's attempts at a case.
func phoneKey(caseID int64, phone string) string {
	return attemptKey("verify", strconv.FormatInt(caseID, 10), "phone:"+phone)
}

// webClientKey counts a web chat client address's attempts at a case.
func webClientKey(caseID int64, client string) string {
	return attemptKey("verify", strconv.FormatInt(caseID, 10), "web client:"+clientip.Bucket(client))
}

func caseCeilingKey(caseID int64) string {
	return attemptKey("verify", strconv.FormatInt(caseID, 10), "web, all clients")
}

func clientKey(client string) string { return attemptKey("verify-client", clientip.Bucket(client)) }

func networkKey(client string) string {
	return attemptKey("verify-network", clientip.Network(client))
}

// counted is one count taken, to give back when the attempt succeeds.
type counted struct {
	key string
	casestore.AttemptCount
}

// reserve counts an attempt on c before it is judged. ok is false when a
// limit is spent: the attempt must not be judged. The limits are taken in
// order; the first one spent ends the count, and the counts taken before it
// are given back (see above). both says the attempt carries a postcode and
// a date of birth: past the case's ceiling (only) it is still judged, with
// stepUp set: both must match.
func (cv *Conversations) reserve(ctx context.Context, c *casestore.Case, in Inbound, phone string, both bool) (taken []counted, ok, stepUp bool, err error) {
	type limit struct {
		key    string
		max    int
		window time.Duration
	}
	var limits []limit
	if phone != "" {
		limits = []limit{{phoneKey(c.ID, phone), dialogs.MaxFailures, dialogs.LockDuration}}
	} else {
		limits = []limit{{webClientKey(c.ID, in.Client), dialogs.MaxFailures, dialogs.LockDuration}}
		if in.Client != "" {
			limits = append(limits, limit{clientKey(in.Client), ClientAttempts, ClientWindow},
				limit{networkKey(in.Client), NetworkAttempts, ClientWindow})
		}
		limits = append(limits, limit{caseCeilingKey(c.ID), CaseAttempts, CaseWindow})
	}
	now := cv.now()
	for i, l := range limits {
		n, until, err := cv.Store.CountAttempt(ctx, l.key, now, l.window)
		if err != nil {
			return taken, false, false, err
		}
		if n > l.max {
			ceiling := i == len(limits)-1 && phone == ""
			if ceiling && n == l.max+1 {
				cv.log().Warn("web chat verification of a case reached its ceiling: guesses from many addresses",
					"case", c.ID, "until", until)
			}
			if ceiling && both {
				// The step-up: judged on both factors, counted by the
				// limits before the ceiling.
				return taken, true, true, nil
			}
			cv.refund(ctx, taken)
			return []counted{{l.key, casestore.AttemptCount{N: n, Until: until}}}, false, false, nil
		}
		taken = append(taken, counted{l.key, casestore.AttemptCount{N: n, Until: until}})
	}
	return taken, true, false, nil
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

// senderLocks marks the view locked when this phone has spent its own
// attempts on one of the cases (nil ones are skipped). The web chat is not
// shown a lock: its attempts over a limit are refused as an unknown
// dossier number would be (reserve), so a fresh session cannot learn that
// a dossier number exists.
func (cv *Conversations) senderLocks(ctx context.Context, v *dialogs.View, phone string, cases ...*casestore.Case) error {
	if phone == "" {
		return nil
	}
	var keys []string
	for _, c := range cases {
		if c != nil {
			keys = append(keys, phoneKey(c.ID, phone))
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
