package dialogs

import (
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// EventKind says what happened in a conversation.
type EventKind string

const (
	EventText        EventKind = "text"         // the debtor wrote Text
	EventMedia       EventKind = "media"        // the debtor sent a file (Media); Text is its caption
	EventPhoneShared EventKind = "phone.shared" // Telegram contact button: Phone is the debtor's own, verified number
	EventCaseLoaded  EventKind = "case.loaded"  // the runtime answers Result.LookupRef: see View.Lookup
)

// Event is one inbound happening, normalised by the channel.
type Event struct {
	Kind    EventKind `json:"kind"`
	Text    string    `json:"text,omitempty"`
	Media   *Media    `json:"media,omitempty"`
	Channel string    `json:"channel,omitempty"` // "sms", "whatsapp", "telegram", "web"
	From    string    `json:"from,omitempty"`    // the channel's address of the sender
	// Phone is the sender's E.164 number when the channel vouches for it
	// (SMS, WhatsApp; Telegram only on EventPhoneShared); empty otherwise.
	Phone string `json:"phone,omitempty"`
}

// Media is a file the debtor sent: Ref is the storage key or URL the
// runtime keeps it under.
type Media struct {
	ContentType string `json:"content_type"`
	Ref         string `json:"ref"`
	Size        int64  `json:"size"`
}

// MaxEvidenceSize is the largest file accepted as evidence.
const MaxEvidenceSize = 16 << 20

// evidenceTypes are the file types accepted as evidence.
var evidenceTypes = map[string]bool{"image/jpeg": true, "image/png": true, "application/pdf": true}

// View is what the runtime loaded for this event. Step only reads it.
//
// The runtime must fill:
//   - PhoneCases: while !State.Verified, every case on file for
//     State.PhoneFor(event) (Store.CasesByPhone), filled as casestore.Case
//     (Creditor, Debtor, Invoices, Payments). Empty when the number is
//     unknown or there is no number.
//   - Lookup, LookupRef: only on an EventCaseLoaded that answers a
//     Result.LookupRef: LookupRef is that dossier number and Lookup the case
//     found by Store.CaseByRef, nil when there is none.
//   - Case: once State.Verified, the case State.CaseID, freshly loaded on
//     every event. If it is missing or another case, Step asks to verify again.
//   - CaseLocked, LockedUntil: a LockVerification the runtime persisted is
//     still in force for any case in PhoneCases, Lookup or Case, or for the
//     phone; LockedUntil is the latest such end.
//   - OptedOut: the runtime's opt-out record for this sender, so that a
//     lost State still knows.
type View struct {
	PhoneCases  []*casestore.Case
	Lookup      *casestore.Case
	LookupRef   string
	Case        *casestore.Case
	CaseLocked  bool
	LockedUntil time.Time
	OptedOut    bool
	// Office is when collectors answer, for the honest "when will a person
	// reply"; the zero value means casestore.DefaultOfficeHours.
	Office casestore.OfficeHours
	// OnFile is what is on file for the cases above (Case, PhoneCases,
	// Lookup), by case ID: the dialog answers "how is my dispute / plan /
	// payment" from it and never offers what the case already has.
	OnFile map[int64]OnFile
	// Agency is who we are, for "wie zijn jullie?" (public facts only).
	Agency Agency
	// Flags are the case flags (bewindvoering, debt settlement) of the
	// cases above, by case ID: a case whose collection is stopped is
	// answered by a person. A case without an entry has no flags.
	Flags map[int64]casestore.CaseFlags
	// Documents are what the runtime can send for the cases above, by case
	// ID (the debtor's PDF specification, invoice copies); a case without
	// an entry has none, and a request for one is filed for a collector.
	Documents map[int64]Documents
	// BothFactors: the case looked up (Lookup) has reached its web chat
	// ceiling and the attempt gave both a postcode and a date of birth;
	// the runtime judges it only so (bot/attempts.go), and then both must
	// match. The web chat's failure reply always says that sending the
	// dossier number, postcode and date of birth together is possible,
	// so the reply never tells whether this dossier number exists or is
	// at its ceiling.
	BothFactors bool
	// HandoffBusy: this unverified web chat's client already has a person
	// asked for in another chat; a further request is not queued, and the
	// debtor is told a person is already asked for.
	HandoffBusy bool
}

// OnFile is a case's disputes, plans and promises, oldest first.
type OnFile struct {
	Disputes []*casestore.Dispute
	Plans    []*casestore.Plan
	Promises []*casestore.Promise
}

// Agency is the collection agency's public identity: what any debtor may
// hear before verification.
type Agency struct {
	Name    string // "Incasso Nederland B.V."; empty: "het incassobureau"
	Contact string // public phone, website or e-mail to check us; may be empty
	// IBAN and AccountHolder are the agency's account for bank transfers,
	// named with the case's payment reference (casestore.PaymentReference)
	// whenever a payment is offered. Empty: a collector sends the details.
	IBAN          string
	AccountHolder string
	// Complaints is the complaint procedure and its answer term.
	Complaints ComplaintPolicy
}

// phoneCase returns the case in PhoneCases with that id, or nil.
func (v View) phoneCase(id int64) *casestore.Case {
	for _, c := range v.PhoneCases {
		if c != nil && c.ID == id {
			return c
		}
	}
	return nil
}
