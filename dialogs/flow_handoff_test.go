package dialogs

import (
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// The debtor is told honestly when a person will answer: soon inside the
// configured office hours, otherwise from the next opening, named in their
// language.
func TestHandoffNamesTheNextOpening(t *testing.T) {
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, casestore.Amsterdam) }
	belgian, err := casestore.ParseOfficeHours("mon-fri 08:30-16:30", "be")
	if err != nil {
		t.Fatal(err)
	}
	saturdays, err := casestore.ParseOfficeHours("mon-sat 9-17", "nl")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		lang    casestore.Language
		office  casestore.OfficeHours
		now     time.Time
		want    string
		wantNot string
	}{
		{"open: soon", casestore.Dutch, casestore.OfficeHours{}, at(11, 24, 10), "binnen een uur", "gesloten"},
		{"Friday night: Monday", casestore.Dutch, casestore.OfficeHours{}, at(11, 27, 22), "vanaf maandag 30 november om 9:00", "binnen een uur"},
		{"Friday night, open on Saturdays", casestore.Dutch, saturdays, at(11, 27, 22), "vanaf zaterdag 28 november om 9:00", ""},
		{"Christmas Eve evening", casestore.English, casestore.OfficeHours{}, at(12, 24, 19), "from Monday 28 December at 9:00", "within an hour"},
		{"Belgian national day", casestore.French, belgian, at(7, 21, 10), "à partir du mercredi 22 juillet à 8h30", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := State{Lang: tc.lang, LangSource: "chosen"}
			say := map[casestore.Language]string{casestore.Dutch: "ik wil een medewerker spreken", casestore.English: "I want to talk to a person", casestore.French: "je veux parler à une personne"}[tc.lang]
			res := Step(st, Event{Kind: EventText, Text: say, Channel: "sms", From: phoneOther, Phone: phoneOther},
				View{Office: tc.office}, tc.now)
			text := replyText(res)
			if !strings.Contains(text, tc.want) || (tc.wantNot != "" && strings.Contains(text, tc.wantNot)) {
				t.Errorf("reply %q: want %q, not %q", text, tc.want, tc.wantNot)
			}
			if res.State.Node != NodeHandoff {
				t.Errorf("node %s, want handoff", res.State.Node)
			}
		})
	}
}
