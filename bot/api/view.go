package api

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// The JSON a creditor's system reads, as docs/openapi.yaml describes it.
// Money is a string with exactly two decimals ("390.60"): a JSON number
// would be read as a float by most clients and lose cents. Instants are
// RFC 3339 in Europe/Amsterdam, the agency's legal time; calendar days are
// "YYYY-MM-DD".

// Money is an amount in euros, written as "1234.56": the project-wide
// convention of casestore.Money.
type Money = casestore.Money

// Instant is a moment, written in Amsterdam time with its offset.
type Instant time.Time

// MarshalJSON writes RFC 3339 with seconds in Europe/Amsterdam.
func (t Instant) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(t).In(casestore.Amsterdam).Format(time.RFC3339))
}

// UnmarshalJSON reads RFC 3339, so Go tools can read the output back.
func (t *Instant) UnmarshalJSON(b []byte) error {
	return (*time.Time)(t).UnmarshalJSON(b)
}

// Day is a calendar day, written "2006-01-02".
type Day time.Time

// MarshalJSON writes the day as stored (calendar days are UTC midnight).
func (d Day) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(d).Format(time.DateOnly))
}

// UnmarshalJSON reads "2006-01-02" as UTC midnight, as days are stored.
func (d *Day) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, s)
	*d = Day(t)
	return err
}

func optDay(t *time.Time) *Day {
	if t == nil {
		return nil
	}
	d := Day(*t)
	return &d
}

func optInstant(t *time.Time) *Instant {
	if t == nil {
		return nil
	}
	i := Instant(*t)
	return &i
}

// Creditor is the agency's client a case belongs to.
type Creditor struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Debtor is who owes: what a creditor needs to recognise its customer.
type Debtor struct {
	Ref       string `json:"ref"`
	Name      string `json:"name"`
	IsCompany bool   `json:"is_company"`
	Postcode  string `json:"postcode"`
	Language  string `json:"language"`
}

// CaseSummary is one line of the case list.
type CaseSummary struct {
	Ref      string   `json:"ref"`
	Creditor Creditor `json:"creditor"`
	Debtor   string   `json:"debtor"`
	Regime   string   `json:"regime"`
	Stage    string   `json:"stage"`
	Status   string   `json:"status"`
	// Open is what is owed today; null when the balance cannot be
	// computed (BalanceError says why).
	Open         *Money  `json:"open"`
	BalanceError string  `json:"balance_error,omitempty"`
	OpenDisputes int     `json:"open_disputes"`
	PlanStatus   *string `json:"plan_status"`
	UpdatedAt    Instant `json:"updated_at"`
	URL          string  `json:"url"`
}

// CaseList is one page of cases and how many match in all.
type CaseList struct {
	Cases  []CaseSummary `json:"cases"`
	Total  int           `json:"total"`
	Limit  int           `json:"limit"`
	Offset int           `json:"offset"`
}

// Invoice is one claim of a case.
type Invoice struct {
	Number      string `json:"number"`
	Description string `json:"description"`
	IssueDate   Day    `json:"issue_date"`
	DueDate     Day    `json:"due_date"`
	Principal   Money  `json:"principal"`
	Status      string `json:"status"`
	// Document is where the creditor's copy of the invoice, delivered
	// with the import, is fetched (getFile); null when there is none.
	Document *string `json:"document"`
}

// Payment is money received on a case.
type Payment struct {
	Amount    Money   `json:"amount"`
	ValueDate Day     `json:"value_date"`
	Reference string  `json:"reference"`
	Invoice   *string `json:"invoice"` // the invoice number it was paid on; null: oldest claims first
	// Source is how it came in: console, stripe, bank, or "" (imported
	// with the case).
	Source string `json:"source"`
	// ReversedAt: refunded, charged back or returned; it counts no more.
	ReversedAt     *Instant `json:"reversed_at"`
	ReversalReason string   `json:"reversal_reason"`
}

// Amounts is the legal breakdown: hoofdsom, rente, incassokosten, btw,
// betaald, open.
type Amounts struct {
	Principal Money `json:"principal"`
	Interest  Money `json:"interest"`
	Costs     Money `json:"costs"`
	CostsVAT  Money `json:"costs_vat"`
	Paid      Money `json:"paid"`
	Open      Money `json:"open"`
}

// InvoiceBalance is one invoice's breakdown.
type InvoiceBalance struct {
	Number  string `json:"number"`
	DueDate Day    `json:"due_date"`
	Status  string `json:"status"`
	Amounts
}

// Balance is a case's balance on a day, per invoice and in total.
type Balance struct {
	AsOf     Day              `json:"as_of"`
	Invoices []InvoiceBalance `json:"invoices"`
	Total    Amounts          `json:"total"`
	// CostsFrom: collection costs may not be charged before this day.
	CostsFrom *Day `json:"costs_from"`
}

// Dispute is a debtor contesting an invoice or the whole case.
type Dispute struct {
	ID         int64    `json:"id"`
	Invoice    *string  `json:"invoice"`
	Reason     string   `json:"reason"`
	Text       string   `json:"text"`
	Evidence   []string `json:"evidence"`
	Status     string   `json:"status"`
	OpenedAt   Instant  `json:"opened_at"`
	ResolvedAt *Instant `json:"resolved_at"`
}

// Installment is one dated payment of a plan.
type Installment struct {
	Seq    int   `json:"seq"`
	Due    Day   `json:"due"`
	Amount Money `json:"amount"`
}

// Plan is an installment plan, pending or agreed.
type Plan struct {
	ID           int64         `json:"id"`
	Status       string        `json:"status"`
	Total        Money         `json:"total"`
	DownPayment  Money         `json:"down_payment"`
	Installments []Installment `json:"installments"`
	CreatedAt    Instant       `json:"created_at"`
}

// Promise is a debtor's promise to pay.
type Promise struct {
	ID        int64   `json:"id"`
	Amount    Money   `json:"amount"`
	Date      Day     `json:"date"`
	Status    string  `json:"status"`
	CreatedAt Instant `json:"created_at"`
}

// File is evidence a debtor sent, without its bytes (URL fetches them).
type File struct {
	ID          int64   `json:"id"`
	ContentType string  `json:"content_type"`
	Size        int64   `json:"size"`
	SHA256      string  `json:"sha256"`
	Channel     string  `json:"channel"`
	ReceivedAt  Instant `json:"received_at"`
	URL         string  `json:"url"`
}

// Case is one case with everything a creditor reads of it but the dossier.
type Case struct {
	Ref          string    `json:"ref"`
	Regime       string    `json:"regime"`
	Stage        string    `json:"stage"`
	Status       string    `json:"status"`
	LetterSentOn *Day      `json:"letter_sent_on"`
	CreatedAt    Instant   `json:"created_at"`
	UpdatedAt    Instant   `json:"updated_at"`
	Creditor     Creditor  `json:"creditor"`
	Debtor       Debtor    `json:"debtor"`
	Invoices     []Invoice `json:"invoices"`
	Payments     []Payment `json:"payments"`
	// Balance is null when the rules cannot compute it (BalanceError).
	Balance      *Balance  `json:"balance"`
	BalanceError string    `json:"balance_error,omitempty"`
	Disputes     []Dispute `json:"disputes"`
	Plans        []Plan    `json:"plans"`
	Promises     []Promise `json:"promises"`
	Files        []File    `json:"files"`
	// PaymentReference is what the debtor writes with a bank transfer: the
	// NL betalingskenmerk or the BE structured communication.
	PaymentReference string `json:"payment_reference"`
}

// Entry is one dossier entry.
type Entry struct {
	ID      int64   `json:"id"`
	At      Instant `json:"at"`
	Kind    string  `json:"kind"`
	Actor   string  `json:"actor"`
	Channel string  `json:"channel"`
	// Text is the words of a message or note; null for other entries.
	Text *string `json:"text"`
	// Body is the entry as recorded, in the output convention
	// (casestore.OutputJSON: snake_case keys, two-decimal money).
	Body json.RawMessage `json:"body"`
}

// DossierPage is one page of a dossier, newest first.
type DossierPage struct {
	Entries []Entry `json:"entries"`
	// NextBefore is the "before" of the next (older) page; null on the last.
	NextBefore *int64 `json:"next_before"`
}

// ExportFormat names the export's layout, so a reader can tell versions apart.
const ExportFormat = "incassobot.case-export.v1"

// Export is a case with its whole dossier, oldest entry first: what a
// creditor hands to a lawyer.
type Export struct {
	Format     string  `json:"format"`
	ExportedAt Instant `json:"exported_at"`
	Case       Case    `json:"case"`
	Dossier    []Entry `json:"dossier"`
}

// Me is the account a token belongs to.
type Me struct {
	ID       int64     `json:"id"`
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Creditor *Creditor `json:"creditor"`
}

// CasePath is the API path of a case.
func CasePath(ref string) string { return "/api/v1/cases/" + url.PathEscape(ref) }

// NewCaseSummary is the list line of a case, its balance as of now.
func NewCaseSummary(s casestore.CaseSummary, now time.Time) CaseSummary {
	c := s.Case
	out := CaseSummary{
		Ref: c.Ref, Creditor: Creditor{Code: c.Creditor.Code, Name: c.Creditor.Name}, Debtor: c.Debtor.Name,
		Regime: string(c.Regime), Stage: string(c.Stage), Status: string(c.Status),
		OpenDisputes: s.OpenDisputes, UpdatedAt: Instant(c.UpdatedAt), URL: CasePath(c.Ref),
	}
	if b, err := casestore.Balance(c, now); err != nil {
		out.BalanceError = err.Error()
	} else {
		open := Money(b.Total.Open)
		out.Open = &open
	}
	if s.Plan != "" {
		p := string(s.Plan)
		out.PlanStatus = &p
	}
	return out
}

// NewCase is the JSON of a case file, its balance as of now.
func NewCase(f *casestore.CaseFile, now time.Time) Case {
	c := f.Case
	numbers := make(map[int64]string, len(c.Invoices))
	out := Case{
		PaymentReference: casestore.PaymentReference(c),
		Ref:              c.Ref, Regime: string(c.Regime), Stage: string(c.Stage), Status: string(c.Status),
		LetterSentOn: optDay(c.LetterSentOn), CreatedAt: Instant(c.CreatedAt), UpdatedAt: Instant(c.UpdatedAt),
		Creditor: Creditor{Code: c.Creditor.Code, Name: c.Creditor.Name},
		Debtor: Debtor{Ref: c.Debtor.Ref, Name: c.Debtor.Name, IsCompany: c.Debtor.IsCompany,
			Postcode: c.Debtor.Postcode, Language: string(c.Debtor.Language)},
		Invoices: []Invoice{}, Payments: []Payment{}, Disputes: []Dispute{}, Plans: []Plan{},
		Promises: []Promise{}, Files: []File{},
	}
	if out.Debtor.Language == "" {
		out.Debtor.Language = string(casestore.Dutch)
	}
	for _, inv := range c.Invoices {
		numbers[inv.ID] = inv.Number
		var doc *string
		if inv.DocumentID != 0 {
			u := CasePath(c.Ref) + "/media/" + strconv.FormatInt(inv.DocumentID, 10)
			doc = &u
		}
		out.Invoices = append(out.Invoices, Invoice{Number: inv.Number, Description: inv.Description,
			IssueDate: Day(inv.IssueDate), DueDate: Day(inv.DueDate), Principal: Money(inv.Principal), Status: string(inv.Status),
			Document: doc})
	}
	invoice := func(id *int64) *string {
		if id == nil {
			return nil
		}
		n := numbers[*id]
		return &n
	}
	for _, p := range c.Payments {
		out.Payments = append(out.Payments, Payment{Amount: Money(p.Amount), ValueDate: Day(p.ValueDate),
			Reference: p.Reference, Invoice: invoice(p.InvoiceID), Source: string(p.Source),
			ReversedAt: optInstant(p.ReversedAt), ReversalReason: p.ReversalReason})
	}
	if b, err := casestore.Balance(c, now); err != nil {
		out.BalanceError = err.Error()
	} else {
		out.Balance = NewBalance(b)
	}
	for _, d := range f.Disputes {
		ev := d.Evidence
		if ev == nil {
			ev = []string{}
		}
		out.Disputes = append(out.Disputes, Dispute{ID: d.ID, Invoice: invoice(d.InvoiceID), Reason: string(d.Reason),
			Text: d.Text, Evidence: ev, Status: string(d.Status), OpenedAt: Instant(d.CreatedAt), ResolvedAt: optInstant(d.ResolvedAt)})
	}
	for _, p := range f.Plans {
		plan := Plan{ID: p.ID, Status: string(p.Status), Total: Money(p.Total), DownPayment: Money(p.DownPayment),
			Installments: []Installment{}, CreatedAt: Instant(p.CreatedAt)}
		for _, in := range p.Installments {
			plan.Installments = append(plan.Installments, Installment{Seq: in.Seq, Due: Day(in.Due), Amount: Money(in.Amount)})
		}
		out.Plans = append(out.Plans, plan)
	}
	for _, p := range f.Promises {
		out.Promises = append(out.Promises, Promise{ID: p.ID, Amount: Money(p.Amount), Date: Day(p.Date),
			Status: string(p.Status), CreatedAt: Instant(p.CreatedAt)})
	}
	for _, m := range f.Media {
		out.Files = append(out.Files, File{ID: m.ID, ContentType: m.ContentType, Size: m.Size, SHA256: m.SHA256,
			Channel: m.Channel, ReceivedAt: Instant(m.CreatedAt), URL: CasePath(c.Ref) + "/media/" + strconv.FormatInt(m.ID, 10)})
	}
	return out
}

// NewBalance is the JSON of a balance breakdown.
func NewBalance(b casestore.Breakdown) *Balance {
	out := &Balance{AsOf: Day(casestore.DayOf(b.AsOf)), Invoices: []InvoiceBalance{}, Total: newAmounts(b.Total), CostsFrom: optDay(b.CostsFrom)}
	for _, ib := range b.Invoices {
		out.Invoices = append(out.Invoices, InvoiceBalance{Number: ib.Number, DueDate: Day(ib.DueDate),
			Status: string(ib.Status), Amounts: newAmounts(ib.Amounts)})
	}
	return out
}

func newAmounts(a casestore.Amounts) Amounts {
	return Amounts{Principal: Money(a.Principal), Interest: Money(a.Interest), Costs: Money(a.Costs),
		CostsVAT: Money(a.CostsVAT), Paid: Money(a.Paid), Open: Money(a.Open)}
}

// NewEntry is the JSON of a dossier entry.
func NewEntry(e casestore.DossierEntry) Entry {
	out := Entry{ID: e.ID, At: Instant(e.At), Kind: string(e.Kind), Actor: string(e.Actor), Channel: e.Channel,
		Body: casestore.OutputJSON(e.Body)}
	if text, ok := EntryText(e); ok {
		out.Text = &text
	}
	return out
}

// EntryText is the words of an entry whose body has a "text" string: a
// message, a note. The text is the debtor's or a collector's own: data,
// to be escaped wherever it is shown.
func EntryText(e casestore.DossierEntry) (string, bool) {
	var b struct {
		Text *string `json:"text"`
	}
	if json.Unmarshal(e.Body, &b) != nil || b.Text == nil {
		return "", false
	}
	return *b.Text, true
}

// EntryFacts is an entry's body as "key: value" lines, keys sorted, for
// an entry without text: what a person reads of a balance shown or a plan
// proposed. Nested values are compact JSON, in the output convention
// (snake_case keys, two-decimal money) like the API's bodies.
func EntryFacts(e casestore.DossierEntry) []string {
	var m map[string]json.RawMessage
	if json.Unmarshal(casestore.OutputJSON(e.Body), &m) != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		v := m[k]
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = strings.TrimSpace(string(v))
		}
		out = append(out, k+": "+s)
	}
	return out
}

// NewExport is a case file with its whole dossier (oldest first), as of now.
func NewExport(f *casestore.CaseFile, entries []casestore.DossierEntry, now time.Time) Export {
	out := Export{Format: ExportFormat, ExportedAt: Instant(now), Case: NewCase(f, now), Dossier: make([]Entry, 0, len(entries))}
	for _, e := range entries {
		out.Dossier = append(out.Dossier, NewEntry(e))
	}
	return out
}
