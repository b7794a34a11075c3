package dialogs

import (
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Identification: the sender's phone number must be on file for the case,
// and the debtor must give the case's dossier number plus the postcode or
// the date of birth on file. Nothing about a case is said before that. The
// answers never reveal whether a dossier number exists: a wrong number and
// a wrong postcode get the same reply.
//
// The web chat has no phone number: there the dossier number plus the
// postcode or date of birth are the whole identification. The dossier is
// looked up by the runtime (Result.LookupRef), the same three-strikes lock
// applies to the case, and nobody is asked to share a phone.

// ChannelWeb is the web chat, where no phone number identifies the debtor.
const ChannelWeb = "web"

// phoneless reports whether this conversation identifies without a phone
// number (the web chat).
func (t *turn) phoneless() bool { return t.ev.Channel == ChannelWeb && t.st.Phone == "" }

// identify asks for whatever identification is still missing.
func (t *turn) identify() {
	if t.locked() {
		t.sayLocked()
		return
	}
	if t.phoneless() {
		t.identifyWithoutPhone()
		return
	}
	if t.st.Phone == "" {
		t.st.Node = NodeAskPhone
		t.askPhone = true
		t.say(kAskPhone)
		return
	}
	if len(t.v.PhoneCases) == 0 {
		t.st.Node = NodeUnknownNumber
		t.say(kUnknownNumber)
		return
	}
	t.st.Candidates = t.st.Candidates[:0:0]
	for _, c := range t.v.PhoneCases {
		if c != nil {
			t.st.Candidates = append(t.st.Candidates, c.ID)
		}
	}
	if t.st.PendingRef != "" {
		t.st.Node = NodeVerifyFactor
		t.say(kVerifyAskFactor)
		return
	}
	t.st.Node = NodeVerifyRef
	t.say(kVerifyAsk)
}

// identifyWithoutPhone asks a web chat debtor for the dossier number and
// postcode or date of birth; there are no phone cases to narrow them to.
func (t *turn) identifyWithoutPhone() {
	t.st.Candidates = nil
	if t.st.PendingRef != "" {
		t.st.Node = NodeVerifyFactor
		t.say(kVerifyAskFactor)
		return
	}
	t.st.Node = NodeVerifyRef
	t.say(kWebVerifyAsk)
}

// identifyAnswer reads a dossier number, postcode or birth date.
func (t *turn) identifyAnswer() bool {
	u := t.u
	if u.Postcode == "" {
		u.Postcode = t.belgianPostcode()
	}
	if u.DossierRef == "" && u.Postcode == "" && u.BirthDate == nil {
		return false
	}
	if t.locked() {
		t.sayLocked()
		return true
	}
	if t.c == nil && t.st.PendingIntent == "" && pendable(u.Intent) {
		// "… die heb ik al betaald, mijn nummer is IB 2026 000105 en
		// postcode 1012 AB": the request is answered once identified.
		t.st.PendingIntent, t.st.PendingText = u.Intent, t.text
	}
	if t.st.Phone == "" && !t.phoneless() {
		t.identify()
		return true
	}
	if u.DossierRef != "" {
		t.st.PendingRef = u.DossierRef
	}
	if u.Postcode != "" {
		t.st.PendingPC = u.Postcode
	}
	if u.BirthDate != nil {
		t.st.PendingDOB = casestore.DayOf(*u.BirthDate)
	}
	switch {
	case t.st.PendingRef == "":
		t.st.Node = NodeVerifyRef
		t.say(kVerifyAskRef)
	case t.st.PendingPC == "" && t.st.PendingDOB.IsZero():
		t.st.Node = NodeVerifyFactor
		t.say(kVerifyAskFactor)
	default:
		t.checkIdentity()
	}
	return true
}

// belgianPostcode reads a bare four-digit number as a Belgian postcode
// when it can only be one: typed with a dossier number ("IB-2026-000113
// 9000") or in answer to the question for a postcode. Elsewhere four
// digits are an amount or a year, so the parser leaves the choice here.
func (t *turn) belgianPostcode() string {
	if t.u.DossierRef == "" && t.st.Node != NodeVerifyFactor {
		return ""
	}
	for _, n := range t.u.Numbers {
		if n >= 1000 && n <= 9999 {
			return strconv.Itoa(n)
		}
	}
	return ""
}

// checkIdentity compares the pending details with the phone's cases; a
// dossier number that is not among them is looked up by the runtime so the
// failed attempt counts against (and can lock) that case too.
func (t *turn) checkIdentity() {
	ref := normRef(t.st.PendingRef)
	for _, c := range t.v.PhoneCases {
		if c == nil || normRef(c.Ref) != ref {
			continue
		}
		if t.factorMatches(c) {
			t.verified(c)
		} else {
			t.failed([]int64{c.ID}, "second factor")
		}
		return
	}
	t.lookup = t.st.PendingRef
	t.st.Node = NodeVerifyLookup
}

// verifyLookedUp finishes a check after the runtime looked up a dossier
// number that is not among the phone's cases.
func (t *turn) verifyLookedUp() {
	if t.locked() {
		t.sayLocked()
		return
	}
	c := t.v.Lookup
	if c != nil && normRef(c.Ref) != normRef(t.st.PendingRef) {
		c = nil // an answer to another question: treat as not found
	}
	// On the web there is no phone to match: the second factor decides.
	if c != nil && (t.phoneless() || onFile(c, t.st.Phone)) && t.factorMatches(c) {
		t.verified(c)
		return
	}
	ids := append([]int64(nil), t.st.Candidates...)
	reason := "unknown dossier number"
	if c != nil {
		reason = "phone not on file for this dossier"
		if t.phoneless() {
			reason = "second factor"
		}
		if !containsID(ids, c.ID) {
			ids = append(ids, c.ID)
		}
	}
	t.failed(ids, reason)
}

// verified opens the case to the debtor and carries out what was asked.
func (t *turn) verified(c *casestore.Case) {
	t.st.Verified, t.st.CaseID, t.st.VerifiedAt = true, c.ID, t.now
	t.st.Failures, t.st.LockedUntil = 0, time.Time{}
	t.st.PendingRef, t.st.PendingPC, t.st.PendingDOB = "", "", time.Time{}
	t.st.Node = NodeMenu
	if t.st.LangSource == "" && validLang(c.Debtor.Language) {
		t.st.Lang, t.st.LangSource = c.Debtor.Language, "file"
	}
	t.c = c
	t.entry(c.ID, "verification.succeeded", casestore.ActorSystem, t.who())
	t.droppable = append(t.droppable, len(t.parts)) // the answer that follows shows it worked
	t.say(kVerified, "name", c.Debtor.Name)
	pending, text := t.st.PendingIntent, t.st.PendingText
	t.st.PendingIntent, t.st.PendingText = "", ""
	if t.collectionStopped() {
		return // bewindvoering or a debt settlement: a person answers
	}
	if text != "" {
		// What the debtor asked before identifying, with its amounts,
		// dates and terms, read again now that the case is known.
		t.text, t.low = text, strings.ToLower(text)
		t.u = Understand(text, t.now)
		t.u.Intent = pending
	}
	if pending == "" || !t.startIntent(pending) {
		t.showMenu()
	}
}

// pendable reports whether a request waits for identification.
func pendable(i Intent) bool {
	switch i {
	case IntentBalance, IntentDispute, IntentPlan, IntentPromise, IntentAlreadyPaid,
		IntentPayNow, IntentCallback, IntentCaseStatus, IntentAboutUs:
		return true
	}
	return false
}

// failed counts a wrong attempt; the third locks verification.
func (t *turn) failed(caseIDs []int64, reason string) {
	t.st.Failures++
	t.st.PendingRef, t.st.PendingPC, t.st.PendingDOB = "", "", time.Time{}
	for _, id := range caseIDs {
		body := t.who()
		body["attempt"], body["reason"] = t.st.Failures, reason
		t.entry(id, "verification.failed", casestore.ActorSystem, body)
	}
	if t.st.Failures >= MaxFailures {
		until := t.now.Add(LockDuration)
		t.st.LockedUntil, t.st.Node = until, NodeLocked
		for _, id := range caseIDs {
			t.effect(LockVerification{CaseID: id, Until: until})
			t.entry(id, "verification.locked", casestore.ActorSystem, map[string]any{"until": until})
		}
		if t.st.Phone != "" {
			t.effect(LockVerification{Phone: t.st.Phone, Until: until})
		}
		t.say(kLocked, "time", clock(until))
		return
	}
	left := itoa(MaxFailures - t.st.Failures)
	if len(t.v.PhoneCases) == 0 && !t.phoneless() {
		t.st.Node = NodeUnknownNumber
		t.say(kVerifyFailedUnknownPhone, "left", left)
		return
	}
	t.st.Node = NodeVerifyRef
	if t.phoneless() {
		t.say(kWebVerifyFailed, "left", left)
		return
	}
	t.say(kVerifyFailed, "left", left)
}

// who identifies the sender in a verification entry: the phone number, or
// on the web chat the session it wrote from.
func (t *turn) who() map[string]any {
	if t.phoneless() {
		return map[string]any{"phone": "", "channel": t.ev.Channel, "from": t.ev.From}
	}
	return map[string]any{"phone": t.st.Phone}
}

// locked reports whether verification is refused now, here or (as the
// runtime reports) for one of the cases.
func (t *turn) locked() bool {
	if t.v.CaseLocked && (t.v.LockedUntil.IsZero() || t.v.LockedUntil.After(t.now)) {
		if t.v.LockedUntil.After(t.st.LockedUntil) {
			t.st.LockedUntil = t.v.LockedUntil
		}
		return true
	}
	return t.st.LockedUntil.After(t.now)
}

func (t *turn) sayLocked() {
	t.st.Node = NodeLocked
	until := t.st.LockedUntil
	if until.IsZero() {
		until = t.now.Add(LockDuration)
	}
	t.say(kLocked, "time", clock(until))
}

// phoneShared continues after Telegram's contact button.
func (t *turn) phoneShared() {
	if t.c != nil {
		t.showMenu()
		return
	}
	t.identify()
}

// factorMatches reports whether the pending postcode or birth date is the
// one on file for the case's debtor.
func (t *turn) factorMatches(c *casestore.Case) bool {
	if t.v.BothFactors {
		b := c.Debtor.BirthDate
		return normPostcode(t.st.PendingPC) != "" && normPostcode(t.st.PendingPC) == normPostcode(c.Debtor.Postcode) &&
			!t.st.PendingDOB.IsZero() && b != nil && casestore.DayOf(*b).Equal(t.st.PendingDOB)
	}
	if pc := normPostcode(t.st.PendingPC); pc != "" && pc == normPostcode(c.Debtor.Postcode) {
		return true
	}
	b := c.Debtor.BirthDate
	return !t.st.PendingDOB.IsZero() && b != nil && casestore.DayOf(*b).Equal(t.st.PendingDOB)
}

// onFile reports whether phone is one of the case debtor's numbers.
func onFile(c *casestore.Case, phone string) bool {
	for _, p := range c.Debtor.Phones {
		if phone != "" && p == phone {
			return true
		}
	}
	return false
}

// normRef keeps the letters and digits of a dossier number, upper-cased, so
// "ib 2026/000123" and "IB-2026-000123" compare equal.
func normRef(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func normPostcode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func validLang(l casestore.Language) bool {
	return l == casestore.Dutch || l == casestore.English || l == casestore.French
}
