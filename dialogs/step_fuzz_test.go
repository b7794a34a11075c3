package dialogs

import (
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// hostileInputs are messages no debtor should be able to crash the dialog
// with, or use to see case data before verification.
var hostileInputs = []string{
	"",
	"   \t\n ",
	strings.Repeat("betalen ", 1300), // ~10 kB
	strings.Repeat("€", 4000),
	"😡😡😡 💸💸 🙏",
	"مرحبا، كم يجب أن أدفع؟",    // RTL Arabic
	"שלום \u202Eמה היתרה\u202C", // RTL Hebrew with an override
	"\x00\x01\x02\x1b[31mred\x1b[0m\x7f",
	"\xff\xfe\xfd invalid utf-8",
	"IB-2026-000123",
	"F-1001 F-1002 1234AB 14-03-1985",
	"{{name}} {open} %s %v <script>alert(1)</script>",
	"9999999999999999999999999999 euro per maand in 99999 termijnen",
	"0", "10", "-5 euro", "1e308",
}

// No input, from any node, verified or not, panics; before verification no
// reply shows case data.
func TestHostileInputsFromEveryNode(t *testing.T) {
	defer func(old bool) { catchPanics = old }(catchPanics)
	catchPanics = false
	for _, n := range AllNodes {
		for _, verified := range []bool{false, true} {
			for _, text := range hostileInputs {
				c := fixtureCase(casestore.Minnelijk)
				st := stateAt(n, verified, convNow)
				r := Step(st, Event{Kind: EventText, Text: text, Phone: phoneOnFile}, viewFor(st, c), convNow)
				if len(r.Replies) == 0 && r.LookupRef == "" {
					t.Errorf("node %q verified=%v, %.30q: no reply", n, verified, text)
				}
				if !r.State.Verified {
					assertNoLeak(t, r, c, text)
				}
			}
		}
	}
}

func assertNoLeak(t *testing.T, r Result, c *casestore.Case, input string) {
	t.Helper()
	text := replyText(r)
	for _, s := range caseSecrets(c) {
		if strings.Contains(text, s) {
			t.Errorf("before verification the reply to %.40q shows %q:\n%s", input, s, text)
		}
	}
	for _, e := range r.Entries {
		switch e.Kind {
		case "verification.failed", "verification.locked", "handoff.requested", "optout", "optin":
		case "representative.filed":
			// Someone writing for the debtor: what they wrote is filed in
			// the case on file for the phone, and nothing is told them.
			if strings.Contains(text, c.Ref) || strings.Contains(text, c.Debtor.Name) {
				t.Errorf("a representative was told about the case: %s", text)
			}
		default:
			t.Errorf("before verification an entry %q was written", e.Kind)
		}
	}
}

// FuzzStep drives Step with random text and events from any node, verified
// or not, with or without a phone on file, and a random pause.
func FuzzStep(f *testing.F) {
	for i, s := range hostileInputs {
		f.Add(s, uint8(i), i%2 == 0, uint8(0), "image/jpeg", int64(1000), uint16(i))
	}
	f.Add("IB-2026-000123, postcode 1234AB", uint8(0), false, uint8(0), "", int64(0), uint16(0))
	f.Add("kan ik 50 euro per maand betalen", uint8(7), true, uint8(0), "", int64(0), uint16(1))
	f.Add("", uint8(15), true, uint8(1), "application/pdf", int64(5000), uint16(2))
	f.Add("", uint8(2), false, uint8(2), "", int64(0), uint16(3))
	f.Add("", uint8(5), false, uint8(3), "", int64(0), uint16(4))
	defer func(old bool) { catchPanics = old }(catchPanics)
	catchPanics = false
	f.Fuzz(func(t *testing.T, text string, node uint8, verified bool, kind uint8, ctype string, size int64, pause uint16) {
		c := fixtureCase(casestore.Minnelijk)
		st := stateAt(AllNodes[int(node)%len(AllNodes)], verified, convNow)
		now := convNow.Add(time.Duration(pause) * time.Minute)
		v := viewFor(st, c)
		ev := Event{Kind: EventText, Text: text, Phone: phoneOnFile, Channel: "sms"}
		switch kind % 5 {
		case 1:
			ev = Event{Kind: EventMedia, Text: text, Media: &Media{ContentType: ctype, Ref: text, Size: size}, Phone: phoneOnFile}
		case 2:
			ev = Event{Kind: EventPhoneShared, Phone: text}
		case 3:
			ev.Kind = EventCaseLoaded
			st.PendingRef = text
			v.Lookup, v.LookupRef = c, text
		case 4:
			v = View{} // the runtime found nothing on file
			st.Phone = ""
			ev.Phone = ""
		}
		r := Step(st, ev, v, now)
		if !r.State.Verified {
			assertNoLeak(t, r, c, text)
		}
		if _, err := jsonRoundTrip(r.State); err != nil {
			t.Fatalf("state does not survive JSON: %v", err)
		}
	})
}
