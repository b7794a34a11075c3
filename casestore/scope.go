package casestore

import "fmt"

// What a creditor (or a collector reading for one) may see of the cases.
// Every read a creditor's page or API call makes goes through a store
// method that takes a Scope and puts it in the query itself, so a case of
// another creditor is never loaded in the first place — not loaded and
// then refused by a handler that might forget to check.

// Scope is whose cases a reader may see. The zero Scope sees nothing:
// a reader whose scope was never set is refused, not let through.
type Scope struct {
	creditorID int64
	all        bool
}

// EveryCreditor sees every case: collectors and supervisors.
func EveryCreditor() Scope { return Scope{all: true} }

// OnlyCreditor sees the cases of one creditor; an id that is not positive
// sees nothing.
func OnlyCreditor(id int64) Scope {
	if id <= 0 {
		return Scope{}
	}
	return Scope{creditorID: id}
}

// ScopeOf is what a user may read: a creditor user its creditor's cases,
// collectors and supervisors every case, a disabled or unknown user
// nothing.
func ScopeOf(u *User) Scope {
	switch {
	case u == nil || u.Disabled:
		return Scope{}
	case u.Role == RoleCreditor:
		return OnlyCreditor(u.CreditorID)
	case u.Role.TakesChats():
		return EveryCreditor()
	}
	return Scope{}
}

// Creditor tells a store how to filter: every case when all is true, else
// only the cases of creditor id. A scope that sees nothing has id 0 and
// all false, which matches no case (creditor ids are positive).
func (s Scope) Creditor() (id int64, all bool) { return s.creditorID, s.all }

// SeesNotes reports whether the reader sees collectors' private notes
// (EntryNote): the agency's own people do; a creditor does not, in pages,
// API or export, as a note is the agency's working record, not part of
// what it reports to its client.
func (s Scope) SeesNotes() bool { return s.all }

// SeesNothing reports whether no case is visible in s.
func (s Scope) SeesNothing() bool { return !s.all && s.creditorID <= 0 }

// CaseQuery selects cases for a creditor's list; zero fields do not filter.
type CaseQuery struct {
	Status Status
	Stage  Stage
	// Search is part of a dossier number or of the debtor's name, compared
	// case-insensitively.
	Search string
	// Disputed keeps only cases with an open dispute.
	Disputed bool
	Limit    int // at most this many; 0 = 50, more than MaxCaseQueryLimit is ErrInvalid
	Offset   int
}

// MaxCaseQueryLimit bounds one page of cases: each is loaded with its
// invoices and payments to show its balance.
const MaxCaseQueryLimit = 200

// Validate reports a query a store must refuse (ErrInvalid).
func (q CaseQuery) Validate() error {
	switch {
	case q.Status != "" && !q.Status.Valid():
		return scopeInvalid("cases: unknown status %q", q.Status)
	case q.Stage != "" && !q.Stage.Valid():
		return scopeInvalid("cases: unknown stage %q", q.Stage)
	case q.Limit < 0 || q.Offset < 0:
		return scopeInvalid("cases: negative limit or offset")
	case q.Limit > MaxCaseQueryLimit:
		return scopeInvalid("cases: limit %d is over %d", q.Limit, MaxCaseQueryLimit)
	case len(q.Search) > 200:
		return scopeInvalid("cases: search text is longer than 200 bytes")
	}
	return nil
}

// PageLimit is q.Limit with the default applied.
func (q CaseQuery) PageLimit() int {
	if q.Limit == 0 {
		return 50
	}
	return q.Limit
}

// CaseSummary is one line of a creditor's case list: the case (filled as
// Store.Case fills it, so Balance can be computed) with what needs a
// creditor's attention.
type CaseSummary struct {
	Case *Case
	// OpenDisputes counts the disputes nobody has decided yet.
	OpenDisputes int
	// Plan is the status of the newest installment plan; "" when none.
	Plan PlanStatus
}

// CasePage is one page of a case list and how many cases match in all.
type CasePage struct {
	Cases []CaseSummary
	Total int
}

// CaseFile is one case as a creditor reads it: the case itself with its
// disputes, plans (with installments), promises and evidence files
// (without their bytes), each oldest first.
type CaseFile struct {
	Case     *Case
	Disputes []*Dispute
	Plans    []*Plan
	Promises []*Promise
	Media    []*Media
}

// MaxDossierLimit bounds one page of a scoped dossier read.
const MaxDossierLimit = 500

// ValidateScopedDossier reports a dossier query a scoped read refuses
// (ErrInvalid): negative paging, an oversize page or search.
func ValidateScopedDossier(q DossierQuery) error {
	switch {
	case q.Limit < 0 || q.BeforeID < 0:
		return scopeInvalid("dossier: negative limit or position")
	case q.Limit > MaxDossierLimit:
		return scopeInvalid("dossier: limit %d is over %d", q.Limit, MaxDossierLimit)
	case len(q.Search) > 200:
		return scopeInvalid("dossier: search text is longer than 200 bytes")
	}
	return nil
}

// scopeInvalid is an ErrInvalid with the reason in front.
func scopeInvalid(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ErrInvalid)...)
}
