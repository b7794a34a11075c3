package dialogs

import (
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// stateAt is a conversation standing at node n, verified or not.
func stateAt(n Node, verified bool, now time.Time) State {
	st := State{Node: n, Phone: phoneOnFile, LastAt: now.Add(-time.Minute), Candidates: []int64{101}}
	if verified {
		st.Verified, st.CaseID, st.VerifiedAt = true, 101, now.Add(-time.Hour)
	}
	if n == NodeLocked {
		st.LockedUntil = now.Add(5 * time.Minute)
	}
	return st
}

func viewFor(st State, c *casestore.Case) View {
	v := View{PhoneCases: []*casestore.Case{c}}
	if st.Verified {
		v.Case = c
	}
	return v
}

// Every node, verified or not, accepts the menu, stop, a person and a
// language switch: there is always a way out.
func TestEveryNodeHasAWayOut(t *testing.T) {
	now := convNow
	exits := []struct {
		say   string
		check func(r Result) string
	}{
		{"menu", func(r Result) string {
			if len(r.Replies) == 0 || r.Replies[0].Text == "" {
				return "no reply"
			}
			if r.State.Verified && r.State.Node != NodeMenu {
				return "verified debtor not at the menu: " + string(r.State.Node)
			}
			if isFlowNode(r.State.Node) {
				return "still inside a flow: " + string(r.State.Node)
			}
			return ""
		}},
		{"stop", func(r Result) string {
			if !hasKind(r.Effects, "optout") || !r.State.OptedOut {
				return "no opt-out"
			}
			return ""
		}},
		{"mens", func(r Result) string {
			if !hasKind(r.Effects, "handoff") || r.State.Node != NodeHandoff {
				return "no handoff"
			}
			return ""
		}},
		{"person", func(r Result) string {
			if !hasKind(r.Effects, "handoff") {
				return "no handoff"
			}
			return ""
		}},
		{"in English please", func(r Result) string {
			if r.State.Lang != casestore.English || len(r.Replies) == 0 || !strings.Contains(r.Replies[0].Text, "English") {
				return "language not switched"
			}
			return ""
		}},
	}
	for _, n := range AllNodes {
		for _, verified := range []bool{false, true} {
			for _, exit := range exits {
				c := fixtureCase(casestore.Minnelijk)
				st := stateAt(n, verified, now)
				r := Step(st, Event{Kind: EventText, Text: exit.say, Channel: "sms", Phone: phoneOnFile}, viewFor(st, c), now)
				if msg := exit.check(r); msg != "" {
					t.Errorf("node %q verified=%v, %q: %s", n, verified, exit.say, msg)
				}
			}
		}
	}
}

func hasKind(es []Effect, kind string) bool {
	for _, e := range es {
		if e.Kind() == kind {
			return true
		}
	}
	return false
}

// A wrong dossier number and a wrong postcode get exactly the same reply,
// so the assistant cannot be used to find out which dossiers exist.
func TestNoDossierEnumeration(t *testing.T) {
	reply := func(text string) string {
		rt := &runtimeFake{c: fixtureCase(casestore.Minnelijk)}
		st := stateAt(NodeVerifyRef, false, convNow)
		return replyText(rt.step(st, Event{Kind: EventText, Text: text, Phone: phoneOnFile}, convNow))
	}
	wrongRef := reply("IB-2099-999999, postcode 1234AB")
	wrongPostcode := reply(refOnFile + ", postcode 9999ZZ")
	if wrongRef != wrongPostcode {
		t.Errorf("replies differ:\nunknown dossier: %s\nwrong postcode:  %s", wrongRef, wrongPostcode)
	}
	if strings.Contains(wrongRef, "IB-2099") || strings.Contains(wrongRef, refOnFile) {
		t.Errorf("the reply repeats the dossier number: %s", wrongRef)
	}
}

// A lock the runtime reports (from another conversation or channel) is
// honoured even when this conversation's own state is fresh.
func TestLockFromAnotherConversation(t *testing.T) {
	c := fixtureCase(casestore.Minnelijk)
	v := View{PhoneCases: []*casestore.Case{c}, CaseLocked: true, LockedUntil: convNow.Add(10 * time.Minute)}
	r := Step(State{}, Event{Kind: EventText, Text: refOnFile + ", postcode 1234AB", Phone: phoneOnFile}, v, convNow)
	if r.State.Verified || r.State.Node != NodeLocked || !strings.Contains(replyText(r), "te veel pogingen") {
		t.Errorf("locked case verified or not told: node %q, reply %s", r.State.Node, replyText(r))
	}
}

// A verified state whose case the runtime no longer passes (lost, or
// another case) does not show anything and asks to identify again.
func TestVerifiedStateWithoutCaseAsksAgain(t *testing.T) {
	c := fixtureCase(casestore.Minnelijk)
	st := stateAt(NodeMenu, true, convNow)
	r := Step(st, Event{Kind: EventText, Text: "saldo", Phone: phoneOnFile}, View{PhoneCases: []*casestore.Case{c}}, convNow)
	if r.State.Verified || len(r.Entries) != 0 {
		t.Fatalf("still verified or entries written: %+v", r)
	}
	for _, s := range caseSecrets(c) {
		if strings.Contains(replyText(r), s) {
			t.Errorf("leaks %q", s)
		}
	}
}
