package importfile

import (
	"fmt"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Record is one case read from a file, with its creditor, debtor and
// invoices filled in. IDs are not set: Save finds or creates them.
type Record struct {
	// Lines are the file lines the case came from: one per invoice in a
	// CSV file, the line its object starts on in a JSON file.
	Lines []int
	Case  casestore.Case
	// StageGiven / StatusGiven are false when the file left the column
	// empty: a new case then gets the default (minnelijk, open) and an
	// existing case keeps what the bot or a collector set, so that
	// re-importing a creditor's file does not reopen a disputed case.
	StageGiven, StatusGiven bool
	// Flags stop automated collection (bewindvoering, debt settlement);
	// each only when its column was given, else a re-import keeps the
	// flag a collector set.
	Flags                               casestore.CaseFlags
	BewindvoeringGiven, SettlementGiven bool
	// Documents are the creditor's copies of invoices the file delivers
	// (LoadDocuments reads those given by path).
	Documents []Document
}

// Line is the first file line of the record, used in messages.
func (r *Record) Line() int {
	if len(r.Lines) == 0 {
		return 0
	}
	return r.Lines[0]
}

// Problem is a bad row: the line it starts on and why it was refused.
type Problem struct {
	Line   int
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// Result is a parsed file: the good cases in file order and every bad row.
type Result struct {
	Records  []Record
	Problems []Problem
}

// Defaults for columns a file may leave empty on a new case.
const (
	DefaultStage  = casestore.Minnelijk
	DefaultStatus = casestore.StatusOpen
)

// Columns of a CSV file and the flattened keys of a JSON case. The order
// is the one the documentation and `import --help` show.
var Columns = []Column{
	{"dossier", true, "dossier number shown to the debtor, e.g. IB-2026-000123; rows with the same number add invoices to one case"},
	{"regime", true, "nl-b2c, nl-b2b, be-b2c or be-b2b"},
	{"stage", false, "pre-incasso, minnelijk, gerechtelijk or executie (new case: minnelijk; re-import: unchanged)"},
	{"status", false, "open, on-hold, in-plan, paid or closed (new case: open; re-import: unchanged)"},
	{"letter_sent_on", false, "day the NL 14-day letter / BE first reminder was sent"},
	{"bewindvoering", false, "yes when the debtor is under court-appointed administration: automated collection stops (empty: unchanged)"},
	{"debt_settlement", false, "wsnp, msnp (NL) or csr (BE collectieve schuldenregeling): automated collection stops; none lifts it (empty: unchanged)"},
	{"creditor_code", true, "the creditor's stable code, e.g. ENERGIEDIRECT"},
	{"creditor_name", true, "the creditor's name as the debtor knows it"},
	{"creditor_vat_on_costs", false, "yes when the creditor cannot deduct VAT (21% VAT on costs)"},
	{"creditor_contractual_costs", false, "B2B agreed collection costs as a fraction (0.15) or percentage (15%)"},
	{"creditor_payment_url", false, "base of the payment link shown to debtors"},
	{"creditor_minimum_per_invoice", false, "yes to claim the B2B €40 minimum on every unpaid invoice (CJEU C-585/20); default: once per case"},
	{"clause_terms", false, "be-b2c only: the contract's late-payment clause, quoted; empty = the contract has none (Book XIX WER)"},
	{"clause_damages", false, "yes when the clause stipulates damages (schadebeding / clause pénale)"},
	{"clause_damages_pct", false, "the damages the clause stipulates as a share of the principal (0.10 or 10%); empty = the maximum of art. XIX.4"},
	{"clause_interest", false, "yes when the clause stipulates interest at the late-payment rate (law of 2 August 2002)"},
	{"clause_announced", false, "yes when the first reminder announced the clause's damages and interest (required before they may be charged)"},
	{"debtor_ref", true, "the debtor's stable reference at the creditor"},
	{"debtor_name", true, "person or company name"},
	{"debtor_is_company", false, "yes for a business debtor"},
	{"debtor_phone", false, "mobile number(s), several separated by |; stored as E.164 (+316…, +324…)"},
	{"debtor_email", false, "e-mail address"},
	{"debtor_postcode", false, "Dutch 1234 AB or Belgian 1000; stored without spaces, upper case"},
	{"debtor_birth_date", false, "date of birth (consumers), used to verify identity"},
	{"debtor_language", false, "nl (default), en or fr"},
	{"invoice_number", true, "the creditor's invoice number, unique within the case"},
	{"invoice_description", false, "what the invoice was for"},
	{"invoice_issue_date", true, "invoice date"},
	{"invoice_due_date", true, "due date; interest runs from the day after"},
	{"invoice_principal", true, "amount owed: 1234.56, 1234,56 or 1.234,56 (at most two decimals)"},
	{"invoice_status", false, "open, disputed, paused, paid or waived (new: open; re-import: unchanged)"},
	{"invoice_document", false, "the creditor's copy of the invoice: path of a PDF, JPEG or PNG file, relative to the import file's folder"},
}

// Column describes one import column.
type Column struct {
	Name     string
	Required bool
	Help     string
}

func knownColumn(name string) (Column, bool) {
	for _, c := range Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// HelpText lists the columns for `import --help` and docs/IMPORT.md.
func HelpText() string {
	var b strings.Builder
	for _, c := range Columns {
		req := "optional"
		if c.Required {
			req = "required"
		}
		fmt.Fprintf(&b, "  %-28s %-9s %s\n", c.Name, req, c.Help)
	}
	return b.String()
}
