package followup

import (
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, casestore.Amsterdam)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDecide(t *testing.T) {
	r := DefaultRules
	three := []time.Time{at("2026-11-30 10:00"), at("2026-12-01 10:00"), at("2026-12-02 09:00")}
	cases := []struct {
		name    string
		now     string
		c       Contact
		send    bool
		refused string
		held    string
		until   string
	}{
		{name: "weekday morning", now: "2026-12-02 10:00", c: Contact{Country: "NL"}, send: true},
		{name: "Saturday is allowed", now: "2026-12-05 10:00", c: Contact{Country: "NL"}, send: true},
		{name: "Sunday waits for Monday 08:00", now: "2026-12-06 12:00", c: Contact{Country: "NL"}, held: "Sunday", until: "2026-12-07 08:00"},
		{name: "late evening waits for the morning", now: "2026-12-02 21:30", c: Contact{Country: "NL"}, held: "quiet hours", until: "2026-12-03 08:00"},
		{name: "early morning waits until 08:00", now: "2026-12-03 06:59", c: Contact{Country: "NL"}, held: "quiet hours", until: "2026-12-03 08:00"},
		{name: "08:00 sharp is allowed", now: "2026-12-03 08:00", c: Contact{Country: "NL"}, send: true},
		{name: "Saturday night skips Sunday", now: "2026-12-05 22:00", c: Contact{Country: "NL"}, held: "quiet hours", until: "2026-12-07 08:00"},
		{name: "Christmas Eve night skips both Christmas days in NL", now: "2026-12-24 23:00", c: Contact{Country: "NL"}, held: "quiet hours", until: "2026-12-28 08:00"},
		{name: "Belgium has no second Christmas day", now: "2026-12-24 23:00", c: Contact{Country: "BE"}, held: "quiet hours", until: "2026-12-26 08:00"},
		{name: "11 November is a Belgian holiday", now: "2026-11-11 10:00", c: Contact{Country: "BE"}, held: "public holiday", until: "2026-11-12 08:00"},
		{name: "11 November is a Dutch working day", now: "2026-11-11 10:00", c: Contact{Country: "NL"}, send: true},
		{name: "King's Day is a Dutch holiday", now: "2026-04-27 10:00", c: Contact{Country: "NL"}, held: "public holiday", until: "2026-04-28 08:00"},
		{name: "the cap holds the fourth message until the oldest is 7 days old",
			now: "2026-12-02 10:00", c: Contact{Country: "NL", Sent: three}, held: "weekly contact cap", until: "2026-12-07 10:00"},
		{name: "a message 7 days old no longer counts",
			now: "2026-12-07 10:00", c: Contact{Country: "NL", Sent: three}, send: true},
		{name: "two in the window leave room", now: "2026-12-02 10:00", c: Contact{Country: "NL", Sent: three[1:]}, send: true},
		{name: "opted out is refused, not held", now: "2026-12-06 12:00", c: Contact{Country: "NL", Refused: "opted out"}, refused: "opted out"},
		{name: "collection stopped is refused", now: "2026-12-02 10:00", c: Contact{Country: "NL", Refused: "collection stopped: bewindvoering"}, refused: "collection stopped: bewindvoering"},
		{name: "a collector holding the chat holds it back", now: "2026-12-02 10:00", c: Contact{Country: "NL", HeldByCollector: true},
			held: "a collector holds the conversation", until: "2026-12-02 12:00"},
		{name: "held by a collector late at night asks again in the morning", now: "2026-12-02 20:00", c: Contact{Country: "NL", HeldByCollector: true},
			held: "a collector holds the conversation", until: "2026-12-03 08:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := r.Decide(at(tc.now), tc.c)
			if v.Send != tc.send || v.Refused != tc.refused || v.Held != tc.held {
				t.Fatalf("Decide = %+v, want send=%v refused=%q held=%q", v, tc.send, tc.refused, tc.held)
			}
			if tc.until != "" && !v.Until.Equal(at(tc.until)) {
				t.Fatalf("held until %s, want %s", v.Until.In(casestore.Amsterdam), tc.until)
			}
		})
	}
}

func TestQuietHoursConfigurable(t *testing.T) {
	r := Rules{QuietFrom: 20, QuietTo: 9, WeeklyCap: 1}
	if v := r.Decide(at("2026-12-02 20:30"), Contact{Country: "NL"}); v.Held != "quiet hours" || !v.Until.Equal(at("2026-12-03 09:00")) {
		t.Fatalf("20:30 with quiet 20-9: %+v", v)
	}
	if v := r.Decide(at("2026-12-02 10:00"), Contact{Country: "NL", Sent: []time.Time{at("2026-12-01 10:00")}}); v.Held != "weekly contact cap" || !v.Until.Equal(at("2026-12-08 10:00")) {
		t.Fatalf("cap 1: %+v", v)
	}
}
