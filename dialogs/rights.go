package dialogs

import (
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// A debtor's rights and requests (issue #19): a complaint about how the
// agency treats them, the specification of the claim with its legal basis,
// a copy of an invoice, the agency's bank details and the case's payment
// reference, a refund of what was paid too much, how they want to be
// contacted, a person writing for the debtor, identity fraud. The flows are
// in flow_rights.go, the texts in texts_rights.go, the cues in
// lexicon_rights.go.

// The intents of these requests; see dialogs/testdata/LABELS.md.
const (
	IntentComplaint      Intent = "complaint"          // about treatment, not the debt; ombudsman, press
	IntentSpecification  Intent = "specification"      // what the amount consists of, which costs, is that allowed
	IntentInvoiceCopy    Intent = "invoice_copy"       // send me the invoice / a copy
	IntentBankDetails    Intent = "bank_details"       // IBAN, account holder, payment reference
	IntentRefund         Intent = "refund"             // paid too much, wants it back
	IntentRepresentative Intent = "representative"     // writes for the debtor: relative, bewindvoerder, counsellor, lawyer
	IntentFraud          Intent = "fraud"              // identity fraud: someone used my details
	IntentContactPref    Intent = "contact_preference" // don't call me, only e-mail / post, via WhatsApp
)

// The nodes of these flows.
const (
	NodeRefundIBAN Node = "refund.iban"            // which account the refund goes to
	NodeRepDetails Node = "representative.details" // who writes, for whom, how to reach them
	NodeRepLookup  Node = "representative.lookup"  // asked the runtime to look up the dossier number they gave
	NodeFraudProof Node = "fraud.evidence"         // police report (photo/PDF) or "klaar"
)

func init() {
	AllNodes = append(AllNodes, NodeRefundIBAN, NodeRepDetails, NodeRepLookup, NodeFraudProof)
}

// ComplaintPolicy is the agency's complaint procedure (configuration): the
// term within which it answers, where the procedure is published, and the
// external body a debtor can go to afterwards, which differs between the
// Netherlands and Belgium.
type ComplaintPolicy struct {
	TermDays  int    // working days to answer; 0 means DefaultComplaintTermDays
	Procedure string // where the procedure is published (URL or short text); may be empty
	BodyNL    string // external body for Dutch cases, e.g. a geschillencommissie; may be empty
	BodyBE    string // external body for Belgian cases, e.g. the consumer ombudsman; may be empty
}

// DefaultComplaintTermDays is the answer term when none is configured.
const DefaultComplaintTermDays = 10

// term is the configured answer term in working days.
func (p ComplaintPolicy) term() int {
	if p.TermDays > 0 {
		return p.TermDays
	}
	return DefaultComplaintTermDays
}

// Documents is what the runtime can send the debtor of one case: a link to
// the debtor's PDF specification and links to the invoice copies the
// creditor delivered, by invoice ID. Empty fields mean "not available": the
// dialog then files a request for a collector instead.
type Documents struct {
	SpecificationURL string
	Invoices         map[int64]string
}

// SetContactPreference: the debtor asked to be contacted another way. The
// runtime merges it into the debtor's stored casestore.ContactPreference
// (NoCalls adds "no phone calls" to what is stored; Channel, when set,
// replaces the preferred channel, WrittenOnly with it) through
// casestore.ChangeContactPreference, which files the change in the dossier.
type SetContactPreference struct {
	CaseID      int64  `json:"case_id"`
	Channel     string `json:"channel,omitempty"` // one of casestore.ContactChannels, or ""
	WrittenOnly bool   `json:"written_only,omitempty"`
	NoCalls     bool   `json:"no_calls,omitempty"`
}

func (SetContactPreference) Kind() string { return "contact.preference" }
func (SetContactPreference) effect()      {}

// Dossier entry kinds of these requests.
const (
	EntryComplaintFiled      casestore.EntryKind = "complaint.filed"
	EntryDocumentRequested   casestore.EntryKind = "document.requested"
	EntryDocumentSent        casestore.EntryKind = "document.sent"
	EntryBankDetailsSent     casestore.EntryKind = "bank_details.sent"
	EntryRefundRequested     casestore.EntryKind = "refund.requested"
	EntryRepresentativeFiled casestore.EntryKind = "representative.filed"
	EntryFraudReported       casestore.EntryKind = "fraud.reported"
	EntrySpecificationShown  casestore.EntryKind = "specification.shown"
)

// stopped reports whether automated collection of case id is stopped
// (bewindvoering, debt settlement), from the flags the runtime loaded.
func (v View) stopped(id int64) bool {
	f, ok := v.Flags[id]
	if !ok {
		return false
	}
	s, _ := f.StopsCollection()
	return s
}

// complaintRef is the reference a complaint is filed under: the dossier
// number and the minute it was made, so a debtor can quote it and a second
// complaint the same day reads differently.
func complaintRef(c *casestore.Case, now time.Time) string {
	return "KL-" + c.Ref + "-" + now.In(casestore.Amsterdam).Format("0601021504")
}
