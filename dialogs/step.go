package dialogs

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Reply is one message to the debtor. Text is complete on its own (numbered
// options are inside it, for SMS); Options repeats them as button labels for
// channels that have buttons.
type Reply struct {
	Text    string   `json:"text"`
	Options []string `json:"options,omitempty"`
	// AskPhone: show the channel's "share my phone number" button
	// (Telegram's contact request) with this reply.
	AskPhone bool `json:"ask_phone,omitempty"`
}

// Result is everything one Step decided. The runtime stores State, and
// applies Entries, Effects and Replies (to the outbox) in one transaction.
type Result struct {
	State   State                    `json:"state"`
	Replies []Reply                  `json:"replies,omitempty"`
	Entries []casestore.DossierEntry `json:"entries,omitempty"` // CaseID always set; message.in/out are the runtime's
	Effects []Effect                 `json:"-"`
	// LookupRef asks the runtime to look up this dossier number and call
	// Step again at once with an EventCaseLoaded and View.Lookup/LookupRef.
	LookupRef     string        `json:"lookup_ref,omitempty"`
	Intent        Intent        `json:"intent"`
	Understanding Understanding `json:"understanding"`
}

// maxTextRunes bounds how much of a message is read or kept: a 10 kB paste
// is answered like any other message, but only its start is understood.
const maxTextRunes = 2000

// catchPanics turns a bug into a polite answer and a handoff instead of a
// crashed conversation. The fuzz test switches it off to find such bugs.
var catchPanics = true

// Step is the whole dialog: given the conversation's state, what just
// happened, what the runtime loaded and the time, it returns the next state,
// the replies, the dossier entries and the effects. It does no I/O.
func Step(st State, ev Event, v View, now time.Time) (res Result) {
	t := &turn{in: st, st: st, ev: ev, v: v, now: now, today: casestore.DayOf(now)}
	if catchPanics {
		defer func() {
			if r := recover(); r != nil {
				res = t.bugResult()
			}
		}()
	}
	t.run()
	return t.result()
}

// turn is the work of one Step: the state being built and what it emits.
type turn struct {
	in, st  State
	ev      Event
	v       View
	now     time.Time
	today   time.Time
	u       Understanding
	text    string          // the message, trimmed and bounded
	low     string          // lower-cased text for a node's own cue words
	c       *casestore.Case // the verified case, nil before
	resumed bool            // came back after IdleResume: no half-finished question

	parts     []string
	droppable []int // parts an SMS over its segment budget may leave out (fitSMS)
	options   []string
	askPhone  bool
	entries   []casestore.DossierEntry
	effects   []Effect
	lookup    string
}

func (t *turn) run() {
	t.prepare()
	switch t.ev.Kind {
	case EventCaseLoaded:
		switch t.st.Node {
		case NodeVerifyLookup:
			t.verifyLookedUp()
		case NodeRepLookup:
			t.repLookedUp()
		}
	case EventPhoneShared:
		t.phoneShared()
	case EventMedia:
		t.media()
	default:
		t.message()
	}
}

// prepare applies what time and the View say before the event is read:
// expired locks and verifications, idle resume, the verified case.
func (t *turn) prepare() {
	if t.ev.Phone != "" && t.ev.Phone != t.st.Phone {
		if t.st.Phone != "" {
			t.forgetVerification() // another number in the same chat: start over
		}
		t.st.Phone = t.ev.Phone
	}
	if t.v.OptedOut {
		t.st.OptedOut = true
	}
	if !t.st.LockedUntil.IsZero() && !t.now.Before(t.st.LockedUntil) {
		t.st.LockedUntil, t.st.Failures = time.Time{}, 0
		if t.st.Node == NodeLocked {
			t.st.Node = NodeStart
		}
	}
	if t.st.Verified {
		switch {
		case t.v.Case == nil || t.v.Case.ID != t.st.CaseID:
			t.forgetVerification()
		case t.now.Sub(t.st.VerifiedAt) > VerificationTTL:
			t.forgetVerification()
			t.say(kVerifyExpired)
		default:
			t.c = t.v.Case
		}
	}
	// A collector's offer waits for its answer (decisions.go).
	if !t.st.LastAt.IsZero() && t.now.Sub(t.st.LastAt) > IdleResume && t.st.Node != NodeLocked && !t.st.Flow.collectorOffer() {
		t.st.Flow, t.st.Misunderstood = Scratch{}, 0
		if t.st.Verified {
			// A half-finished question is stale: greet again at the menu.
			t.st.Node, t.resumed = NodeMenu, true
		} else {
			t.st.PendingRef, t.st.PendingPC, t.st.PendingDOB = "", "", time.Time{}
			t.st.Node = NodeStart
		}
	}
	if t.c == nil && (isFlowNode(t.st.Node) || t.st.Node == NodeMenu) {
		// A question about a case, but no verified case: start over.
		t.st.Node, t.st.Flow, t.st.Menu = NodeStart, Scratch{}, nil
	}
	t.st.LastAt = t.now
}

// forgetVerification drops the verified case and any half-finished flow.
func (t *turn) forgetVerification() {
	t.st.Verified, t.st.CaseID, t.st.VerifiedAt = false, 0, time.Time{}
	t.st.Candidates, t.st.Flow, t.st.Menu = nil, Scratch{}, nil
	t.st.PendingRef, t.st.PendingPC, t.st.PendingDOB = "", "", time.Time{}
	t.st.Node = NodeStart
	t.c = nil
}

// message handles a text: commands that work everywhere first, then the
// question the node asked, then a new request, else a misunderstanding.
func (t *turn) message() {
	t.text = boundText(t.ev.Text)
	t.low = strings.ToLower(t.text)
	t.u = Understand(t.text, t.now)
	if n := choiceOf(t.st.Options, t.text); n > 0 && !t.u.Yes && !t.u.No {
		// A button's label: read exactly as its number (the label's own
		// words, such as an invoice's amount, are no new request).
		t.u = Understand(itoa(n), t.now)
	}
	t.u.Intent = commandWord(t.low, t.u.Intent)
	t.detectLanguage()
	if t.st.OptedOut && isOptIn(t.low) {
		t.optIn()
		return
	}
	if t.global() {
		t.st.Misunderstood = 0
		return
	}
	if t.u.Refusal && (t.u.Reason == "" || t.u.Reason == casestore.ReasonOther) &&
		(t.u.Intent == IntentUnknown || t.u.Intent == IntentDispute || commitment(t.u.Intent) && t.u.Intent != IntentAlreadyPaid) {
		// "ik betaal helemaal niks, belachelijk": no invoice question, the
		// ways out.
		t.st.Misunderstood = 0
		t.refusal()
		return
	}
	asked := t.st.Node
	if !t.resumed && t.node() {
		t.st.Misunderstood = 0
		t.u.Intent = meantIn(asked, t.u.Intent)
		return
	}
	if t.resumed && t.u.Intent == IntentThanks {
		t.welcomeBack() // an "ok" an hour later is no thank-you for this turn
		return
	}
	if t.startIntent(t.u.Intent) {
		t.st.Misunderstood = 0
		return
	}
	if t.resumed {
		t.welcomeBack()
		return
	}
	t.misunderstood()
}

// global handles what every node accepts: distress, abuse, stop, a person,
// another language, the menu.
func (t *turn) global() bool {
	if t.st.Node == NodeRepDetails && !t.u.Abusive &&
		(t.u.Intent == IntentHardship || t.u.Intent == IntentHuman && len(strings.Fields(t.text)) > 2) {
		// A representative's details name their role ("bewindvoerder",
		// "schuldhulpverlener", "maatschappelijk medewerker"): the
		// question takes the whole text.
		return false
	}
	switch {
	case t.u.Abusive:
		t.handoff("abuse", PriorityHigh, kAbuse)
	case t.u.Intent == IntentHardship:
		t.handoff("hardship", PriorityHigh, kHardship, "debt_help", t.debtHelp())
	case t.u.Intent == IntentRepresentative && t.st.Node != NodeRepDetails:
		// Someone writing for the debtor, wherever the chat stands: nothing
		// about the case until a collector verified them.
		t.startRepresentative()
	case t.u.Intent == IntentStop:
		t.optOut()
	case t.u.Intent == IntentHuman:
		t.handoff("asked", PriorityNormal, kHandoff)
	case t.u.Intent == IntentLanguage || (t.u.SwitchTo != "" && t.st.Node != NodeLanguage):
		t.switchLanguage()
	case t.u.Intent == IntentHelp:
		t.st.Flow = Scratch{}
		t.help()
	default:
		return false
	}
	return true
}

// node lets the current node read the message as the answer to its question.
func (t *turn) node() bool {
	switch t.st.Node {
	case NodeStart, NodeAskPhone, NodeUnknownNumber, NodeVerifyRef, NodeVerifyFactor, NodeVerifyLookup:
		return t.identifyAnswer()
	case NodeLocked:
		return t.identifyAnswer()
	case NodeMenu, NodeOptedOut:
		return t.menuAnswer()
	case NodeHandoff:
		return t.menuAnswer() || (t.c == nil && t.identifyAnswer()) || t.handoffWaiting()
	case NodeBalance:
		return t.balanceAnswer()
	case NodeDisputeInv, NodeDisputeReason, NodeDisputeText, NodeDisputeProof:
		return t.disputeAnswer()
	case NodePlanAsk, NodePlanConfirm:
		return t.planAnswer()
	case NodePromiseDate:
		return t.promiseAnswer()
	case NodePaidInvoice, NodePaidDetails, NodePaidAccount, NodePaidReference, NodePaidProof:
		return t.paidAnswer()
	case NodeCallbackTime:
		return t.callbackAnswer()
	case NodeLanguage:
		return t.languageAnswer()
	case NodeRefundIBAN:
		return t.refundAnswer()
	case NodeFraudProof:
		return t.fraudAnswer()
	case NodeRepDetails, NodeRepLookup:
		return t.repAnswer()
	}
	return false
}

// startIntent begins the flow a request asks for. Before verification the
// request is remembered and identification comes first.
func (t *turn) startIntent(i Intent) bool {
	switch i {
	case IntentGreeting:
		t.greet()
		return true
	case IntentThanks:
		t.closer()
		return true
	case IntentAboutUs:
		t.aboutUs()
		return true
	case IntentRepresentative:
		t.startRepresentative()
		return true
	case IntentBalance, IntentDispute, IntentPlan, IntentPromise, IntentAlreadyPaid,
		IntentPayNow, IntentCallback, IntentCaseStatus, intentInvoices,
		IntentComplaint, IntentSpecification, IntentInvoiceCopy, IntentBankDetails,
		IntentRefund, IntentFraud, IntentContactPref:
	default:
		return false
	}
	if t.c == nil && i == IntentContactPref && t.contactPreferenceUnverified() {
		return true
	}
	if t.c == nil {
		t.st.PendingIntent, t.st.PendingText = i, ""
		if t.ev.Kind == EventText && i != intentInvoices {
			t.st.PendingText = t.text
		}
		t.identify()
		return true
	}
	t.st.Flow = Scratch{}
	if t.collectionStopped() {
		return true
	}
	if t.startRight(i) || t.onFileAnswers(i) {
		return true
	}
	switch i {
	case IntentCaseStatus:
		t.caseStatus()
	case IntentBalance:
		t.showBalance()
	case intentInvoices:
		t.showInvoices()
	case IntentDispute:
		t.startDispute()
	case IntentPlan:
		t.startPlan()
	case IntentPromise:
		t.startPromise()
	case IntentAlreadyPaid:
		t.startPaid()
	case IntentPayNow:
		t.payNow()
	case IntentCallback:
		t.startCallback()
	}
	return true
}

// misunderstood re-asks once, never with the full menu: inside a flow the
// question stands (it is short), elsewhere one line says what works. The
// second miss in a row offers a person.
func (t *turn) misunderstood() {
	t.st.Misunderstood++
	if t.st.Misunderstood >= 2 {
		t.st.Misunderstood = 0
		t.say(kOfferPerson)
		return
	}
	if t.c != nil && !isFlowNode(t.st.Node) || t.st.Node == NodeBalance {
		t.say(kMissShort)
		return
	}
	t.say(kNotUnderstood)
	t.prompt()
}

// welcomeBack greets a debtor who returns after a pause.
func (t *turn) welcomeBack() {
	t.say(kWelcomeBack)
	if t.c != nil {
		t.showMenu()
		return
	}
	t.identify()
}

// greet answers a hello.
func (t *turn) greet() {
	if t.c != nil {
		t.say(kHello)
		t.showMenu()
		return
	}
	t.identify()
}

// prompt repeats the question of the current node.
func (t *turn) prompt() {
	switch t.st.Node {
	case NodeStart, NodeAskPhone, NodeUnknownNumber, NodeVerifyRef, NodeVerifyFactor, NodeVerifyLookup, NodeLocked:
		t.identify()
	case NodeDisputeInv, NodePaidInvoice:
		t.askInvoice(t.st.Node)
	case NodeDisputeReason:
		t.askReason()
	case NodeDisputeText:
		t.say(kDisputeAskText)
	case NodeDisputeProof, NodePaidProof:
		t.say(kAskProof)
	case NodePlanAsk:
		t.say(kPlanAsk)
	case NodePlanConfirm:
		t.say(kPlanConfirmAgain)
	case NodePromiseDate:
		t.say(kPromiseAskDate)
	case NodePaidDetails:
		t.askPaidDetails()
	case NodePaidAccount:
		t.say(kPaidAskAccount)
	case NodePaidReference:
		t.say(kPaidAskReference)
	case NodeCallbackTime:
		t.say(kCallbackAsk)
	case NodeLanguage:
		t.askLanguage()
	case NodeRefundIBAN:
		t.say(kRefundAskIBAN)
	case NodeFraudProof:
		t.say(kAskMoreProof)
	case NodeRepDetails, NodeRepLookup:
		t.say(kRepAsk)
	default:
		t.help()
	}
}

// meantIn is what a message answering the question of node meant, for the
// analytics: "ja dat is goed" at the plan's question is the plan, "2" at
// the invoice question of a dispute is the dispute. Outside a flow the
// message's own intent stands.
func meantIn(node Node, own Intent) Intent {
	if !isFlowNode(node) {
		return own
	}
	switch prefix, _, _ := strings.Cut(string(node), "."); prefix {
	case "balance":
		if own == IntentUnknown || own == "" {
			return IntentBalance
		}
		return own
	case "dispute":
		return IntentDispute
	case "plan":
		return IntentPlan
	case "promise":
		return IntentPromise
	case "paid":
		return IntentAlreadyPaid
	case "callback":
		return IntentCallback
	case "refund":
		return IntentRefund
	case "fraud":
		return IntentFraud
	}
	return own
}

// isFlowNode reports whether n is a question inside a flow.
func isFlowNode(n Node) bool {
	i := strings.IndexByte(string(n), '.')
	if i < 0 {
		return false
	}
	switch string(n[:i]) {
	case "balance", "dispute", "plan", "promise", "paid", "callback", "refund", "fraud":
		return true
	}
	return false
}

// say adds a text to this turn's reply.
func (t *turn) say(k msgKey, args ...string) {
	lang := t.st.language()
	t.parts = append(t.parts, render(lang, k, withRegimeWords(lang, t.c, args)...))
}

// entry records a dossier entry for a case; entries without a case are
// dropped because a dossier belongs to a case.
func (t *turn) entry(caseID int64, kind casestore.EntryKind, actor casestore.Actor, body any) {
	if caseID == 0 {
		return
	}
	raw, err := json.Marshal(body)
	if err != nil || len(raw) == 0 || raw[0] != '{' {
		raw = []byte("{}")
	}
	t.entries = append(t.entries, casestore.DossierEntry{
		CaseID: caseID, Kind: kind, Actor: actor, Channel: t.ev.Channel, Body: raw, At: t.now,
	})
}

func (t *turn) effect(e Effect) { t.effects = append(t.effects, e) }

// result assembles the Result: all texts of the turn go out as one reply,
// because SMS and WhatsApp debtors read one message better than three.
func (t *turn) result() Result {
	if t.ev.Kind == EventText || len(t.parts) > 0 {
		t.st.Options = t.options
	}
	t.fitSMS()
	r := Result{
		State: t.st, Entries: t.entries, Effects: t.effects, LookupRef: t.lookup,
		Intent: t.u.Intent, Understanding: t.u,
	}
	if r.Intent == "" && t.ev.Kind == EventText {
		r.Intent = IntentUnknown
	}
	if len(t.parts) > 0 {
		r.Replies = []Reply{{Text: forChannel(t.ev.Channel, strings.Join(t.parts, "\n\n")), Options: t.options, AskPhone: t.askPhone}}
	}
	return r
}

// bugResult answers politely when Step panicked: the state is kept as it
// came in (so no half-made change is stored) and a person takes over.
func (t *turn) bugResult() Result {
	st := t.in
	st.LastAt = t.now
	st.Node = NodeHandoff
	caseID := int64(0)
	if st.Verified {
		caseID = st.CaseID
	}
	return Result{
		State:   st,
		Replies: []Reply{{Text: render(st.language(), kError)}},
		Effects: []Effect{Handoff{CaseID: caseID, Reason: "error", Priority: PriorityNormal}},
		Intent:  IntentUnknown,
	}
}

// boundText trims a message and keeps at most maxTextRunes runes of it.
func boundText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxTextRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == maxTextRunes {
			return s[:i]
		}
		n++
	}
	return s
}

// hasAny reports whether s contains any of the cue words.
func hasAny(s string, cues ...string) bool {
	for _, c := range cues {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

// commandWord honours the one-word commands the texts tell the debtor to
// type (MENU, MENS/PERSON/CONSEILLER, STOP, TAAL/LANGUAGE/LANGUE): a word
// the assistant itself suggested must always work, whatever the parser
// makes of it.
func commandWord(low string, parsed Intent) Intent {
	switch strings.Trim(strings.TrimSpace(low), ".!? ") {
	case "/start": // Telegram sends it as every user's first message
		return IntentGreeting
	case "menu", "menü", "help", "hulp", "aide", "/menu", "/help":
		return IntentHelp
	case "mens", "medewerker", "person", "agent", "human", "conseiller", "humain":
		return IntentHuman
	case "stop", "stopp", "arrêt", "arret", "/stop":
		return IntentStop
	case "taal", "language", "langue", "lang":
		return IntentLanguage
	}
	return parsed
}
