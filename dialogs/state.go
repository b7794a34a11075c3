package dialogs

import (
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Node is where a conversation stands: the question the bot asked last.
// It is stored as a plain string in the hot state.
type Node string

// Every node of the dialog. The zero Node is the start: a conversation whose
// state was lost restarts there politely.
const (
	NodeStart         Node = ""
	NodeAskPhone      Node = "identify.ask_phone" // no phone yet (Telegram, web): share it
	NodeUnknownNumber Node = "identify.unknown"   // phone not on file: nothing can be shown
	NodeVerifyRef     Node = "identify.ref"       // waiting for dossier number (and postcode/birth date)
	NodeVerifyFactor  Node = "identify.factor"    // dossier number given, waiting for postcode/birth date
	NodeVerifyLookup  Node = "identify.lookup"    // asked the runtime to look up a dossier number
	NodeLocked        Node = "identify.locked"    // too many failed attempts
	NodeMenu          Node = "menu"               // verified, numbered options shown
	NodeBalance       Node = "balance.shown"      // balance shown; per-invoice detail on offer
	NodeDisputeInv    Node = "dispute.invoice"    // which invoice
	NodeDisputeReason Node = "dispute.reason"     // which reason
	NodeDisputeText   Node = "dispute.text"       // in the debtor's own words
	NodeDisputeProof  Node = "dispute.evidence"   // photo/PDF or "klaar"
	NodePlanAsk       Node = "plan.ask"           // how much per month / how many terms
	NodePlanConfirm   Node = "plan.confirm"       // accept the shown schedule?
	NodePromiseDate   Node = "promise.date"       // on which day
	NodePaidInvoice   Node = "paid.invoice"       // which invoice was paid
	NodePaidDetails   Node = "paid.details"       // value date and amount
	NodePaidAccount   Node = "paid.account"       // account paid from
	NodePaidReference Node = "paid.reference"     // payment reference
	NodePaidProof     Node = "paid.proof"         // proof of payment or "klaar"
	NodeCallbackTime  Node = "callback.time"      // preferred time to be called
	NodeHandoff       Node = "handoff"            // a person takes over
	NodeLanguage      Node = "language.choose"    // which language
	NodeOptedOut      Node = "stop.confirmed"     // opted out; may still write
)

// AllNodes lists every node a State can be in, for tests that prove each one
// has a way out.
var AllNodes = []Node{
	NodeStart, NodeAskPhone, NodeUnknownNumber, NodeVerifyRef, NodeVerifyFactor,
	NodeVerifyLookup, NodeLocked, NodeMenu, NodeBalance, NodeDisputeInv,
	NodeDisputeReason, NodeDisputeText, NodeDisputeProof, NodePlanAsk,
	NodePlanConfirm, NodePromiseDate, NodePaidInvoice, NodePaidDetails,
	NodePaidAccount, NodePaidReference, NodePaidProof, NodeCallbackTime,
	NodeHandoff, NodeLanguage, NodeOptedOut,
}

// Timing rules of a conversation.
const (
	// IdleResume: after this long without a message a half-finished
	// question is dropped; the debtor is greeted again with the menu.
	IdleResume = 30 * time.Minute
	// VerificationTTL: a verification is valid this long after it
	// succeeded; then the second factor is asked again, so a phone that
	// changes hands (or a shared family tablet) does not keep access.
	VerificationTTL = 24 * time.Hour
	// LockDuration and MaxFailures: three wrong second factors lock the
	// case (and this conversation) for verification for 15 minutes.
	LockDuration = 15 * time.Minute
	MaxFailures  = 3
)

// State is the position of one conversation. It is JSON-serialisable and
// kept in the hot state with a TTL; it may vanish at any time, and the zero
// State is a valid start.
type State struct {
	Lang       casestore.Language `json:"lang,omitempty"`
	LangSource string             `json:"lang_source,omitempty"` // "chosen", "detected", "file"
	Node       Node               `json:"node,omitempty"`
	Phone      string             `json:"phone,omitempty"` // E.164, from the channel or a shared contact

	// Identification.
	CaseID      int64     `json:"case_id,omitempty"` // the verified case; 0 before
	Verified    bool      `json:"verified,omitempty"`
	VerifiedAt  time.Time `json:"verified_at,omitzero"`
	Candidates  []int64   `json:"candidates,omitempty"` // case IDs on file for Phone
	PendingRef  string    `json:"pending_ref,omitempty"`
	PendingPC   string    `json:"pending_postcode,omitempty"`
	PendingDOB  time.Time `json:"pending_birth_date,omitzero"`
	Failures    int       `json:"failures,omitempty"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
	// PendingIntent is what the debtor asked before being verified; it is
	// carried out right after verification succeeds.
	PendingIntent Intent `json:"pending_intent,omitempty"`
	// PendingText is the message that asked it, read again after
	// verification so its amount, date or terms are not lost ("ik betaal
	// vrijdag" → identification → the promise for Friday).
	PendingText string `json:"pending_text,omitempty"`

	Misunderstood int       `json:"misunderstood,omitempty"` // in a row
	OptedOut      bool      `json:"opted_out,omitempty"`
	LastAt        time.Time `json:"last_at,omitzero"`
	Menu          []Intent  `json:"menu,omitempty"` // the numbered options last shown
	// Options are the labels of the choices last shown (buttons where the
	// channel has them): a message that is one of them is that choice.
	Options []string `json:"options,omitempty"`

	Flow Scratch `json:"flow,omitzero"`
	// Complaint is the reference of a complaint filed in this
	// conversation: asking afterwards how the procedure goes names it
	// without filing a second one.
	Complaint string `json:"complaint,omitempty"`
}

// Scratch is the data a flow collects across turns; it is cleared whenever
// a flow ends or the conversation goes idle.
type Scratch struct {
	InvoiceID  int64                   `json:"invoice_id,omitempty"` // 0 = the whole case
	InvoiceSet bool                    `json:"invoice_set,omitempty"`
	Choices    []int64                 `json:"choices,omitempty"` // invoice IDs in the order listed
	Reason     casestore.DisputeReason `json:"reason,omitempty"`
	Text       string                  `json:"text,omitempty"`
	Evidence   []string                `json:"evidence,omitempty"`
	Plan       *casestore.Plan         `json:"plan,omitempty"` // the schedule shown for confirmation
	Outcome    string                  `json:"outcome,omitempty"`
	Amount     decimal.Decimal         `json:"amount,omitzero"`
	Date       time.Time               `json:"date,omitzero"`
	Account    string                  `json:"account,omitempty"`
	Reference  string                  `json:"reference,omitempty"`
	// Which questions were answered (an answer may be "no" or "don't know").
	TextDone      bool `json:"text_done,omitempty"`
	ProofDone     bool `json:"proof_done,omitempty"`
	DetailsDone   bool `json:"details_done,omitempty"`
	AccountDone   bool `json:"account_done,omitempty"`
	ReferenceDone bool `json:"reference_done,omitempty"`
}

// PhoneFor is the phone number the runtime must load View.PhoneCases for:
// the number the channel vouches for, else the one the debtor shared
// earlier in this conversation.
func (st State) PhoneFor(ev Event) string {
	if ev.Phone != "" {
		return ev.Phone
	}
	return st.Phone
}

// language is the state's language, Dutch by default.
func (st State) language() casestore.Language {
	switch st.Lang {
	case casestore.English, casestore.French:
		return st.Lang
	}
	return casestore.Dutch
}
