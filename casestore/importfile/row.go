package importfile

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// fields is one row's values by column name; missing columns read as "".
type fields map[string]string

func (f fields) get(name string) string { return strings.TrimSpace(f[name]) }

// rowErrors collects every reason a row is bad, so one pass tells the
// creditor everything to fix on that line.
type rowErrors []string

func (e *rowErrors) add(format string, args ...any) { *e = append(*e, fmt.Sprintf(format, args...)) }

func (e rowErrors) String() string { return strings.Join(e, "; ") }

// parseCaseFields reads the case, creditor and debtor columns of a row.
func parseCaseFields(f fields, errs *rowErrors) Record {
	var r Record
	c := &r.Case
	for _, col := range Columns {
		if col.Required && !strings.HasPrefix(col.Name, "invoice_") && f.get(col.Name) == "" {
			errs.add("%s is required", col.Name)
		}
	}
	c.Ref = strings.ToUpper(f.get("dossier"))
	if c.Ref != "" && !refPattern.MatchString(c.Ref) {
		errs.add("dossier %q: use letters, digits and - . / _ only (at most 40)", f.get("dossier"))
	}
	c.Regime = casestore.Regime(canon(f.get("regime")))
	if f.get("regime") != "" && !c.Regime.Valid() {
		errs.add("regime %q is not one of nl-b2c, nl-b2b, be-b2c, be-b2b", f.get("regime"))
	}
	c.Stage, r.StageGiven = DefaultStage, f.get("stage") != ""
	if r.StageGiven {
		c.Stage = casestore.Stage(canon(f.get("stage")))
		if !c.Stage.Valid() {
			errs.add("stage %q is not one of pre-incasso, minnelijk, gerechtelijk, executie", f.get("stage"))
		}
	}
	c.Status, r.StatusGiven = DefaultStatus, f.get("status") != ""
	if r.StatusGiven {
		c.Status = casestore.Status(canon(f.get("status")))
		if !c.Status.Valid() {
			errs.add("status %q is not one of open, on-hold, in-plan, paid, closed", f.get("status"))
		}
	}
	if s := f.get("letter_sent_on"); s != "" {
		if d, err := ParseDay(s); err != nil {
			errs.add("letter_sent_on: %v", err)
		} else {
			c.LetterSentOn = &d
		}
	}
	c.Clause = parseClause(f, c.Regime, errs)
	parseFlags(f, &r, errs)
	c.Creditor = parseCreditor(f, errs)
	c.Debtor = parseDebtor(f, errs)
	return r
}

// parseClause reads the Belgian consumer clause columns; nil when
// clause_terms is empty (the contract has no clause).
func parseClause(f fields, r casestore.Regime, errs *rowErrors) *casestore.DamagesClause {
	terms := f.get("clause_terms")
	if terms == "" {
		for _, col := range []string{"clause_damages", "clause_damages_pct", "clause_interest", "clause_announced"} {
			if f.get(col) != "" {
				errs.add("%s needs clause_terms (the clause as the contract words it)", col)
			}
		}
		return nil
	}
	if r.Valid() && r != casestore.BEB2C {
		errs.add("clause_terms: a damages clause is only read for be-b2c cases (Book XIX WER), not %s", r)
	}
	cl := &casestore.DamagesClause{Terms: terms}
	var err error
	if cl.Damages, err = parseBool(f.get("clause_damages")); err != nil {
		errs.add("clause_damages: %v", err)
	}
	if cl.DamagesPct, err = parseFraction(f.get("clause_damages_pct")); err != nil {
		errs.add("clause_damages_pct: %v", err)
	} else if cl.DamagesPct.GreaterThan(decimal.NewFromInt(1)) {
		errs.add("clause_damages_pct %s is more than the whole principal", f.get("clause_damages_pct"))
	}
	if cl.LatePaymentInterest, err = parseBool(f.get("clause_interest")); err != nil {
		errs.add("clause_interest: %v", err)
	}
	if cl.AnnouncedInReminder, err = parseBool(f.get("clause_announced")); err != nil {
		errs.add("clause_announced: %v", err)
	}
	return cl
}

func parseFlags(f fields, r *Record, errs *rowErrors) {
	if s := f.get("bewindvoering"); s != "" {
		b, err := parseBool(s)
		if err != nil {
			errs.add("bewindvoering: %v", err)
		}
		r.Flags.Bewindvoering, r.BewindvoeringGiven = b, true
	}
	if s := canon(f.get("debt_settlement")); s != "" {
		if s != "none" {
			r.Flags.DebtSettlement = casestore.DebtSettlement(s)
		}
		if err := r.Flags.Validate(); err != nil {
			errs.add("debt_settlement %q is not one of wsnp, msnp, csr, none", f.get("debt_settlement"))
		}
		r.SettlementGiven = true
	}
}

func parseCreditor(f fields, errs *rowErrors) casestore.Creditor {
	cr := casestore.Creditor{
		Code:       strings.ToUpper(f.get("creditor_code")),
		Name:       f.get("creditor_name"),
		PaymentURL: f.get("creditor_payment_url"),
	}
	var err error
	if cr.VATOnCosts, err = parseBool(f.get("creditor_vat_on_costs")); err != nil {
		errs.add("creditor_vat_on_costs: %v", err)
	}
	if cr.MinimumPerInvoice, err = parseBool(f.get("creditor_minimum_per_invoice")); err != nil {
		errs.add("creditor_minimum_per_invoice: %v", err)
	}
	if cr.ContractualCosts, err = parseFraction(f.get("creditor_contractual_costs")); err != nil {
		errs.add("creditor_contractual_costs: %v", err)
	}
	if cr.PaymentURL != "" && !strings.HasPrefix(cr.PaymentURL, "https://") {
		errs.add("creditor_payment_url %q must start with https://", cr.PaymentURL)
	}
	return cr
}

func parseDebtor(f fields, errs *rowErrors) casestore.Debtor {
	d := casestore.Debtor{
		Ref:      f.get("debtor_ref"),
		Name:     f.get("debtor_name"),
		Email:    f.get("debtor_email"),
		Language: casestore.Language(canon(f.get("debtor_language"))),
	}
	var err error
	if d.IsCompany, err = parseBool(f.get("debtor_is_company")); err != nil {
		errs.add("debtor_is_company: %v", err)
	}
	// Personal values are not echoed in messages: the reasons end up in
	// terminals and CI logs; the line number and column locate them.
	for i, raw := range strings.Split(f.get("debtor_phone"), "|") {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		p, err := casestore.NormalizePhone(raw)
		if err != nil {
			errs.add("debtor_phone (number %d) is not a valid phone number", i+1)
			continue
		}
		if !slices.Contains(d.Phones, p) {
			d.Phones = append(d.Phones, p)
		}
	}
	if s := f.get("debtor_postcode"); s != "" {
		var err error
		if d.Postcode, err = casestore.NormalizePostcode(s); err != nil {
			errs.add("debtor_postcode is not a Dutch (1234 AB) or Belgian (1000) postcode")
		}
	}
	if d.Email != "" {
		if a, err := mail.ParseAddress(d.Email); err != nil || a.Address != d.Email {
			errs.add("debtor_email is not an e-mail address")
		}
	}
	if s := f.get("debtor_birth_date"); s != "" {
		if b, err := ParseDay(s); err != nil {
			errs.add("debtor_birth_date is not YYYY-MM-DD or DD-MM-YYYY, or does not exist")
		} else if b.Year() < 1900 {
			errs.add("debtor_birth_date is before 1900")
		} else {
			d.BirthDate = &b
		}
	}
	switch d.Language {
	case "":
		d.Language = casestore.Dutch
	case casestore.Dutch, casestore.English, casestore.French:
	default:
		errs.add("debtor_language %q is not nl, en or fr", f.get("debtor_language"))
	}
	return d
}

// parseInvoice reads the invoice columns of a row. Status stays empty when
// the file leaves it empty (Save decides: open, or unchanged on re-import).
func parseInvoice(f fields, errs *rowErrors) casestore.Invoice {
	inv := casestore.Invoice{
		Number:      f.get("invoice_number"),
		Description: f.get("invoice_description"),
		Status:      casestore.InvoiceStatus(canon(f.get("invoice_status"))),
	}
	for _, col := range []string{"invoice_number", "invoice_issue_date", "invoice_due_date", "invoice_principal"} {
		if f.get(col) == "" {
			errs.add("%s is required", col)
		}
	}
	var err error
	if s := f.get("invoice_issue_date"); s != "" {
		if inv.IssueDate, err = ParseDay(s); err != nil {
			errs.add("invoice_issue_date: %v", err)
		}
	}
	if s := f.get("invoice_due_date"); s != "" {
		if inv.DueDate, err = ParseDay(s); err != nil {
			errs.add("invoice_due_date: %v", err)
		}
	}
	if !inv.IssueDate.IsZero() && !inv.DueDate.IsZero() && inv.DueDate.Before(inv.IssueDate) {
		errs.add("invoice_due_date is before invoice_issue_date")
	}
	if s := f.get("invoice_principal"); s != "" {
		if inv.Principal, err = ParseAmount(s); err != nil {
			errs.add("invoice_principal: %v", err)
		} else if !inv.Principal.IsPositive() {
			errs.add("invoice_principal %s must be more than zero", s)
		}
	}
	if inv.Status != "" && !inv.Status.Valid() {
		errs.add("invoice_status %q is not one of open, disputed, paused, paid, waived", f.get("invoice_status"))
	}
	return inv
}

// sameCase names the first case-level field on which b differs from a,
// or "" when b may add its invoices to a's case.
func sameCase(a, b *casestore.Case) string {
	type kv struct{ name, a, b string }
	day := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02") }
	letter := func(c *casestore.Case) string {
		if c.LetterSentOn == nil {
			return ""
		}
		return day(*c.LetterSentOn)
	}
	birth := func(d *casestore.Debtor) string {
		if d.BirthDate == nil {
			return ""
		}
		return day(*d.BirthDate)
	}
	for _, x := range []kv{
		{"regime", string(a.Regime), string(b.Regime)},
		{"stage", string(a.Stage), string(b.Stage)},
		{"status", string(a.Status), string(b.Status)},
		{"letter_sent_on", letter(a), letter(b)},
		{"creditor_code", a.Creditor.Code, b.Creditor.Code},
		{"creditor_name", a.Creditor.Name, b.Creditor.Name},
		{"creditor_vat_on_costs", fmt.Sprint(a.Creditor.VATOnCosts), fmt.Sprint(b.Creditor.VATOnCosts)},
		{"creditor_contractual_costs", a.Creditor.ContractualCosts.String(), b.Creditor.ContractualCosts.String()},
		{"creditor_payment_url", a.Creditor.PaymentURL, b.Creditor.PaymentURL},
		{"creditor_minimum_per_invoice", fmt.Sprint(a.Creditor.MinimumPerInvoice), fmt.Sprint(b.Creditor.MinimumPerInvoice)},
		{"clause_terms", casestore.EncodeDamagesClause(a.Clause), casestore.EncodeDamagesClause(b.Clause)},
		{"debtor_ref", a.Debtor.Ref, b.Debtor.Ref},
		{"debtor_name", a.Debtor.Name, b.Debtor.Name},
		{"debtor_is_company", fmt.Sprint(a.Debtor.IsCompany), fmt.Sprint(b.Debtor.IsCompany)},
		{"debtor_phone", strings.Join(a.Debtor.Phones, "|"), strings.Join(b.Debtor.Phones, "|")},
		{"debtor_email", a.Debtor.Email, b.Debtor.Email},
		{"debtor_postcode", a.Debtor.Postcode, b.Debtor.Postcode},
		{"debtor_birth_date", birth(&a.Debtor), birth(&b.Debtor)},
		{"debtor_language", string(a.Debtor.Language), string(b.Debtor.Language)},
	} {
		if x.a != x.b {
			return x.name
		}
	}
	return ""
}
