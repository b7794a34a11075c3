package dialogs

import (
	"github.com/incassobot/incassobot/casestore"
)

// actorDebtor is who caused entries the debtor asked for.
const actorDebtor = casestore.ActorDebtor

// handoff passes the conversation to a person. Hardship and abuse come
// first in the queue; the reply is kind (and never mirrors an insult).
func (t *turn) handoff(reason string, priority int, k msgKey, args ...string) {
	caseID := t.verifiedID()
	if caseID == 0 && t.v.HandoffBusy {
		t.st.Flow = Scratch{}
		t.say(kHandoffBusy)
		return
	}
	t.st.Flow = Scratch{}
	t.st.Node = NodeHandoff
	t.effect(Handoff{CaseID: caseID, Reason: reason, Priority: priority})
	t.entry(caseID, "handoff.requested", actorDebtor, map[string]any{"reason": reason, "priority": priority})
	t.say(k, args...)
	office := t.v.Office
	if office.IsZero() {
		office = casestore.DefaultOfficeHours()
	}
	if office.IsOpen(t.now) {
		t.say(kHandoffSoon)
	} else {
		t.say(kHandoffNextDay, "when", opening(t.st.language(), office.NextOpening(t.now)))
	}
}

// handoffWaiting answers a message that arrives while a person is asked.
func (t *turn) handoffWaiting() bool {
	switch t.u.Intent {
	case IntentUnknown, IntentGreeting, "":
		t.say(kHandoffWaiting)
		return true
	}
	return false
}

// trouble: something the assistant needs failed (a balance that cannot be
// computed); a person takes over rather than the debtor seeing a wrong figure.
func (t *turn) trouble(what string, err error) {
	caseID := t.verifiedID()
	t.entry(caseID, "dialog.error", casestore.ActorSystem, map[string]any{"what": what, "error": err.Error()})
	t.st.Flow = Scratch{}
	t.st.Node = NodeHandoff
	t.effect(Handoff{CaseID: caseID, Reason: "error: " + what, Priority: PriorityNormal})
	t.say(kTrouble)
}
