package dialogs

import "strings"

// Stop: the debtor opts out of automated messages. The runtime stops
// sending unsolicited messages; the debtor may still write and is answered.

func (t *turn) optOut() {
	t.st.OptedOut = true
	t.st.Flow = Scratch{}
	t.st.Node = NodeOptedOut
	caseID := t.verifiedID()
	t.effect(OptOut{CaseID: caseID, Phone: t.st.Phone, Channel: t.ev.Channel, From: t.ev.From})
	t.entry(caseID, "optout", actorDebtor, map[string]any{"channel": t.ev.Channel})
	t.say(kStopDone)
}

func (t *turn) optIn() {
	t.st.OptedOut = false
	caseID := t.verifiedID()
	t.effect(OptIn{CaseID: caseID, Phone: t.st.Phone, Channel: t.ev.Channel, From: t.ev.From})
	t.entry(caseID, "optin", actorDebtor, map[string]any{"channel": t.ev.Channel})
	t.say(kStartDone)
	if t.c != nil {
		t.showMenu()
		return
	}
	t.st.Node = NodeStart
}

// isOptIn reports whether the whole message asks to receive messages again.
func isOptIn(low string) bool {
	switch strings.Trim(strings.TrimSpace(low), ".!") {
	case "start", "aanmelden", "weer aanmelden", "subscribe", "unstop", "commencer", "reprendre":
		return true
	}
	return false
}

// verifiedID is the verified case's id, or 0.
func (t *turn) verifiedID() int64 {
	if t.c != nil {
		return t.c.ID
	}
	return 0
}
