package dialogs

import "github.com/incassobot/incassobot/casestore"

// Call me back: a preferred time in the debtor's words (and as a day when
// one is recognised); a collector calls the number on file.

func (t *turn) startCallback() {
	if len(t.u.Dates) > 0 {
		t.requestCallback()
		return
	}
	t.st.Node = NodeCallbackTime
	t.say(kCallbackAsk)
}

func (t *turn) callbackAnswer() bool {
	if t.text == "" {
		return false
	}
	t.requestCallback()
	return true
}

func (t *turn) requestCallback() {
	phone := t.st.Phone
	if t.ev.Channel == ChannelEmail {
		phone = "" // the e-mail address, not a number to call
	}
	if phone == "" && len(t.c.Debtor.Phones) > 0 {
		phone = t.c.Debtor.Phones[0]
	}
	rc := RequestCallback{CaseID: t.c.ID, Phone: phone, Preferred: clip(t.text, 200)}
	if len(t.u.Dates) > 0 {
		at := casestore.DayOf(t.u.Dates[0])
		rc.At = &at
	}
	t.effect(rc)
	t.entry(t.c.ID, "callback.requested", actorDebtor, map[string]any{"phone": phone, "preferred": rc.Preferred, "at": rc.At})
	t.st.Flow = Scratch{}
	t.say(kCallbackDone, "phone", maskPhone(phone))
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// maskPhone shows only the last three digits: the debtor recognises the
// number, a bystander reading the screen does not learn it.
func maskPhone(p string) string {
	r := []rune(p)
	if len(r) <= 3 {
		return p
	}
	return string(r[len(r)-3:])
}
