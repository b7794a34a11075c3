package followup

import (
	"slices"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Rules are the contact rules every automated message obeys. The zero
// value is not usable: start from DefaultRules.
type Rules struct {
	// QuietFrom and QuietTo bound the hours, in the debtor's local time,
	// when nothing automated is sent: 21 and 8 mean 21:00–08:00. Equal
	// hours: no quiet hours.
	QuietFrom, QuietTo int
	// WeeklyCap is the most automated messages to one debtor in any 7
	// days (rolling); 0 means no cap.
	WeeklyCap int
}

// DefaultRules: quiet 21:00–08:00, at most 3 automated messages in 7 days.
var DefaultRules = Rules{QuietFrom: 21, QuietTo: 8, WeeklyCap: 3}

// capWindow is the rolling window of the cap.
const capWindow = 7 * 24 * time.Hour

// Contact is what the rules look at for one automated message.
type Contact struct {
	Country string // "NL" or "BE": time zone and public holidays
	// Sent are the moments automated messages went to this debtor (any
	// case, any channel); older than 7 days may be included.
	Sent []time.Time
	// Refused, when set, is why the message may not go at all: the
	// address opted out, the debtor's contact preference, collection
	// stopped (casestore.MayAutomate's reason).
	Refused string
	// HeldByCollector: a collector holds the conversation (an open
	// handoff); the bot keeps quiet until it is handed back.
	HeldByCollector bool
}

// Verdict is what the rules decide.
type Verdict struct {
	Send    bool
	Refused string    // never send, and why (a skip entry)
	Until   time.Time // held back until this moment (a snooze)
	Held    string    // why it is held back
}

// HeldRecheck is how long a message held back for a collector waits
// before it asks again: the hand-back is not a moment the rules can know.
const HeldRecheck = 2 * time.Hour

// Decide applies the rules at now. A refusal wins over a hold; a hold
// names the first rule that stopped the message at now and gives the
// first moment at which no rule stops it.
func (r Rules) Decide(now time.Time, c Contact) Verdict {
	if c.Refused != "" {
		return Verdict{Refused: c.Refused}
	}
	if c.HeldByCollector {
		return Verdict{Until: r.NextAllowed(now.Add(HeldRecheck), c), Held: "a collector holds the conversation"}
	}
	why := r.blocked(now, c)
	if why == "" {
		return Verdict{Send: true}
	}
	return Verdict{Until: r.NextAllowed(now, c), Held: why}
}

// NextAllowed is the first moment at or after t when no rule holds a
// message back (a refusal is not a hold: see Decide).
func (r Rules) NextAllowed(t time.Time, c Contact) time.Time {
	loc := location(c.Country)
	for range 400 { // each step moves forward; a year of holidays ends it
		l := t.In(loc)
		switch r.blockedKind(t, c) {
		case "":
			return t
		case kindDay:
			t = time.Date(l.Year(), l.Month(), l.Day()+1, r.QuietTo, 0, 0, 0, loc)
		case kindQuiet:
			end := time.Date(l.Year(), l.Month(), l.Day(), r.QuietTo, 0, 0, 0, loc)
			if !end.After(l) {
				end = time.Date(l.Year(), l.Month(), l.Day()+1, r.QuietTo, 0, 0, 0, loc)
			}
			t = end
		case kindCap:
			t = r.capFreesAt(t, c.Sent)
		}
	}
	return t
}

const (
	kindDay   = "day"
	kindQuiet = "quiet"
	kindCap   = "cap"
)

func (r Rules) blocked(t time.Time, c Contact) string {
	l := t.In(location(c.Country))
	switch r.blockedKind(t, c) {
	case kindDay:
		if l.Weekday() == time.Sunday {
			return "Sunday"
		}
		return "public holiday"
	case kindQuiet:
		return "quiet hours"
	case kindCap:
		return "weekly contact cap"
	}
	return ""
}

func (r Rules) blockedKind(t time.Time, c Contact) string {
	l := t.In(location(c.Country))
	day := casestore.Date(l.Year(), l.Month(), l.Day())
	if l.Weekday() == time.Sunday || casestore.IsPublicHoliday(c.Country, day) {
		return kindDay
	}
	if r.quiet(l.Hour()) {
		return kindQuiet
	}
	if r.WeeklyCap > 0 && len(inWindow(t, c.Sent)) >= r.WeeklyCap {
		return kindCap
	}
	return ""
}

func (r Rules) quiet(h int) bool {
	switch {
	case r.QuietFrom == r.QuietTo:
		return false
	case r.QuietFrom > r.QuietTo: // over midnight
		return h >= r.QuietFrom || h < r.QuietTo
	default:
		return h >= r.QuietFrom && h < r.QuietTo
	}
}

// inWindow are the moments in (t-7d, t], oldest first.
func inWindow(t time.Time, sent []time.Time) []time.Time {
	var w []time.Time
	for _, s := range sent {
		if s.After(t.Add(-capWindow)) && !s.After(t) {
			w = append(w, s)
		}
	}
	slices.SortFunc(w, func(a, b time.Time) int { return a.Compare(b) })
	return w
}

// capFreesAt is when enough of the messages in the window at t have left
// it for one more.
func (r Rules) capFreesAt(t time.Time, sent []time.Time) time.Time {
	w := inWindow(t, sent)
	k := len(w) - r.WeeklyCap // the (k+1)th oldest must leave
	return w[k].Add(capWindow)
}

// location is the debtor's time zone.
func location(country string) *time.Location {
	if country == "BE" {
		return brussels
	}
	return casestore.Amsterdam
}

var brussels = func() *time.Location {
	l, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return casestore.Amsterdam // the same offsets all year
	}
	return l
}()
