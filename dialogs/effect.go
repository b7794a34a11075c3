package dialogs

import (
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Effect is a change the runtime must make, in the same transaction as the
// Result's dossier entries and replies. The set is closed: exactly the types
// in this file. Each doc comment says what the runtime does with it.
type Effect interface {
	// Kind names the effect for logs and JSON, e.g. "dispute.open".
	Kind() string
	effect()
}

// Priorities of a Handoff or CollectorTask.
const (
	PriorityNormal = 1
	PriorityHigh   = 2 // hardship, distress, abuse: first in the collectors' queue
)

// OpenDispute: Store.AddDispute(Dispute); then, when Dispute.InvoiceID is
// set, Store.SetInvoiceStatus(*InvoiceID, InvoiceStatus), else
// Store.SetCaseStatus(CaseID, CaseStatus). Automatic reminders stop for an
// invoice or case on hold.
type OpenDispute struct {
	Dispute       casestore.Dispute       `json:"dispute"`
	InvoiceStatus casestore.InvoiceStatus `json:"invoice_status,omitempty"` // InvoiceDisputed when an invoice is disputed
	CaseStatus    casestore.Status        `json:"case_status,omitempty"`    // StatusOnHold when the whole case is disputed
}

// SetInvoiceStatus: Store.SetInvoiceStatus(InvoiceID, Status).
type SetInvoiceStatus struct {
	CaseID    int64                   `json:"case_id"`
	InvoiceID int64                   `json:"invoice_id"`
	Status    casestore.InvoiceStatus `json:"status"`
}

// SetCaseStatus: Store.SetCaseStatus(CaseID, Status).
type SetCaseStatus struct {
	CaseID int64            `json:"case_id"`
	Status casestore.Status `json:"status"`
}

// ProposePlan: Store.AddPlan(Plan). Plan.Status is PlanActive when the
// debtor accepted a plan the policy allows (a SetCaseStatus in-plan comes
// with it), PlanPending when a collector must decide (a CollectorTask and a
// Handoff come with it). With Plan.ID set the debtor agreed to a
// collector's counter-offer, stored pending already (OutcomeCollectorOffer):
// Store.TransitionPlan(ID, pending, active) instead of AddPlan.
type ProposePlan struct {
	Plan casestore.Plan `json:"plan"`
}

// MakePromise: Store.AddPromise(Promise).
type MakePromise struct {
	Promise casestore.Promise `json:"promise"`
}

// ReportPayment: the debtor says it paid. It is not a received payment (no
// Store.AddPayment): the runtime pauses the invoice
// (Store.SetInvoiceStatus(*InvoiceID, InvoicePaused)) or, with no invoice,
// puts the case on hold (Store.SetCaseStatus(CaseID, StatusOnHold)), so
// reminders stop until a collector has checked it. A CollectorTask and a
// "payment.reported" dossier entry with these details come with it.
type ReportPayment struct {
	CaseID    int64           `json:"case_id"`
	InvoiceID *int64          `json:"invoice_id,omitempty"`
	Amount    decimal.Decimal `json:"amount"`              // zero when the debtor did not say
	ValueDate time.Time       `json:"value_date,omitzero"` // calendar day; zero when not said
	Account   string          `json:"account,omitempty"`   // account paid from, as typed
	Reference string          `json:"reference,omitempty"` // payment reference, as typed
	Evidence  []string        `json:"evidence,omitempty"`  // media refs
}

// Handoff: the conversation goes to the collectors' console queue; the bot
// stays silent in it until a collector hands it back. CaseID is 0 when the
// debtor is not verified.
type Handoff struct {
	CaseID   int64  `json:"case_id,omitempty"`
	Reason   string `json:"reason"` // "asked", "hardship", "abuse", "misunderstood", "identify", "error", …
	Priority int    `json:"priority"`
}

// CollectorTask: work for a collector that does not take over the chat
// (review a dispute, check a reported payment, decide a plan, send payment
// details). Due is when the debtor was told to expect an answer.
type CollectorTask struct {
	CaseID   int64     `json:"case_id"`
	Topic    string    `json:"topic"` // "dispute", "payment.check", "plan.decide", "payment.details", "error"
	Summary  string    `json:"summary"`
	Due      time.Time `json:"due"` // calendar day
	Priority int       `json:"priority"`
}

// OptOut: no automated (outbound, unsolicited) messages to this sender any
// more; answers to the debtor's own messages are still sent.
type OptOut struct {
	CaseID  int64  `json:"case_id,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Channel string `json:"channel,omitempty"`
	From    string `json:"from,omitempty"`
}

// OptIn undoes an OptOut.
type OptIn struct {
	CaseID  int64  `json:"case_id,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Channel string `json:"channel,omitempty"`
	From    string `json:"from,omitempty"`
}

// RequestCallback: a collector should call Phone, preferably at Preferred
// (the debtor's words) or At (when a day or time was recognised).
type RequestCallback struct {
	CaseID    int64      `json:"case_id"`
	Phone     string     `json:"phone"`
	Preferred string     `json:"preferred,omitempty"`
	At        *time.Time `json:"at,omitempty"`
}

// LockVerification: refuse verification for CaseID (and, when set, from
// Phone) until Until, across conversations and channels; the runtime
// reports it back in View.CaseLocked.
type LockVerification struct {
	CaseID int64     `json:"case_id,omitempty"`
	Phone  string    `json:"phone,omitempty"`
	Until  time.Time `json:"until"`
}

func (OpenDispute) Kind() string      { return "dispute.open" }
func (SetInvoiceStatus) Kind() string { return "invoice.status" }
func (SetCaseStatus) Kind() string    { return "case.status" }
func (ProposePlan) Kind() string      { return "plan.propose" }
func (MakePromise) Kind() string      { return "promise.make" }
func (ReportPayment) Kind() string    { return "payment.report" }
func (Handoff) Kind() string          { return "handoff" }
func (CollectorTask) Kind() string    { return "task.open" }
func (OptOut) Kind() string           { return "optout" }
func (OptIn) Kind() string            { return "optin" }
func (RequestCallback) Kind() string  { return "callback.request" }
func (LockVerification) Kind() string { return "verification.lock" }

func (OpenDispute) effect()      {}
func (SetInvoiceStatus) effect() {}
func (SetCaseStatus) effect()    {}
func (ProposePlan) effect()      {}
func (MakePromise) effect()      {}
func (ReportPayment) effect()    {}
func (Handoff) effect()          {}
func (CollectorTask) effect()    {}
func (OptOut) effect()           {}
func (OptIn) effect()            {}
func (RequestCallback) effect()  {}
func (LockVerification) effect() {}
